"""The demo's selection by nomination (examples/ranger_selection): the competition stored, the
call set from selection.toml, thirty nominations sent by the ten units with a small portrait
drawn here (a PNG written by `portrait_png`, no image library), the seven experts' votes, a
notice that ran for a week with one objection dismissed with reasons, and the published list of
ten. Everything goes through the store's use cases the pages use, each in its own transaction,
so the demo's data passes the same checks and leaves the same audit records."""

from __future__ import annotations

import struct
import tomllib
import zlib
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.deliberation import CountingRule
from scoring.nomination_rules import CallRules, NominationForm
from scoring.store.competitions import store_competition
from scoring.store.models import Competition, Judge
from scoring.store.nomination_lists import decide_objection, lodge_objection, publish_final, publish_notice
from scoring.store.nominations import (
    CallSettings,
    cast_ballot,
    move_stage,
    nominate,
    nominations_of,
    open_call_of,
    photos_dir,
    set_call,
)
from web.security import sign_holder_token

RANGERS = Path(__file__).resolve().parent.parent / "examples" / "ranger_selection"
ACTOR = "make demo"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def portrait_png(seed: int, width: int = 160, height: int = 120) -> bytes:
    """A small RGB PNG: a sky, a green hill with a tree, and a figure, in colours set by `seed`."""
    sky = (120 + seed * 37 % 100, 170 + seed * 13 % 60, 220)
    coat = (40 + seed * 53 % 160, 90 + seed * 29 % 100, 40 + seed * 71 % 120)
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            hill = height * 0.62 + 10 * ((x - width / 2) / width) ** 2 * 4
            colour = sky if y < hill else (60, 120 + (x + seed) % 30, 60)
            tx, ty = width * 0.22, height * 0.45
            if abs(x - tx) < (y - ty + 24) * 0.45 and ty - 24 < y < hill:  # a fir
                colour = (30, 95, 50)
            hx, hy = width * 0.62, height * 0.42
            if (x - hx) ** 2 + (y - hy) ** 2 < 13**2:  # head
                colour = (235, 200, 170)
            elif abs(x - hx) < min(26, (y - hy - 12) * 1.6 + 9) and hy + 12 < y:  # shoulders and coat
                colour = coat
            row += bytes(colour)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def selection_settings(selection: dict[str, Any]) -> CallSettings:
    counting = selection["counting"]
    return CallSettings(
        title_zh=selection["title"]["zh"],
        title_en=selection["title"]["en"],
        intro_zh=selection["intro"]["zh"],
        intro_en=selection["intro"]["en"],
        rules=CallRules(
            selection["min_service_years"],
            selection["front_line_required"],
            selection.get("unit_quota"),
            selection.get("region_quota"),
            dict(selection.get("regions", {})),
        ),
        panel=tuple(selection["panel"]),
        counting=CountingRule(
            counting["method"],
            counting.get("seats"),
            Fraction(counting.get("threshold", "2/3")),
            counting.get("tie", "include_tied"),
        ),
    )


def _ballot(expert: int, nominations: list[int]) -> dict[str, str]:
    """Expert `expert`'s votes: a fixed pattern that gives the candidates spread approvals."""
    return {
        str(n): "approve" if (i * 7 + expert * 3) % 10 < (6 if i % 3 == 0 else 4) else "reject"
        for i, n in enumerate(nominations)
    }


def load_ranger_selection(sessions: sessionmaker[Session], data_dir: Path, secret: bytes) -> dict[str, Any]:
    """Store and run the example's selection; what the demo prints (its key, a unit's link)."""
    competition = load_competition(RANGERS / "competition.toml")
    selection = tomllib.loads((RANGERS / "selection.toml").read_text(encoding="utf-8"))
    entries = tomllib.loads((RANGERS / "nominations.toml").read_text(encoding="utf-8"))["nominations"]
    key = competition.key
    with sessions.begin() as db:
        store_competition(db, competition, actor=ACTOR)
        set_call(db, key, selection_settings(selection), ACTOR)
    photos = photos_dir(data_dir / "uploads")
    for number, entry in enumerate(entries, start=1):
        form = NominationForm(
            entry["name"], entry["post"], str(entry["years"]), True, entry["story_zh"], entry["story_en"],
            portrait_png(number), entry.get("name_en", ""), entry.get("post_en", ""),
        )  # fmt: skip
        with sessions.begin() as db:
            nominate(db, key, entry["unit"], form, f"demo-{number}", photos)
    with sessions.begin() as db:
        _, call = open_call_of(db, key)
        move_stage(db, call, "deliberation", ACTOR)
        ids = [n.id for n in nominations_of(db, call.id)]
        experts = {j.key: j.id for j in db.execute(select(Judge).where(Judge.key.in_(call.panel))).scalars()}
        cid = db.execute(select(Competition.id).where(Competition.key == key)).scalar_one()
    for index, expert in enumerate(selection["panel"]):
        with sessions.begin() as db:
            cast_ballot(db, key, experts[expert], _ballot(index, ids))
    began = datetime.now(UTC) - timedelta(days=10)
    with sessions.begin() as db:
        notice = publish_notice(db, key, began + timedelta(days=7), ACTOR, now=began)
        first = notice.snapshot["list"][0]["id"]
    with sessions.begin() as db:
        objection = lodge_objection(
            db, key, first, "周明", "139 0000 0000", "听说此人工作年限不足。", now=began + timedelta(days=2)
        )
    with sessions.begin() as db:
        decide_objection(
            db,
            key,
            objection.id,
            "dismissed",
            "经核查人事档案，工作年限属实 / the staff records confirm the years",
            ACTOR,
        )
    with sessions.begin() as db:
        final = publish_final(db, key, ACTOR)
        honouree = final.snapshot["list"][0]["id"]
    return {"key": key, "unit_link": f"/nominate/{sign_holder_token(secret, 'unit', cid, 'u01')}", "honouree": honouree}


def ranger_urls(base: str, shown: dict[str, Any]) -> list[str]:
    """The lines the demo prints for the selection."""
    key = shown["key"]
    return [
        f"推荐评选 / selection by nomination ({key}): {base}/nominations/{key}   "
        f"公示 / notice: {base}/nominations/{key}/notice   名单 / list: {base}/nominations/{key}/list",
        f"  入选者 / an honouree: {base}/nominations/{key}/honourees/{shown['honouree']}   "
        f"组织者 / organiser: {base}/admin/competitions/{key}/nominations",
        f"  单位推荐链接 / a unit's link (u01): {base}{shown['unit_link']}",
    ]
