"""Published results for the public pages' tests: snapshots (format 1) of the cement example
made from its roster with generated scores, and acts of publishing written as the
publication flow writes them (a ResultPublication row; the public pages only read them)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.model import Competition as CompetitionModel
from scoring.store.models import Competition, ResultPublication
from tests.helpers import ROOT

CEMENT = ROOT / "examples" / "cement" / "competition.toml"
APPEAL = {
    "zh": "对公示成绩有异议的参赛队，请于公示截止前由领队向仲裁组提交书面申诉（竞赛办公室 A201，电话 010-12345678）。",
    "en": "A team that disputes these results may lodge a written appeal through its leader with the arbitration "
    "group before the deadline (competition office A201, tel. 010-12345678).",
}


def cement() -> CompetitionModel:
    return load_competition(CEMENT)


def _places(rows: list[dict[str, Any]]) -> None:
    """Best first by score; equal scores share a place ("=n")."""
    rows.sort(key=lambda r: Decimal(r["score"]), reverse=True)
    for i, row in enumerate(rows):
        first = next(j for j, r in enumerate(rows) if r["score"] == row["score"])
        shared = sum(1 for r in rows if r["score"] == row["score"]) > 1
        row["place"] = f"={first + 1}" if shared else str(first + 1)
        del i


def _score(*numbers: int) -> Decimal:
    seed = int(hashlib.sha256(":".join(map(str, numbers)).encode()).hexdigest()[:8], 16)
    return Decimal(70 + seed % 29) + Decimal(seed % 10) / 10


def cement_snapshot(
    model: CompetitionModel,
    *,
    kind: str,
    version: int,
    seq: int,
    published_at: datetime,
    deadline: datetime | None = None,
    corrected: dict[str, dict[str, str]] | None = None,
    changes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A snapshot of the cement contest; `corrected` overrides a team's event scores."""
    units = {u.key: u.name for u in model.units}
    names = {c.key: c.name for c in model.contestants}
    events = [{"key": e.key, "title": e.title, "weight": format(e.weight, "f")} for e in model.events]
    overall = []
    for i, team in enumerate(model.teams):
        scores = {e.key: _score(i, j) for j, e in enumerate(model.events)}
        for key, value in (corrected or {}).get(team.key, {}).items():
            scores[key] = Decimal(value)
        total = sum(scores[e.key] * e.weight for e in model.events) / 100
        overall.append(
            {
                "entry": team.key,
                "name": team.name,
                "unit": units[team.unit],
                "contestants": [names[m] for m in team.members],
                "scores": {k: format(v.quantize(Decimal("0.01")), "f") for k, v in scores.items()},
                "score": format(total.quantize(Decimal("0.01"), ROUND_HALF_UP), "f"),
                "tie_break": "",
            }
        )
    _places(overall)
    standings: dict[str, list[dict[str, Any]]] = {}
    for event in model.events:
        rows = [
            {"entry": r["entry"], "name": r["name"], "unit": r["unit"], "score": r["scores"][event.key]}
            for r in overall
        ]
        _places(rows)
        standings[event.key] = rows
    theory = [
        {"entry": c.key, "name": {"zh": c.name, "en": c.name}, "unit": units[c.unit], "score": str(60 + i * 7 % 39)}
        for i, c in enumerate(model.contestants)
    ]
    _places(theory)
    standings["theory"] = theory
    awards = []
    start = 0
    for key, count in (("first", 3), ("second", 6), ("third", 8)):
        rule = next(a for a in model.awards if a.key == key)
        awards.append(
            {
                "key": key,
                "title": rule.title,
                "kind": "prize",
                "scope": "team",
                "notes": [
                    {"zh": f"28 × {rule.ratio} 四舍五入为 {count}", "en": f"28 x {rule.ratio}, rounded: {count}"}
                ],
                "recipients": [
                    {k: r[k] for k in ("entry", "name", "unit", "contestants", "place", "score")} | {"reason": ""}
                    for r in overall[start : start + count]
                ],
            }
        )
        start += count
    awards.append(
        {
            "key": "technical_expert",
            "title": {"zh": "技术能手", "en": "Technical expert"},
            "kind": "title",
            "scope": "individual",
            "notes": [],
            "recipients": [r | {"contestants": [], "reason": ""} for r in theory[:3]],
        }
    )
    awards.append(
        {
            "key": "organisation",
            "title": {"zh": "优秀组织奖", "en": "Organisation award"},
            "kind": "organisation",
            "scope": "unit",
            "notes": [],
            "recipients": [
                {
                    "entry": "u02",
                    "name": units["u02"],
                    "unit": {"zh": "", "en": ""},
                    "contestants": [],
                    "place": "",
                    "score": "",
                    "reason": "组织周密，保障有力",
                },
            ],
        }
    )
    return {
        "format": 1,
        "competition": {"key": model.key, "name": model.name, "ranking": "team"},
        "kind": kind,
        "version": version,
        "seq": seq,
        "published_at": published_at.isoformat(),
        "deadline": deadline.isoformat() if deadline else None,
        "audit": {"seq": 1200 + seq, "hash": hashlib.sha256(f"audit{seq}".encode()).hexdigest()},
        "appeal": APPEAL if kind == "notice" else None,
        "events": events,
        "overall": overall,
        "event_standings": standings,
        "awards": awards,
        "changes": changes or [],
    }


def publish(
    sessions: sessionmaker[Session],
    key: str,
    kind: str,
    version: int,
    seq: int,
    snapshot: dict[str, Any] | None,
    *,
    at: datetime,
    deadline: datetime | None = None,
) -> None:
    """One act of publishing, stored as the publication flow stores it."""
    with sessions.begin() as db:
        competition_id = db.execute(select(Competition.id).where(Competition.key == key)).scalar_one()
        audit = (snapshot or {}).get("audit") or {"seq": 1200 + seq, "hash": "0" * 64}
        db.add(
            ResultPublication(
                competition_id=competition_id,
                seq=seq,
                kind=kind,
                version=version,
                deadline=deadline,
                snapshot=snapshot or {},
                audit_seq=audit["seq"],
                audit_hash=audit["hash"],
                published_by="organiser",
                reason="" if kind != "withdrawn" else "更正 t05 的理论成绩",
                created_at=at,
            )
        )
