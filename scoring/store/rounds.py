"""A round as the areas read it: its event, the rubric its sheets are marked with, its entries
and what its judges see of them.

Entries are named three ways, each said here once:
- an entry's key (a team's or a contestant's key): `event_entry_keys` lists an event's;
- its label, what the round's judges see and send: the key itself, or in a blind event the
  drawn code (`entry_labels`, `labels_in_order`);
- `entry_of_label` goes back from a label to the key (in a blind event only codes are taken).
Who may read a round is not decided here (judges/seats.py, the organiser's guard).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from scoring.document import Fields
from scoring.events import EVENT_KINDS
from scoring.problems import ProblemCollector
from scoring.refusals import Conflict, NotFound
from scoring.rubrics.model import Rubric
from scoring.store.draws import codes_of, latest_draw
from scoring.store.models import Contestant, Event, Judge, PanelSeat, Round, RubricVersion, Team
from scoring.tomlsource import load_toml_text


@dataclass(frozen=True)
class RoundContext:
    round: Round
    event: Event
    rubric_version_id: int
    rubric_digest: str = ""  # the version's digest when read with it (seated_context)


def read_rules(kind: str, document: str, file: str) -> object:
    """An event kind's rules read from a rubric document; every problem named in `file`."""
    doc = load_toml_text(document, file)
    problems = ProblemCollector(file)
    rules = EVENT_KINDS[kind].read_rules(Fields(doc, doc.data, (), problems))
    problems.raise_if_any()
    return rules


@lru_cache(maxsize=256)
def rules_of_version(version_id: int, kind: str, document: str) -> object:
    """The event kind's rules read from a stored rubric version (versions never change, so the
    result is cached by id)."""
    return read_rules(kind, document, f"rubric version {version_id}")


def round_context(db: Session, round_id: int) -> RoundContext:
    found = db.get(Round, round_id)
    if found is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    event = db.get(Event, found.event_id)
    assert event is not None
    return RoundContext(round=found, event=event, rubric_version_id=event.rubric_version_id)


#: The round, its event, its rubric version's digest and one judge's seat (built once).
SEATED_CONTEXT = (
    select(Round, Event, RubricVersion.digest, PanelSeat.chief, PanelSeat.marks)
    .join(Event, Event.id == Round.event_id)
    .join(RubricVersion, RubricVersion.id == Event.rubric_version_id)
    .outerjoin(PanelSeat, (PanelSeat.round_id == Round.id) & (PanelSeat.judge_id == bindparam("judge_id")))
    .where(Round.id == bindparam("round_id"))
)


def seated_context(db: Session, round_id: int, judge_id: int) -> tuple[RoundContext, bool | None, bool]:
    """The round with its event and rubric version's digest, the judge's seat on its panel
    (None: no seat; True: the chief's) and whether that seat marks sheets (False: no seat, or a
    chief seated as referee, desk only), in one query: what a judge's request on a round checks
    first (a sheet write reads the same and more as plain values: scoring/store/write_seats.py)."""
    found = db.execute(SEATED_CONTEXT, {"judge_id": judge_id, "round_id": round_id}).one_or_none()
    if found is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    round_, event, digest, chief, marks = found
    context = RoundContext(round=round_, event=event, rubric_version_id=event.rubric_version_id, rubric_digest=digest)
    return context, chief, bool(marks)


#: Rubrics read from stored versions, by (version id, digest, kind): a version never changes, and
#: the digest tells two databases' versions with the same id apart (tests, a restored backup).
_RUBRICS: dict[tuple[int, str, str], object] = {}


def rubric_of(db: Session, context: RoundContext) -> Rubric:
    """The rubric version this round's sheets are marked with; read and parsed once per process
    (the document is loaded only the first time its version is met)."""
    return rubric_of_version(db, context.rubric_version_id, context.rubric_digest, context.event.kind)


def rubric_of_version(db: Session, version_id: int, digest: str, kind: str) -> Rubric:
    """`rubric_of` by the version's id, its digest ("" when not read: read here) and the event's
    kind; Conflict for an event not marked on score sheets (a quiz)."""
    digest = digest or db.execute(select(RubricVersion.digest).where(RubricVersion.id == version_id)).scalar_one()
    rules = _RUBRICS.get((version_id, digest, kind))
    if rules is None:
        document = db.execute(select(RubricVersion.document).where(RubricVersion.id == version_id)).scalar_one()
        rules = rules_of_version(version_id, kind, document)
        if len(_RUBRICS) > 1024:
            _RUBRICS.clear()
        _RUBRICS[(version_id, digest, kind)] = rules
    if not isinstance(rules, Rubric):
        raise Conflict("该赛项不用评分表", "this event is not marked on score sheets")
    return rules


def marked_on_sheets(db: Session, context: RoundContext) -> bool:
    """Whether judges mark this round on score sheets: its event's rubric has a criterion a judge
    marks. A theory paper (every question graded by its answer key), a quiz (the quiz master's
    log) and a rubric of officials' values only are not, so such a round has no panel and is
    never put on a judge's tablet (judges/seats.py, organiser/round_setup.py)."""
    try:
        rubric = rubric_of(db, context)
    except Conflict:  # a quiz: no rubric at all
        return False
    return judges_mark(rubric)


def judges_mark(rubric: Rubric) -> bool:
    """Whether a rubric has a criterion a judge marks (`marked_on_sheets`)."""
    return any(not criterion.official for criterion in rubric.criteria())


def event_entry_keys(db: Session, event: Event) -> list[str]:
    """The keys of an event's entries: its competition's teams, or its contestants."""
    if event.scope == "team":
        return list(
            db.execute(select(Team.key).where(Team.competition_id == event.competition_id).order_by(Team.key)).scalars()
        )
    return list(
        db.execute(
            select(Contestant.key).where(Contestant.competition_id == event.competition_id).order_by(Contestant.key)
        ).scalars()
    )


TEAMS: Table = Team.__table__  # type: ignore[assignment]
CONTESTANTS: Table = Contestant.__table__  # type: ignore[assignment]
#: Whether a key is a team's or a contestant's of a competition (built once: one indexed lookup).
HAS_ENTRY = {
    table: select(table.c.id)
    .where(table.c.competition_id == bindparam("competition_id"), table.c.key == bindparam("key"))
    .limit(1)
    for table in (TEAMS, CONTESTANTS)
}


def has_entry(db: Session, event: Event, key: str) -> bool:
    """Whether `key` is one of the event's entries (one indexed lookup, not the whole list)."""
    query = HAS_ENTRY[TEAMS if event.scope == "team" else CONTESTANTS]
    found = db.connection().execute(query, {"competition_id": event.competition_id, "key": key}).first()
    return found is not None


def entry_labels(db: Session, context: RoundContext) -> dict[str, str]:
    """Entry key -> its label for the round's judges: the key, or in a blind event its code
    (only entries with a drawn code, so none before the draw)."""
    if context.event.blind:
        return {entry: code for code, entry in codes_of(db, context.round.id).items()}
    return {entry: entry for entry in event_entry_keys(db, context.event)}


def labels_in_order(db: Session, context: RoundContext) -> list[str]:
    """The labels the round's judges see, in the drawn order of appearance when one was drawn."""
    order = latest_draw(db, context.round.id, "order")
    position = {entry: i for i, entry in enumerate(order.result["order"])} if order else {}
    if context.event.blind:
        codes = codes_of(db, context.round.id)
        return sorted(codes, key=lambda code: (position.get(codes[code], len(position)), code))
    return sorted(event_entry_keys(db, context.event), key=lambda entry: (position.get(entry, len(position)), entry))


def entry_of_label(db: Session, context: RoundContext, label: str) -> str:
    """The entry key behind a label a judge sent: a key, or in a blind event a code (keys are
    refused there, so a judge cannot probe which entry is which)."""
    if context.event.blind:
        codes = codes_of(db, context.round.id)
        if not codes:
            raise Conflict(
                "盲评赛项尚未抽取编码，暂不能评分",
                "this blind event has no drawn codes yet; sheets open once the codes are drawn",
            )
        if label not in codes:
            raise NotFound(f"本轮次没有编码“{label}”", f"no code '{label}' in this round")
        return codes[label]
    if not has_entry(db, context.event, label):
        raise NotFound(f"本轮次没有参赛对象“{label}”", f"no entry '{label}' in this round")
    return label


def panel_judges(db: Session, round_id: int) -> list[str]:
    """The keys of the judges who mark the round's sheets: its panel, less a chief seated as
    referee (desk only). Sheets, the lock, min_judges and the results count these judges only."""
    return list(
        db.execute(
            select(Judge.key)
            .join(PanelSeat, PanelSeat.judge_id == Judge.id)
            .where(PanelSeat.round_id == round_id, PanelSeat.marks.is_(True))
            .order_by(Judge.key)
        ).scalars()
    )
