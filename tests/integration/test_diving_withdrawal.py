"""A diving event whose rubric lets a diver withdraw after dive 3 (`attempts = { up_to = 5, min = 3,
missing = "zero" }`), from the desk and the tablets to the standings: the chief locks a round where
one diver has three dives on every judge's sheet, not while one judge's sheet of an entry holds
fewer dives than the others', and the store scores as `scoring compute` does."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from results.from_store import View, results_from_store
from results.report import event_table
from scoring.store.models import Round
from scoring.store.sheet_marks import round_marks
from server.cli import app
from tests.helpers import RUBRICS
from tests.integration.diving import COMPETITION, DIVERS, JUDGES, KEY, desk_put, store_diving, submit
from tests.integration.world import ok

RUBRIC = (RUBRICS / "diving_individual.toml").read_text(encoding="utf-8")
UP_TO = RUBRIC.replace(
    'attempts = { count = 5, combine = "sum" }', 'attempts = { up_to = 5, min = 3, missing = "zero", combine = "sum" }'
)
AWARDS = ["7", "7.5", "8", "8", "8.5", "8.5", "9"]  # middle three: 24.5 a dive
DD = {1: "2.0", 2: "2.8", 3: "3.1", 4: "3.4", 5: "3.5"}
WITHDRAWN = "c2"  # withdraws after dive 3


def test_a_diver_who_withdraws_after_dive_three_is_locked_and_scored_with_three_dives(world, tmp_path):
    assert UP_TO != RUBRIC
    diving = store_diving(world, UP_TO.encode())
    r, chief = diving.round_id, diving.chief
    for diver in DIVERS:  # the dive sheets: all five dives' DD, the withdrawn diver's too
        ok(desk_put(chief, r, diver, {f"{k}/dd": dd for k, dd in DD.items()}, 0))
    for dive in range(1, 6):
        for j, judge in enumerate(JUDGES):
            for diver in DIVERS:
                if (diver == WITHDRAWN and dive > 3) or (diver == "c3" and dive == 5 and judge == "d7"):
                    continue  # c2 has withdrawn; d7 has not yet marked c3's last dive
                marks = {f"{k}/award": AWARDS[j] for k in range(1, dive + 1)}
                ok(submit(diving.judges[judge], r, diver, marks, dive - 1))
    uneven = chief.post(f"/api/chief/rounds/{r}/lock")
    assert uneven.status_code == 409, uneven.text
    assert "different numbers of attempts" in uneven.text and "d7 4" in uneven.text
    last = {f"{k}/award": AWARDS[6] for k in range(1, 6)}
    ok(submit(diving.judges["d7"], r, "c3", last, 4))
    locked = ok(chief.post(f"/api/chief/rounds/{r}/lock"))
    assert locked["locked_sheets"] == len(JUDGES) * len(DIVERS)

    with world.app.state.database.read() as db:
        stored = results_from_store(db, KEY, View.PROVISIONAL).events["springboard"]
        exported = round_marks(db, r).marks
    path = tmp_path / "springboard.csv"
    exported.to_csv(path, index=False)
    rubric = tmp_path / "diving_individual.toml"
    rubric.write_text(UP_TO, encoding="utf-8")
    computed = CliRunner().invoke(app, ["compute", "--rubric", str(rubric), "--marks", str(path), "--format", "csv"])
    assert computed.exit_code == 0, computed.output
    from_file = {row["entry"]: row["score"] for row in csv.DictReader(io.StringIO(computed.output))}
    table = event_table(stored)
    from_store = {e: s for e, s in table[["entry", "score"]].itertuples(False)}
    assert from_store == from_file
    # 24.5 x (2.0 + 2.8 + 3.1 + 3.4 + 3.5 = 14.8) = 362.60; withdrawn: 24.5 x 7.9 = 193.55, dives 4, 5 each 0
    assert from_file == {"c1": "362.60", "c2": "193.55", "c3": "362.60", "c4": "362.60"}


def test_a_competition_whose_rubric_has_a_per_entry_part_is_stored(world):
    skating = RUBRICS / "figure_skating" / "segment.toml"
    files = {
        "competition": ("competition.toml", COMPETITION.encode()),
        "diving_individual": ("diving_individual.toml", skating.read_bytes()),
    }
    ok(world.organiser.post("/api/admin/competitions", files=files), 201)
    listed = ok(world.organiser.get("/api/admin/competitions"))
    assert KEY in str(listed)


def test_a_new_rubric_version_with_a_per_entry_part_is_accepted_before_any_sheet(world):
    diving = store_diving(world)
    with world.app.state.database.read() as db:
        event_id = db.get(Round, diving.round_id).event_id
    url = f"/api/admin/events/{event_id}/rubric"
    skating = (RUBRICS / "figure_skating" / "segment.toml").read_bytes()
    ok(world.organiser.put(url, files={"rubric": ("segment.toml", skating)}))
    assert ok(world.organiser.get(url))["version"] == 2  # the event takes the skating rubric
