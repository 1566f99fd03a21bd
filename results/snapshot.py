"""The published snapshot (format 1): what a publication freezes and the public pages render.

One JSON document per publication: the competition, the overall standings, each event's
standings, the award lists, and `changes` against the previous publication with why. Every
number is exact decimal text (never a float); every name is {"zh", "en"}. The format is
written out in docs/architecture.md ("The published snapshot").

Nothing here reads the store or decides when to publish (results/publishing.py does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from results.awards import AwardList
from results.from_store import StoredResults
from results.report import rank_event
from results.standings import Standing
from scoring.decimals import decimal_text, format_decimal
from scoring.model import Competition

FORMAT = 1

APPEAL_HOW = {
    "zh": "对公示成绩有异议的参赛队，请在公示截止前由队长通过本队申诉链接（或经组织者）提交书面申诉，"
    "写明理由，可附 PDF 或图片（不超过 5 MB）。仲裁委员会的决定为最终决定。",
    "en": "A team that disputes the results on notice lodges a written appeal before the deadline: its "
    "leader uses the team's appeal link (or the organiser lodges it for the team), gives the reasons "
    "and may attach a PDF or an image (at most 5 MB). The arbitration committee's decision is final.",
}


@dataclass(frozen=True)
class Why:
    """Why results changed since the previous publication: for one entry (an upheld appeal of
    its team) or for every entry (entry "")."""

    entry: str
    zh: str
    en: str


class Names:
    """Names of teams, contestants and units in both languages, and a team's contestants."""

    def __init__(self, competition: Competition) -> None:
        self.units = {u.key: u.name for u in competition.units}
        self.teams = {t.key: t for t in competition.teams}
        self.contestants = {c.key: c for c in competition.contestants}
        self.members: dict[str, list[str]] = {}
        for c in competition.contestants:
            if c.team:
                self.members.setdefault(c.team, []).append(c.name)

    def name(self, entry: str) -> dict[str, str]:
        if entry in self.teams:
            return dict(self.teams[entry].name)
        if entry in self.contestants:
            return {"zh": self.contestants[entry].name, "en": self.contestants[entry].name}
        if entry in self.units:
            return dict(self.units[entry])
        return {"zh": entry, "en": entry}

    def unit(self, entry: str) -> dict[str, str]:
        key = self.teams[entry].unit if entry in self.teams else None
        key = key or (self.contestants[entry].unit if entry in self.contestants else None)
        return dict(self.units.get(key or "", {"zh": "", "en": ""}))

    def people(self, entry: str) -> list[str]:
        if entry in self.teams:
            return list(self.members.get(entry, []))
        if entry in self.contestants:
            return [self.contestants[entry].name]
        return []


def _standing(names: Names, s: Standing) -> dict[str, Any]:
    return {
        "place": s.place_label,
        "entry": s.entry,
        "name": names.name(s.entry),
        "unit": names.unit(s.entry),
        "score": decimal_text(s.score) if s.place is not None else "",
    }


def _awards(names: Names, lists: Sequence[AwardList]) -> list[dict[str, Any]]:
    return [
        {
            "key": a.rule.key,
            "title": dict(a.rule.title),
            "kind": a.rule.kind,
            "scope": str(a.rule.scope),
            "notes": [{"zh": zh, "en": en} for zh, en in a.notes],
            "recipients": [
                {
                    "entry": r.entry,
                    "name": {"zh": r.name, "en": r.name_en},
                    "unit": {"zh": r.unit_name, "en": r.unit_name_en},
                    "contestants": list(r.contestants),
                    "place": "" if r.place is None else (f"={r.place}" if r.shared else str(r.place)),
                    "score": decimal_text(r.score),
                    "reason": r.reason,
                }
                for r in a.recipients
            ],
        }
        for a in lists
    ]


def changes(
    previous: dict[str, Any] | None, overall: list[dict[str, Any]], whys: Sequence[Why]
) -> list[dict[str, Any]]:
    """Every entry whose place, score or event scores differ from the previous publication's,
    with why: the reasons naming that entry, else every reason given for all entries."""
    if previous is None:
        return []
    before = {row["entry"]: row for row in previous.get("overall", [])}
    general = [w for w in whys if not w.entry]
    found: list[dict[str, Any]] = []
    for row in overall:
        old = before.get(row["entry"])
        if old is not None and (old["place"], old["score"], old.get("scores")) == (
            row["place"],
            row["score"],
            row.get("scores"),
        ):
            continue
        own = [w for w in whys if w.entry == row["entry"]] or general
        found.append(
            {
                "entry": row["entry"],
                "name": row["name"],
                "before": {"place": old["place"], "score": old["score"]} if old else None,
                "after": {"place": row["place"], "score": row["score"]},
                "why": {"zh": "；".join(w.zh for w in own), "en": "; ".join(w.en for w in own)},
            }
        )
    return found


def build_snapshot(
    results: StoredResults,
    awards: Sequence[AwardList],
    *,
    kind: str,
    version: int,
    seq: int,
    published_at: datetime,
    deadline: datetime | None,
    audit: tuple[int, str],
    previous: dict[str, Any] | None,
    whys: Sequence[Why] = (),
) -> dict[str, Any]:
    """The snapshot of published results (`results` in the published view, with its overall)."""
    competition = results.competition
    names = Names(competition)
    overall_rows: list[dict[str, Any]] = []
    if results.overall is not None:
        scores = results.overall.event_scores
        for s in results.overall.standings:
            row = _standing(names, s)
            row["contestants"] = names.people(s.entry)
            row["scores"] = {e.key: decimal_text(scores.get(e.key, {}).get(s.entry)) for e in competition.events}
            row["tie_break"] = ", ".join(s.decided_by)
            overall_rows.append(row)
    return {
        "format": FORMAT,
        "competition": {"key": competition.key, "name": dict(competition.name), "ranking": str(competition.ranking)},
        "kind": kind,
        "version": version,
        "seq": seq,
        "published_at": published_at.isoformat(),
        "deadline": deadline.isoformat() if deadline is not None and kind == "notice" else None,
        "audit": {"seq": audit[0], "hash": audit[1]},
        "appeal": dict(APPEAL_HOW) if kind == "notice" else None,
        "events": [
            {"key": e.key, "title": dict(e.title), "weight": format_decimal(e.weight)} for e in competition.events
        ],
        "overall": overall_rows,
        "event_standings": {
            key: [_standing(names, s) for s in rank_event(result)] for key, result in results.events.items()
        },
        "awards": _awards(names, awards),
        "changes": changes(previous, overall_rows, whys),
    }
