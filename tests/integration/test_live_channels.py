"""Live updates across server processes: with SCORING_REDIS_URL, a chief judge's console served
by one process hears of a sheet written through another. Needs Redis at 127.0.0.1:6379 (or
$SCORING_TEST_REDIS_URL); skipped with the reason where it is absent, except in CI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from tests.integration.databases import Templates
from tests.integration.world import World, ok, sheet_body


def test_a_console_on_one_process_hears_a_write_made_through_another(
    templates: Templates, tmp_path: Path, redis_url: str
):
    with templates.copy("world", "sqlite", World.build, tmp_path / "data") as (place, seating):
        world = World(place, seating, redis_url=redis_url)  # process A: the judges write here
        other = create_app(Settings(data_dir=place.data_dir, database_url=place.url, redis_url=redis_url))  # B
        chief: Any = TestClient(other)
        chief.__enter__()
        try:
            ok(chief.get(world.access["e2"]["link"], follow_redirects=False), (302, 303))
            with chief.websocket_connect(f"/api/chief/rounds/{world.hydrant}/live") as socket:
                assert socket.receive_json(timeout=5) == {"type": "hello", "round": world.hydrant}
                written = world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body())
                assert written.status_code == 200, written.text
                assert socket.receive_json(timeout=10) == {"type": "sheet", "round": world.hydrant}
        finally:
            chief.__exit__(None, None, None)
            world.close()
