"""The organiser's area: the JSON API (/api/admin, organiser/api.py), the pages (/admin: sign-in,
competitions, rounds and events, people), the use cases both share (organiser/service.py), and
what each page shows (organiser/page_data.py). Imports the web toolkit, the core and the
store; never another area."""
