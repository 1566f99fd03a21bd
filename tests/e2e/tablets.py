"""What the judge's tablet tests share: the power-safety competition with one judged round (the
hydrant drill, or the presentation: four 0–30 and 0–20 scales by 0.5) and its panel, a judge
signed in by PIN on a tablet or phone of the given size and language, and the store read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import AuditRecord, Event, Judge, Round, Sheet, SheetVersion
from tests.helpers import ROOT, committed
from web.security import load_secret

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
SIZES = {"tablet": TABLET, "phone": PHONE}


def sessions(tmp_path: Path) -> Any:
    return session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))


def prepare(tmp_path: Path, event: str = "hydrant") -> tuple[int, dict[str, str]]:
    """The competition stored, `event`'s round with e1 and e2 judging (e2 the chief); the round's
    id and each judge's PIN."""
    store = sessions(tmp_path)
    committed(
        store, store_competition, load_competition(ROOT / "examples" / "power_safety" / "competition.toml"), actor="t"
    )
    with store() as db:
        found = db.execute(select(Event).where(Event.key == event)).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == found.id)).scalar_one()
        ids = dict(db.execute(select(Judge.key, Judge.id)).all())
    committed(store, set_panel, round_id, ["e1", "e2"], "e2", actor="t")
    access = committed(store, renew_access, load_secret(tmp_path, None), [ids["e1"], ids["e2"]], actor="t")
    return round_id, {a["judge"]: a["pin"] for a in access}


def judge_page(browser: Any, server: str, judge: str, pin: str, size: dict[str, int] = TABLET, lang: str = "zh") -> Any:
    """A tablet (or phone) with `judge` signed in by PIN alone, on the assignments page."""
    page = browser.new_context(viewport=size).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{server}/judge/pin?lang={lang}")
    page.fill("#judge", judge)
    page.fill("#pin", pin)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/judge")
    return page


def type_into(page: Any, key: str, text: str) -> None:
    """Type into a criterion's box as a judge does (key by key), then leave it."""
    box = page.locator(f"#m-{key}")
    box.fill("")
    box.press_sequentially(text)
    box.blur()


def mark(page: Any, marks: dict[str, str]) -> None:
    for key, value in marks.items():
        if page.locator(f"#m-{key}").evaluate("el => el.tagName") == "SELECT":
            page.select_option(f"#m-{key}", value)
        else:
            type_into(page, key, value)


def wait_sent(page: Any) -> None:
    page.wait_for_function("document.getElementById('pending').textContent === '0'", timeout=20000)


def versions(tmp_path: Path) -> list[tuple[str, int, str, dict[str, str]]]:
    """Every stored version: (entry, version, state, marks), in the order they were stored."""
    with sessions(tmp_path)() as db:
        rows = db.execute(select(Sheet.entry_key, SheetVersion).join(Sheet, Sheet.id == SheetVersion.sheet_id))
        return [(entry, v.version, v.state, dict(v.marks)) for entry, v in sorted(rows, key=lambda r: r[1].id)]


def devices(tmp_path: Path) -> dict[str, str]:
    """Each sheet's entry and the device it is tied to ("" when none)."""
    with sessions(tmp_path)() as db:
        return {s.entry_key: s.device or "" for s in db.execute(select(Sheet)).scalars()}


def audit_actions(tmp_path: Path) -> list[str]:
    with sessions(tmp_path)() as db:
        return [r.action for r in db.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()]
