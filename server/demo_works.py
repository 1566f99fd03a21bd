"""The five-small innovation contest of the demo (examples/five_small): stored, its call for
entries opened, 40 works submitted by the 10 units through the units' use case (each with a
generated PDF, some with a photo), 39 found eligible and one refused with its reason, the 12
experts assigned 3 a work (never their own unit's, never a declared conflict), every review
submitted through the judges' sheet writes, and the best 14 shortlisted into the final in a
drawn order, the shortlist published. The call stays open a fortnight, so a unit's link still
shows the form. Marks are generated (seeded), never typed in."""

from __future__ import annotations

import random
import struct
import tomllib
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from organiser.judge_access import renew_access
from organiser.round_setup import set_panel
from organiser.works_review import assign_experts, conflict_of, make_shortlist, set_pool
from scoring.competition import load_competition
from scoring.rubrics.model import Rubric
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.competitions import store_competition
from scoring.store.models import Event, Judge, Round
from scoring.store.review_assignments import assignments_of
from scoring.store.rounds import round_context, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import record_write
from scoring.store.shortlists import publish_shortlist
from scoring.store.works import decide_eligibility, open_call, submit_work
from scoring.works_form import Submission, Upload
from web.security import sign_holder_token

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "five_small"
ACTOR = "organiser:demo"
REFUSAL = "与 W003 为同一成果重复提交 / the same work as W003, sent twice"


def pdf_of(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII) in Helvetica: a work's generated description."""
    safe = "".join(c for c in text if 32 <= ord(c) < 127).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 60 760 Td ({safe[:80]}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def png_of(seed: int, width: int = 160, height: int = 100) -> bytes:
    """A small PNG of two coloured bands: a work's generated photo."""
    rng = random.Random(seed)
    top, bottom = bytes(rng.randrange(60, 220) for _ in range(3)), bytes(rng.randrange(60, 220) for _ in range(3))
    rows = b"".join(b"\x00" + (top if y < height // 2 else bottom) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _round(db: Session, competition_id: int, key: str) -> Round:
    return db.execute(
        select(Round)
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition_id, Round.key == key)
    ).scalar_one()


def _marks(rubric: Rubric, rng: random.Random, quality: Decimal) -> dict[str, str]:
    """A review's marks: each criterion near the work's quality (a share of its maximum), on its step."""
    marks = {}
    for criterion in rubric.criteria():
        top = criterion.kind.max_points() or Decimal(10)
        value = quality * top + Decimal(rng.randint(-4, 4)) / 2
        value = max(Decimal(0), min(top, value))
        marks[criterion.key] = str((value * 2).to_integral_value() / 2)
    return marks


def store_five_small(
    sessions: sessionmaker[Session], files_dir: Path, secret: bytes, play_reviews: bool = True
) -> dict[str, Any]:
    """Store the example and play its call through to a published shortlist (without
    `play_reviews`: up to the experts' assignment, every review still to do); what the demo prints."""
    plan = tomllib.loads((EXAMPLE / "works.toml").read_text(encoding="utf-8"))
    call_plan = plan["call"]
    competition = load_competition(EXAMPLE / "competition.toml")
    now = datetime.now(UTC)
    with sessions.begin() as db:
        competition_id = store_competition(db, competition, actor=ACTOR)
        review_round = _round(db, competition_id, call_plan["review_round"])
        final_round = _round(db, competition_id, call_plan["final_round"])
        call = open_call(
            db,
            ACTOR,
            competition_id=competition_id,
            round_id=review_round.id,
            title_zh=call_plan["title"]["zh"],
            title_en=call_plan["title"]["en"],
            notes_zh=call_plan["notes"]["zh"],
            notes_en=call_plan["notes"]["en"],
            categories=call_plan["categories"],
            deadline=now + timedelta(days=14),
            attachment_max_bytes=int(call_plan["attachment_mb"]) * 1024 * 1024,
            attachments_max=int(call_plan["attachments_max"]),
            reviews_per_work=int(call_plan["reviews_per_work"]),
            blind=bool(call_plan["blind"]),
            published=True,
        )
        works = [*plan["works"], {**plan["works"][2], "title": plan["works"][2]["title"] + "（重复提交）"}]
        for n, work in enumerate(works, 1):
            uploads = [Upload(f"work-{n:02}.pdf", pdf_of(f"Five-small work {n}: {work['category']}"))]
            if n % 3 == 0:
                uploads.append(Upload(f"photo-{n:02}.png", png_of(n)))
            submit_work(
                db,
                call,
                work["unit"],
                Submission(work["title"], work["authors"], work["category"], work["abstract"], (), tuple(uploads)),
                files_dir,
                client_id=f"demo-{n}",
                actor=f"unit:{work['unit']}",
                now=now,
            )
        for n in range(1, len(works) + 1):
            key = f"W{n:03}"
            if n == len(works):
                decide_eligibility(db, call, key, False, REFUSAL, ACTOR)
            else:
                decide_eligibility(db, call, key, True, "", ACTOR)
        set_pool(db, competition.key, "\n".join(f"{e['judge']} {e['unit']}" for e in plan["experts"]), ACTOR)
        for c in plan.get("conflicts", []):
            conflict_of(db, competition.key, c["judge"], c["work"], c["reason"], ACTOR)
        assign_experts(db, competition.key, ACTOR)
        rows = db.execute(select(Judge).where(Judge.competition_id == competition_id)).scalars()
        judges = {j.key: j.id for j in rows}
        expert_key = plan["experts"][8]["judge"]  # an expert without a unit, who reviews 9 or 10 works
        [expert] = renew_access(db, secret, [judges[expert_key]], ACTOR)
        shortlisted = (
            _review_and_shortlist(db, competition.key, competition_id, judges, plan, call.id, final_round.id)
            if play_reviews
            else []
        )
    return {
        "key": competition.key,
        "works": len(works),
        "shortlisted": shortlisted,
        "unit_link": f"/works/unit/{sign_holder_token(secret, 'unit', competition_id, 'u01')}",
        "expert": expert,
    }


def _review_and_shortlist(
    db: Session,
    key: str,
    competition_id: int,
    judges: dict[str, int],
    plan: dict[str, Any],
    call_id: int,
    final_id: int,
) -> list[str]:
    """Every assigned review submitted with generated marks, then the best works shortlisted into
    the final (its panel the first seven experts) in a drawn order, and the shortlist published."""
    call_plan = plan["call"]
    review_round = _round(db, competition_id, call_plan["review_round"])
    context = round_context(db, review_round.id)
    rubric = rubric_of(db, context)
    rng = random.Random(20261218)
    for entry, experts in sorted(assignments_of(db, review_round.id).items()):
        quality = Decimal(rng.randint(55, 92)) / 100
        for judge in experts:
            write = SheetWrite(
                round_id=review_round.id,
                entry_key=entry,
                judge_id=judges[judge],
                rubric_version_id=context.rubric_version_id,
                action=SheetAction.SUBMIT,
                actor=Actor.JUDGE,
                base_version=0,
                client_id=f"demo-{entry}-{judge}",
                author=f"judge:{judge}",
                device="demo",
                marks=_marks(rubric, rng, quality),
                competition_id=competition_id,
            )
            record_write(db, write, rubric)
    set_panel(db, final_id, [e["judge"] for e in plan["experts"][:7]], plan["experts"][0]["judge"], ACTOR)
    shortlisted = make_shortlist(db, key, "rank", str(call_plan["shortlist"]), str(final_id), ACTOR)
    publish_shortlist(db, call_id, ACTOR)
    return shortlisted


def print_works(console: Console, base: str, works: dict[str, Any]) -> None:
    """The five-small contest's addresses: the public call, the organiser's page, a unit's link
    and an expert's card (the review page is /review once signed in)."""
    key, expert = works["key"], works["expert"]
    console.print(
        f"五小作品征集 / call for entries ({key}): {base}/calls/{key}   "
        f"组织者 / organiser: {base}/admin/competitions/{key}/works   "
        f"（{works['works']} 件作品，入围 / shortlisted {len(works['shortlisted'])}）",
        markup=False,
    )
    console.print(f"单位提交链接 / a unit's link (u01): {base}{works['unit_link']}", markup=False)
    console.print(
        f"评审专家 / expert {expert['judge']} ({key}): {base}{expert['link']}   PIN {expert['pin']}   "
        f"评审 / review: {base}/review",
        markup=False,
    )
