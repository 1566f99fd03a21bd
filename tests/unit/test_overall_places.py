"""The overall of a competition whose events all rank lowest first (places from ordinal judging):
the lowest total wins, and an entry without a place in some event is not placed (never counted
as 0, which would win). The example DanceSport final with the worked example's placements."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from results.overall import score_competition
from scoring.competition import load_competition
from tests.helpers import ROOT

EXAMPLE = ROOT / "examples" / "dancesport" / "competition.toml"
WORKED = ROOT / "examples" / "rubrics" / "dancesport_standard_final.csv"


def worked_marks(folder: Path, leave_out: str | None = None) -> Path:
    """The worked example's placements under the example's keys (couple 11 is n11, judge A is a);
    with `leave_out`, that couple never danced (an event where it has no place)."""
    marks = pd.read_csv(WORKED, dtype=str, keep_default_na=False)
    marks["entry"] = "n" + marks["entry"]
    marks["judge"] = marks["judge"].str.lower()
    if leave_out is not None:
        marks = marks[marks["entry"] != leave_out].copy()  # a final of five: each judge's places 1..5 again
        marks["value"] = marks["value"].astype(int).groupby([marks["judge"], marks["criterion"]]).rank(method="first")
        marks["value"] = marks["value"].astype(int).astype(str)
    folder.mkdir(parents=True, exist_ok=True)
    marks.to_csv(folder / "standard_final.csv", index=False)
    return folder


def test_the_overall_of_places_ranks_the_fewest_first(tmp_path):
    result = score_competition(load_competition(EXAMPLE), worked_marks(tmp_path / "marks"))
    assert result.events["standard_final"].lower_is_better
    places = [(s.entry, s.place) for s in result.standings]
    assert places == [("n11", 1), ("n13", 2), ("n12", 3), ("n14", 4), ("n15", 5), ("n16", 6)]
    assert result.overall["n11"] == Decimal(1) and result.overall["n16"] == Decimal(6)


def test_an_entry_without_a_place_is_not_placed_rather_than_winning_with_zero(tmp_path):
    result = score_competition(load_competition(EXAMPLE), worked_marks(tmp_path / "marks", leave_out="n14"))
    assert result.overall["n14"] is None
    placed = {s.entry: s.place for s in result.standings}
    assert placed["n14"] is None and placed["n11"] == 1 and result.standings[-1].entry == "n14"
