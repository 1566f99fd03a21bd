"""The judges' and chief judges' area: the tablet pages and their offline script (judges/pages.py,
judges/templates/judge/), the judge's API (/api/judge, judges/judge_api.py), the chief judge's
API and console (/api/chief, judges/chief_api.py, judges/console.py), locking a round
(judges/locking.py), typing in paper sheets (judges/transcription.py), and the seat checks
that every route runs (judges/seats.py). Imports the web toolkit, the core and the store;
never another area."""
