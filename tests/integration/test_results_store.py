"""Standings from the store equal standings from files for the same marks, in both views, and
the views include what they should."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from results.from_store import View, results_from_store
from results.overall import score_competition
from scoring.refusals import NotFound
from scoring.store.models import Round
from scoring.store.publication import move_publication
from tests.integration.stored_examples import StoredExample


@pytest.fixture
def cement(stored_cement: StoredExample) -> StoredExample:
    return stored_cement


@pytest.fixture
def safety(stored_safety: StoredExample) -> StoredExample:
    return stored_safety


def rows(standings: list) -> list[tuple]:
    return [(s.entry, s.score, s.place, s.shared, s.decided_by) for s in standings]


@pytest.mark.parametrize("example", ["cement", "safety"])
def test_store_and_files_give_the_same_standings(example: str, request: pytest.FixtureRequest) -> None:
    stored: StoredExample = request.getfixturevalue(example)
    expected = score_competition(stored.competition, stored.marks)
    with stored.sessions()() as db:
        got = results_from_store(db, stored.competition.key, View.PROVISIONAL)
    assert got.overall is not None and not got.waiting_for
    assert rows(got.overall.standings) == rows(expected.standings)
    assert got.overall.event_scores == expected.event_scores
    for key, result in expected.events.items():
        assert [(s.entry, s.score) for s in got.events[key].scores] == [(s.entry, s.score) for s in result.scores]
    assert all(r.left_out == [] and r.counted > 0 for r in got.rounds)


def test_published_view_waits_for_publication(cement: StoredExample, tmp_path: Path) -> None:
    sessions = cement.sessions(tmp_path)
    with sessions() as db:
        published = results_from_store(db, cement.competition.key, View.PUBLISHED)
    # every round is locked, none on notice: the public sees nothing yet
    assert published.rounds == [] and published.overall is None
    assert published.waiting_for == [e.key for e in cement.competition.events]
    with sessions.begin() as db:
        ids = list(db.scalars(select(Round.id).order_by(Round.id)))
        move_publication(db, ids[0], "notice", "test")
    with sessions() as db:
        published = results_from_store(db, cement.competition.key, View.PUBLISHED)
    assert [r.round_id for r in published.rounds] == [ids[0]]
    assert published.overall is None and len(published.waiting_for) == len(cement.competition.events) - 1
    with sessions.begin() as db:
        for round_id in ids[1:]:
            move_publication(db, round_id, "notice", "test")
    with sessions() as db:
        published = results_from_store(db, cement.competition.key, View.PUBLISHED)
    expected = score_competition(cement.competition, cement.marks)
    assert published.overall is not None and rows(published.overall.standings) == rows(expected.standings)


def test_provisional_view_counts_submitted_sheets_marked_provisional(safety: StoredExample, tmp_path: Path) -> None:
    sessions = safety.sessions(tmp_path)
    with sessions() as db:
        got = results_from_store(db, safety.competition.key, View.PROVISIONAL)
    assert got.provisional
    with sessions() as db:
        assert not results_from_store(db, safety.competition.key, View.PUBLISHED).provisional


def test_unknown_competition_is_not_found(safety: StoredExample) -> None:
    with safety.sessions()() as db, pytest.raises(NotFound):
        results_from_store(db, "no-such-competition", View.PROVISIONAL)
