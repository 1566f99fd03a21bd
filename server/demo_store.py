"""Generated marks written into the store through the paths the venue uses, for the demo and
tests: each judge's sheet submitted as a tablet submits it, officials' values (a theory
paper's answers, rows with no judge) as the desk records them, the quiz master's log answer by
answer; then every round locked as the chief judge locks it. Each event is one transaction.

Marks come from the files `scoring compute` reads (server/demo_marks.py writes them), so the
standings from the store can be compared with `scoring compute` on the same folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from judges.locking import lock_round
from organiser.service import set_panel
from results.overall import marks_file
from scoring.model import Competition as CompetitionModel
from scoring.model import Event as EventModel
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.models import Competition, Event, Judge, Round, RubricVersion
from scoring.store.official_values import record_values
from scoring.store.publication import move_publication
from scoring.store.quiz import record_answer
from scoring.store.rounds import round_context, rubric_of, rules_of_version
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import record_many


def store_generated_marks(sessions: sessionmaker[Session], competition: CompetitionModel, marks_dir: Path) -> None:
    """Write every event's marks from `marks_dir` into the last round of the event, seated with
    the judges who marked it (its first judge chief), and lock it."""
    for event in competition.events:
        path = marks_file(marks_dir, event)
        if path is None or event.bound is None:
            continue
        table = event.bound.read_table(path).drop(columns=["row"], errors="ignore")
        with sessions.begin() as db:
            _store_event(db, competition.key, event, table)


def _store_event(db: Session, competition_key: str, event: EventModel, table: pd.DataFrame) -> None:
    cid = db.execute(select(Competition.id).where(Competition.key == competition_key)).scalar_one()
    stored = db.execute(select(Event).where(Event.competition_id == cid, Event.key == event.key)).scalar_one()
    round_ = db.execute(select(Round).where(Round.event_id == stored.id).order_by(Round.id.desc())).scalars().first()
    assert round_ is not None
    author = "make demo"
    if event.kind == "quiz":
        version = db.get(RubricVersion, stored.rubric_version_id)
        assert version is not None
        rules = rules_of_version(version.id, stored.kind, version.document)
        teams = {t for t in table["team"].astype(str)}
        text = table.fillna("").astype(str)
        stakes = text["stake"] if "stake" in text.columns else [""] * len(text)
        for i, (team, kind, outcome, stake) in enumerate(
            zip(text["team"], text["type"], text["outcome"], stakes, strict=True)
        ):
            record_answer(
                db,
                round_id=round_.id,
                team=str(team),
                kind=str(kind),
                outcome=str(outcome),
                stake=str(stake),
                client_id=f"demo-{i}",
                author=author,
                rules=rules,  # type: ignore[arg-type]
                teams=teams,
            )
        move_publication(db, round_.id, "locked", author)
        return
    if "criterion" not in table.columns:  # a wide answer sheet: one row per entry, a column per question
        long = table.melt(id_vars=["entry"], var_name="criterion", value_name="value").assign(attempt="", judge="")
    else:
        long = table.fillna("")
    officials = long[long["judge"].astype(str) == ""]
    for entry, rows in officials.groupby("entry", sort=True):
        values = {_key(a, c): str(v) for a, c, v in rows[["attempt", "criterion", "value"]].itertuples(index=False)}
        record_values(db, round_id=round_.id, entry=str(entry), values=values, client_id="demo", author=author)
    judged = long[long["judge"].astype(str) != ""]
    if judged.empty:
        move_publication(db, round_.id, "locked", author)
        return
    panel = sorted({str(j) for j in judged["judge"]})
    set_panel(db, round_.id, panel, panel[0], actor=author)  # the panel is who marked
    judge_ids = {key: id_ for key, id_ in db.execute(select(Judge.key, Judge.id).where(Judge.competition_id == cid))}
    context = round_context(db, round_.id)
    writes = [
        SheetWrite(
            round_id=round_.id,
            entry_key=str(entry),
            judge_id=judge_ids[str(judge)],
            rubric_version_id=stored.rubric_version_id,
            action=SheetAction.SUBMIT,
            actor=Actor.JUDGE,
            base_version=0,
            client_id="demo-submit",
            author=f"judge:{judge}",
            device="demo",
            marks={_key(a, c): str(v) for a, c, v in rows[["attempt", "criterion", "value"]].itertuples(index=False)},
        )
        for (entry, judge), rows in judged.groupby(["entry", "judge"], sort=True)
    ]
    record_many(db, writes, rubric_of(db, context))
    lock_round(db, context, author)


def _key(attempt: object, criterion: object) -> str:
    return f"{attempt}/{criterion}" if str(attempt) else str(criterion)
