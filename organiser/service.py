"""The organiser's use cases, shared by the JSON API and the pages, by job:

- organiser/competition_setup.py  a competition from its files or from a template
- organiser/judge_access.py       judges, their cards (links and PINs), reissuing and revoking
- organiser/round_setup.py        a round's panel and its draws of lots
- organiser/roster_import.py      a roster planned, previewed and imported all or nothing
- organiser/corrections.py        units, teams, contestants, events, rounds and rubric versions corrected

Each checks its input, changes the store in the caller's transaction and leaves an audit record.
This module only names them in one place for the assembly, the demo and the tests; the pages
and the API import the modules themselves."""

from __future__ import annotations

from organiser.competition_setup import Upload, competition_by_key, create_competition, create_from_template
from organiser.corrections import (
    add_round,
    edit_contestant,
    edit_event,
    edit_team,
    edit_unit,
    event_rules,
    replace_rubric_version,
)
from organiser.judge_access import add_judge, renew_access
from organiser.roster_import import import_roster, plan_roster, roster_preview
from organiser.round_setup import make_draw, set_panel

__all__ = [
    "Upload",
    "add_judge",
    "add_round",
    "competition_by_key",
    "create_competition",
    "create_from_template",
    "edit_contestant",
    "edit_event",
    "edit_team",
    "edit_unit",
    "event_rules",
    "import_roster",
    "make_draw",
    "plan_roster",
    "renew_access",
    "replace_rubric_version",
    "roster_preview",
    "set_panel",
]
