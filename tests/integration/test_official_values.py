"""Officials' values uploaded for a round: checked whole, stored as versions, counted in results."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from organiser.official_uploads import upload_official_values
from organiser.service import Upload
from results.from_store import View, results_from_store
from results.overall import marks_file
from scoring.competition import load_competition
from scoring.problems import InvalidInput
from scoring.refusals import Conflict
from scoring.store.competitions import store_competition
from scoring.store.models import Competition, Event, OfficialValues, Round
from scoring.store.official_values import current_values
from server.demo_marks import write_competition_marks
from tests.helpers import ROOT
from tests.integration.world import ok

TIMES = "entry,attempt,judge,criterion,value\ns01,,,time,38.5\ns02,,,time,61\n"


def test_official_times_are_stored_once_and_a_retry_stores_nothing_new(world):
    organiser = world.organiser
    sent = ok(
        organiser.post(f"/api/admin/rounds/{world.hydrant}/official-values", files={"values": ("t.csv", TIMES)}),
        201,
    )
    assert sent == {"round": world.hydrant, "entries": 2, "unchanged": 0, "file": "t.csv", "upload": 1}
    again = ok(
        organiser.post(f"/api/admin/rounds/{world.hydrant}/official-values", files={"values": ("t.csv", TIMES)}),
        201,
    )
    assert again == sent | {"entries": 0, "unchanged": 2, "upload": None}
    with world.app.state.database.read() as db:
        assert current_values(db, world.hydrant) == {"s01": {"time": "38.5"}, "s02": {"time": "61"}}
        assert len(db.scalars(select(OfficialValues)).all()) == 2  # the same file twice: one version each


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("entry,attempt,judge,criterion,value\ns01,,,time,38.5\nzz,,,time,40\n", "zz"),  # an unknown entry
        ("entry,attempt,judge,criterion,value\ns01,,,time,abc\n", '"row":2'),  # not a number
        ("entry,attempt,judge,criterion,value\ns01,,e1,time,38\n", "judge"),  # a judge's mark
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_it(world, content, said):
    response = world.organiser.post(
        f"/api/admin/rounds/{world.hydrant}/official-values", files={"values": ("bad.csv", content)}
    )
    assert response.status_code == 422, response.text
    assert said in response.text and "bad.csv" in response.text
    with world.app.state.database.read() as db:
        assert current_values(db, world.hydrant) == {}


def test_quiz_rounds_and_closed_rounds_take_no_upload(world):
    quiz = world.organiser.post(
        f"/api/admin/rounds/{world.quiz_round}/official-values", files={"values": ("t.csv", TIMES)}
    )
    assert quiz.status_code == 409 and "quiz" in quiz.text
    ok(world.organiser.post(f"/api/admin/rounds/{world.hydrant}/publication", json={"state": "locked"}))
    closed = world.organiser.post(
        f"/api/admin/rounds/{world.hydrant}/official-values", files={"values": ("t.csv", TIMES)}
    )
    assert closed.status_code == 409
    with world.app.state.database.read() as db:
        assert current_values(db, world.hydrant) == {}


def test_theory_answer_sheets_uploaded_give_the_same_scores_as_the_file(sessions, tmp_path: Path):
    competition = load_competition(ROOT / "examples" / "cement" / "competition.toml")
    write_competition_marks(competition, tmp_path)
    theory = competition.event("theory")
    assert theory is not None and theory.bound is not None
    path = marks_file(tmp_path, theory)
    assert path is not None
    with sessions.begin() as db:
        store_competition(db, competition, actor="test")
        cid = db.scalar(select(Competition.id).where(Competition.key == competition.key))
        round_id = db.scalar(
            select(Round.id)
            .join(Event, Event.id == Round.event_id)
            .where(Event.competition_id == cid, Event.key == "theory")
        )
        assert round_id is not None
        stored = upload_official_values(db, round_id, Upload(path.name, path.read_bytes()), "organiser:test")
    assert stored["entries"] == len(competition.contestants)
    expected = theory.bound.score_file(path)
    with sessions() as db:
        got = results_from_store(db, competition.key, View.PROVISIONAL)
    assert [(s.entry, s.score) for s in got.events["theory"].scores] == [(s.entry, s.score) for s in expected.scores]
    with sessions.begin() as db, pytest.raises(InvalidInput) as refused:
        bad = path.read_text(encoding="utf-8").replace("c001,", "nobody,", 1)
        upload_official_values(db, round_id, Upload("answers.csv", bad.encode()), "organiser:test")
    assert "nobody" in str(refused.value) and "answers.csv" in str(refused.value)
    with sessions.begin() as db, pytest.raises(Conflict):
        quiz_like = db.scalar(select(Round).where(Round.id == round_id))
        assert quiz_like is not None
        quiz_like.publication = "locked"
        db.flush()
        upload_official_values(db, round_id, Upload(path.name, path.read_bytes()), "organiser:test")
