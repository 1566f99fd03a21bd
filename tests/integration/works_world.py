"""The five-small example stored with its call for entries open and no work yet: the app on it,
an organiser signed in, and helpers to act as a unit (its signed link) or an expert (a judge's
access link). Every setup step checks its result."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from scoring.store.works import open_call
from server.app import create_app
from server.settings import Settings
from tests.integration.world import ok
from web.security import sign_holder_token

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "five_small"
KEY = "five-small-2026"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class WorksWorld:
    app: Any
    sessions: sessionmaker[Session]
    data: Path
    competition_id: int
    review_round: int
    final_round: int
    organiser: TestClient[Any]
    secret: bytes
    stack: ExitStack

    def unit_link(self, unit: str) -> str:
        return f"/works/unit/{sign_holder_token(self.secret, 'unit', self.competition_id, unit)}"

    def client(self) -> TestClient[Any]:
        return self.stack.enter_context(TestClient(self.app))

    def expert(self, key: str) -> TestClient[Any]:
        """A client signed in as the judge `key` through a fresh access link."""
        with self.sessions() as db:
            judge_id = db.execute(
                select(Judge.id).where(Judge.competition_id == self.competition_id, Judge.key == key)
            ).scalar_one()
        access = ok(self.organiser.post(f"/api/admin/judges/{judge_id}/access"))
        client = self.client()
        ok(client.get(access["link"], follow_redirects=False), (302, 303))
        return client

    def files(self) -> list[str]:
        folder = self.data / "uploads" / "works"
        return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def csrf(client: TestClient[Any], page: str) -> dict[str, str]:
    ok(client.get(page))
    return {"x-csrftoken": client.cookies.get("csrftoken", "")}


def submit(client: TestClient[Any], link: str, files: list[tuple[str, bytes]] | None = None, **fields: str) -> Any:
    """A unit's form sent as the page sends it (multipart, with the CSRF token)."""
    form = {
        "title": "绝缘杆快速挂接装置",
        "authors": "王建华，李海燕",
        "category": "small_invention",
        "abstract": "现场试用",
    }
    form |= fields
    upload = [("attachments", (name, data, "application/octet-stream")) for name, data in (files or [])]
    page = link.split("/w/")[0]  # the unit's own page gives the CSRF cookie
    return client.post(link, data=form, files=upload or None, headers=csrf(client, page), follow_redirects=False)


@contextmanager
def works_world(tmp_path: Path, deadline: datetime | None = None) -> Iterator[WorksWorld]:
    plan = tomllib.loads((EXAMPLE / "works.toml").read_text(encoding="utf-8"))["call"]
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as db:
        competition_id = store_competition(db, load_competition(EXAMPLE / "competition.toml"), actor="test")
        rounds = dict(
            db.execute(
                select(Round.key, Round.id)
                .join(Event, Event.id == Round.event_id)
                .where(Event.competition_id == competition_id)
            ).all()
        )
        open_call(
            db,
            "test",
            competition_id=competition_id,
            round_id=rounds["preliminary"],
            title_zh=plan["title"]["zh"],
            title_en=plan["title"]["en"],
            categories=plan["categories"],
            deadline=deadline or datetime.now(UTC) + timedelta(days=7),
            attachment_max_bytes=1024 * 1024,
            attachments_max=2,
            reviews_per_work=3,
            blind=True,
            published=True,
        )
        create_user(db, "org", "correct horse", "organiser", actor="test")
    assert set(rounds) == {"preliminary", "final"}
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"))
    with ExitStack() as stack:
        organiser = stack.enter_context(TestClient(app))
        ok(organiser.post("/api/session", json={"username": "org", "password": "correct horse"}))
        yield WorksWorld(
            app,
            sessions,
            tmp_path,
            competition_id,
            rounds["preliminary"],
            rounds["final"],
            organiser,
            app.state.secret,
            stack,
        )
    engine.dispose()
