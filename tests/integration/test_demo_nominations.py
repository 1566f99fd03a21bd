"""The demo's selection by nomination (server/demo_nominations.py, examples/ranger_selection):
thirty nominations from ten units through the store's checks, seven experts' votes, a notice
with one objection decided, and the published list of ten, each honouree's page and photo
public; the portraits are real PNGs."""

from __future__ import annotations

import struct
import zlib

from sqlalchemy import func, select

from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.nomination_lists import lists_of
from scoring.store.nomination_models import DeliberationBallot, Nomination, NominationCall
from server.demo_nominations import load_ranger_selection, portrait_png, ranger_urls


def test_demo_portrait_is_a_png_of_its_size():
    data = portrait_png(4, 40, 30)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (40, 30)
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    assert len(zlib.decompress(data[idat + 4 : idat + 4 + length])) == 30 * (1 + 40 * 3)
    assert portrait_png(4, 40, 30) == data and portrait_png(5, 40, 30) != data


def test_demo_ranger_selection_runs_to_a_published_list_of_ten(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'scoring.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    shown = load_ranger_selection(sessions, tmp_path, b"k" * 32)
    with sessions() as db:
        call = db.execute(select(NominationCall)).scalar_one()
        assert call.stage == "final"
        assert db.execute(select(func.count()).select_from(Nomination)).scalar_one() == 30
        units = db.execute(select(func.count(func.distinct(Nomination.unit_key)))).scalar_one()
        assert units == 10
        assert db.execute(select(func.count()).select_from(DeliberationBallot)).scalar_one() == 7
        notice, final = lists_of(db, call.id)
        assert (notice.kind, final.kind) == ("notice", "final")
        assert len(final.snapshot["list"]) == 10 and final.snapshot["removed"] == []
        assert all(e["story_en"] and e["story_zh"] for e in final.snapshot["list"])
    assert (tmp_path / "uploads" / "photos" / final.snapshot["list"][0]["photo"]).is_file()
    lines = ranger_urls("http://h", shown)
    assert any("http://h/nominations/ranger-2026/list" in line for line in lines)
    engine.dispose()
