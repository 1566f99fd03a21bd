"""The organiser's use cases of the online drills, shared by the pages and the API: a question bank
uploaded (read by scoring/question_bank.py, all or nothing), a paper described in a form or JSON,
finalists selected by rule and added to the final's roster, and the links units hand out.

Each function takes the route's session and runs in its transaction; it renders nothing.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from organiser.competition_setup import Upload, competition_by_key
from results.online_results import preliminary_board
from scoring.decimals import parse_decimal
from scoring.online_papers import DrawRule, PaperSpec
from scoring.online_rules import RULES, select_finalists
from scoring.problems import InvalidInput, Problem
from scoring.question_bank import read_bank
from scoring.store.models import Contestant, Unit
from scoring.store.online_admin import PaperForm, create_paper, import_bank, paper_by_key, publish_paper
from scoring.store.online_finalists import add_finalists
from web.holder_codes import contestant_code
from web.security import sign_holder_token


def upload_bank(db: Session, key: str, upload: Upload, actor: str) -> dict[str, Any]:
    suffix = Path(upload.filename or "bank.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(
            [Problem("题库须为 .csv 或 .xlsx", "a bank must be a .csv or .xlsx file", file=upload.filename)]
        )
    competition = competition_by_key(db, key)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bank{suffix}"
        path.write_bytes(upload.content)
        questions = read_bank(path, source=upload.filename or f"bank{suffix}")
    bank = import_bank(db, competition.id, questions, upload.filename or "", actor)
    return {"version": bank.version, "questions": len(questions), "digest": bank.digest}


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _when(data: dict[str, Any], name: str, problems: list[Problem]) -> datetime | None:
    text = _text(data, name)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(
                f"“{text}”不是时间（如 2026-09-01T08:00）",
                f"'{text}' is not a time (such as 2026-09-01T08:00)",
                path=name,
            )
        )
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rules(raw: Any, problems: list[Problem]) -> tuple[DrawRule, ...]:
    """Draw rules from JSON ([{"topic", "difficulty", "count"}]) or a form's lines "topic, difficulty, count"."""
    items: list[Any] = raw if isinstance(raw, list) else [line for line in str(raw or "").splitlines() if line.strip()]
    rules = []
    for i, item in enumerate(items, start=1):
        parts = (
            [item.get("topic"), item.get("difficulty"), item.get("count")]
            if isinstance(item, dict)
            else [p.strip() for p in str(item).replace("，", ",").split(",")]
        )
        count = str(parts[2]).strip() if len(parts) == 3 else ""
        if len(parts) != 3 or not count.isdigit():
            problems.append(
                Problem(
                    f"第 {i} 条抽题规则须为“主题, 难度, 题数”（* 表示任意）",
                    f"draw rule {i} must be 'topic, difficulty, count' (* for any)",
                    path="rules",
                )
            )
            continue
        rules.append(DrawRule(str(parts[0]).strip() or "*", str(parts[1]).strip() or "*", int(count)))
    return tuple(rules)


def paper_form(data: dict[str, Any]) -> PaperForm:
    """A paper from a form or a JSON body; every problem refused at once (the bank's checks follow)."""
    problems: list[Problem] = []
    raw_questions = data.get("questions") or ""
    questions = (
        raw_questions
        if isinstance(raw_questions, list)
        else [q for q in str(raw_questions).replace("，", ",").replace("\n", ",").split(",") if q.strip()]
    )
    level = _text(data, "level")
    limit = _text(data, "time_limit_minutes")
    mark = _text(data, "pass_mark")
    for name, value in (("level", level), ("time_limit_minutes", limit)):
        if value and not value.isdigit():
            problems.append(Problem(f"“{value}”须为正整数", f"'{value}' must be a whole number", path=name))
    if mark and parse_decimal(mark) is None:
        problems.append(Problem(f"“{mark}”不是数字", f"'{mark}' is not a number", path="pass_mark"))
    form = PaperForm(
        key=_text(data, "key"),
        kind=_text(data, "kind"),
        title_zh=_text(data, "title_zh"),
        title_en=_text(data, "title_en"),
        spec=PaperSpec(
            questions=tuple(str(q).strip() for q in questions),
            rules=_rules(data.get("rules"), problems),
            shuffle=str(data.get("shuffle", True)).lower() not in ("false", "0", "off", ""),
        ),
        level=int(level) if level.isdigit() else None,
        pass_mark=parse_decimal(mark) if mark else None,
        counts=_text(data, "counts") or "best",
        opens_at=_when(data, "opens_at", problems),
        closes_at=_when(data, "closes_at", problems),
        time_limit_minutes=int(limit) if limit.isdigit() else None,
    )
    if problems:
        raise InvalidInput(problems)
    return form


def make_paper(db: Session, key: str, data: dict[str, Any], actor: str) -> dict[str, Any]:
    competition = competition_by_key(db, key)
    paper = create_paper(db, competition.id, paper_form(data), actor)
    return {"id": paper.id, "key": paper.key, "kind": paper.kind, "level": paper.level}


def choose_finalists(db: Session, key: str, paper_key: str, data: dict[str, Any], actor: str) -> dict[str, Any]:
    """Finalists by rule (top_overall n, top_per_unit n, threshold score), added to the roster of
    competition `target`."""
    competition = competition_by_key(db, key)
    paper = paper_by_key(db, competition.id, paper_key)
    rule, value = _text(data, "rule"), parse_decimal(_text(data, "value"))
    problems = []
    if rule not in RULES:
        problems.append(
            Problem(
                "规则须为 top_overall（总排名前 n）、top_per_unit（每单位前 n）或 threshold（分数线）",
                "the rule must be top_overall, top_per_unit or threshold",
                path="rule",
            )
        )
    if value is None or value < 0 or (rule != "threshold" and value != value.to_integral_value()):
        problems.append(
            Problem(
                "数值须为不小于 0 的数（前 n 名须为整数）",
                "the value must be a number of at least 0 (a whole number for top n)",
                path="value",
            )
        )
    if not _text(data, "target"):
        problems.append(Problem("请填写决赛的竞赛编号", "give the final competition's key", path="target"))
    if problems:
        raise InvalidInput(problems)
    assert value is not None
    if paper.kind != "preliminary":
        raise InvalidInput([Problem("只能从初赛选出决赛名单", "finalists are chosen from a preliminary", path="paper")])
    chosen = select_finalists(preliminary_board(db, paper).placed, rule, value)
    selection = add_finalists(db, paper, rule, value, chosen, _text(data, "target"), _text(data, "reason"), actor)
    return {"id": selection.id, "finalists": selection.finalists, "target": selection.target}


def publish(db: Session, key: str, paper_key: str, actor: str) -> dict[str, Any]:
    competition = competition_by_key(db, key)
    paper = publish_paper(db, paper_by_key(db, competition.id, paper_key), actor)
    return {"key": paper.key, "published_at": paper.published_at.isoformat() if paper.published_at else None}


def access_links(db: Session, key: str, secret: bytes, base: str) -> dict[str, Any]:
    """Every contestant's link and every unit's link, for the units to hand out."""
    competition = competition_by_key(db, key)
    people = db.execute(
        select(Contestant).where(Contestant.competition_id == competition.id).order_by(Contestant.key)
    ).scalars()
    units = db.execute(select(Unit).where(Unit.competition_id == competition.id).order_by(Unit.key)).scalars()
    return {
        "contestants": [
            {
                "key": c.key,
                "name": c.name,
                "unit": c.unit_key,
                "link": f"{base}/online/c/{sign_holder_token(secret, 'contestant', competition.id, c.key)}",
                "code": contestant_code(secret, competition.id, c.key),
            }
            for c in people
        ],
        "units": [
            {
                "key": u.key,
                "name": {"zh": u.name_zh, "en": u.name_en},
                "link": f"{base}/online/u/{sign_holder_token(secret, 'unit', competition.id, u.key)}",
            }
            for u in units
        ],
    }
