"""What a judge (or a round's chief judge) may see and change, checked against panel seats.

A judge reaches only the rounds they hold a seat on, and in them only the round's entries;
they read only their own sheets. In a blind event entries are shown by drawn code only, so
until codes are drawn a blind round offers no entries. The chief judge of a round may
return, correct, lock or transcribe any sheet of that round. Storing is scoring/store/sheets.py.
Judges of a blind event send and receive codes; the entry behind a code never reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.document import Fields
from scoring.events import EVENT_KINDS
from scoring.problems import ProblemCollector
from scoring.rubrics.model import Rubric
from scoring.store.draws import codes_of, latest_draw
from scoring.store.models import Contestant, Event, Judge, PanelSeat, Round, RubricVersion, Team
from scoring.tomlsource import load_toml_text


class AccessRefused(Exception):
    """Refused for the one asking (403), or not there for them (404)."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en


@dataclass(frozen=True)
class RoundContext:
    round: Round
    event: Event
    rubric_version_id: int


@lru_cache(maxsize=256)
def _rubric_from_document(version_id: int, kind: str, document: str) -> Any:
    doc = load_toml_text(document, f"rubric version {version_id}")
    problems = ProblemCollector(doc.file)
    rules = EVENT_KINDS[kind].read_rules(Fields(doc, doc.data, (), problems))
    problems.raise_if_any()
    return rules


def rubric_of(db: Session, context: RoundContext) -> Rubric:
    """The rubric version this round's sheets are marked with (versions never change)."""
    version = db.get(RubricVersion, context.rubric_version_id)
    assert version is not None
    rules = _rubric_from_document(version.id, context.event.kind, version.document)
    if not isinstance(rules, Rubric):
        raise AccessRefused(409, "该赛项不用评分表", "this event is not marked on score sheets")
    return rules


def round_context(db: Session, round_id: int) -> RoundContext:
    found = db.get(Round, round_id)
    if found is None:
        raise AccessRefused(404, "没有这个轮次", f"no round {round_id}")
    event = db.get(Event, found.event_id)
    assert event is not None
    return RoundContext(round=found, event=event, rubric_version_id=event.rubric_version_id)


def entries_of(db: Session, event: Event) -> list[str]:
    if event.scope == "team":
        return list(
            db.execute(select(Team.key).where(Team.competition_id == event.competition_id).order_by(Team.key)).scalars()
        )
    return list(
        db.execute(
            select(Contestant.key).where(Contestant.competition_id == event.competition_id).order_by(Contestant.key)
        ).scalars()
    )


def seat(db: Session, judge_id: int, round_id: int) -> PanelSeat | None:
    return db.execute(
        select(PanelSeat).where(PanelSeat.judge_id == judge_id, PanelSeat.round_id == round_id)
    ).scalar_one_or_none()


def require_seat(db: Session, judge_id: int, round_id: int, chief: bool = False) -> RoundContext:
    context = round_context(db, round_id)
    found = seat(db, judge_id, round_id)
    if found is None or (chief and not found.chief):
        who = "裁判长" if chief else "评委"
        raise AccessRefused(
            403, f"您不是该轮次的{who}", f"you are not {'the chief judge' if chief else 'a judge'} of this round"
        )
    return context


def shown_entries(db: Session, context: RoundContext) -> dict[str, str]:
    """Entry key -> what the round's judges see of it: the key, or in a blind event its code
    (only entries with a drawn code, so none before the draw)."""
    if context.event.blind:
        return {entry: code for code, entry in codes_of(db, context.round.id).items()}
    return {entry: entry for entry in entries_of(db, context.event)}


def panel_judges(db: Session, round_id: int) -> list[str]:
    """The keys of the judges seated on the round's panel."""
    return list(
        db.execute(
            select(Judge.key)
            .join(PanelSeat, PanelSeat.judge_id == Judge.id)
            .where(PanelSeat.round_id == round_id)
            .order_by(Judge.key)
        ).scalars()
    )


def visible_entries(db: Session, context: RoundContext) -> list[str]:
    """What a judge sees of the round's entries, in the drawn order of appearance when one was
    drawn: keys, or in a blind event the drawn codes only."""
    order = latest_draw(db, context.round.id, "order")
    position = {entry: i for i, entry in enumerate(order.result["order"])} if order else {}
    if context.event.blind:
        codes = codes_of(db, context.round.id)
        return sorted(codes, key=lambda code: (position.get(codes[code], len(position)), code))
    return sorted(entries_of(db, context.event), key=lambda entry: (position.get(entry, len(position)), entry))


def resolve_entry(db: Session, context: RoundContext, shown: str) -> str:
    """The entry behind what a judge sent: a key, or in a blind event a code (keys are refused)."""
    if context.event.blind:
        codes = codes_of(db, context.round.id)
        if not codes:
            raise AccessRefused(
                409,
                "盲评赛项尚未抽取编码，暂不能评分",
                "this blind event has no drawn codes yet; sheets open once the codes are drawn",
            )
        if shown not in codes:
            raise AccessRefused(404, f"本轮次没有编码“{shown}”", f"no code '{shown}' in this round")
        return codes[shown]
    if shown not in entries_of(db, context.event):
        raise AccessRefused(404, f"本轮次没有参赛对象“{shown}”", f"no entry '{shown}' in this round")
    return shown


def judge_key_in_round(db: Session, round_id: int, judge_key: str, competition_id: int) -> int:
    judge = db.execute(
        select(Judge).where(Judge.key == judge_key, Judge.competition_id == competition_id)
    ).scalar_one_or_none()
    if judge is None or seat(db, judge.id, round_id) is None:
        raise AccessRefused(404, f"评委“{judge_key}”不在本轮次", f"judge '{judge_key}' is not on this round's panel")
    return judge.id


def assignments(db: Session, judge_id: int) -> list[dict[str, Any]]:
    out = []
    seats = db.execute(select(PanelSeat).where(PanelSeat.judge_id == judge_id).order_by(PanelSeat.round_id)).scalars()
    for s in seats:
        context = round_context(db, s.round_id)
        event = context.event
        out.append(
            {
                "round_id": s.round_id,
                "round": context.round.key,
                "event": event.key,
                "title": {"zh": event.title_zh, "en": event.title_en},
                "chief": s.chief,
                "blind": event.blind,
                "entries": visible_entries(db, context),
            }
        )
    return out
