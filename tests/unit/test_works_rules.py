"""The call's form (attachments typed by their bytes, sizes bounded, fields named), the
deadline, and the shortlist's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from scoring.problems import InvalidInput
from scoring.refusals import Conflict
from scoring.shortlist import shortlist_by_rank, shortlist_by_threshold
from scoring.works_form import CallRules, Category, Submission, Upload, check_submission, open_for_submission

DEADLINE = datetime(2026, 12, 1, tzinfo=UTC)
RULES = CallRules((Category("small_invention", "小发明", "small invention"),), DEADLINE, 1024, 2)
PDF = b"%PDF-1.4\n..."
PNG = b"\x89PNG\r\n\x1a\n...."


def submission(**changes):
    base = {"title": "T", "authors": "A", "category": "small_invention", "abstract": "x", "uploads": ()}
    return Submission(**(base | changes))


def test_attachments_are_typed_by_their_bytes_not_their_names():
    found = check_submission(RULES, submission(uploads=(Upload("a.jpg", PDF), Upload("b.pdf", PNG))))
    assert found == [("a.jpg", "application/pdf"), ("b.pdf", "image/png")]
    with pytest.raises(InvalidInput) as info:
        check_submission(RULES, submission(uploads=(Upload("evil.pdf", b"MZ\x90\x00"),)))
    assert info.value.problems[0].path == "attachments" and "evil.pdf" in info.value.problems[0].en


def test_a_file_past_the_size_limit_and_too_many_files_are_named():
    with pytest.raises(InvalidInput) as info:
        check_submission(RULES, submission(uploads=(Upload("big.pdf", PDF + b"0" * 2000),)))
    assert "big.pdf" in info.value.problems[0].en and "MB" in info.value.problems[0].en
    with pytest.raises(InvalidInput) as info:
        check_submission(RULES, submission(uploads=(Upload("a.pdf", PDF),)), kept_attachments=2)
    assert "at most 2 attachments" in info.value.problems[0].en


def test_every_field_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as info:
        check_submission(
            RULES, submission(title=" ", authors="", category="nope", video_links=("ftp://x", "javascript:alert(1)"))
        )
    paths = [p.path for p in info.value.problems]
    assert paths == ["title", "authors", "category", "video_links", "video_links"]


def test_the_deadline_closes_submissions():
    open_for_submission(RULES, DEADLINE - timedelta(seconds=1))
    with pytest.raises(Conflict):
        open_for_submission(RULES, DEADLINE)


SCORES = {"a": Decimal("90"), "b": Decimal("85.5"), "c": Decimal("85.5"), "d": Decimal("70"), "e": None}


def test_shortlist_by_rank_takes_the_ties_at_the_cut():
    assert shortlist_by_rank(SCORES, 1).entries == ["a"]
    tied = shortlist_by_rank(SCORES, 2)
    assert (tied.entries, tied.tied_at_cut) == (["a", "b", "c"], 1)
    assert shortlist_by_rank(SCORES, 10).entries == ["a", "b", "c", "d"]  # never an unscored work
    assert shortlist_by_rank(SCORES, 1, lower_is_better=True).entries == ["d"]


def test_shortlist_by_threshold():
    assert shortlist_by_threshold(SCORES, Decimal("85.5")).entries == ["a", "b", "c"]
    assert shortlist_by_threshold(SCORES, Decimal("80"), lower_is_better=True).entries == ["d"]
    with pytest.raises(Conflict):
        shortlist_by_rank(SCORES, 0)
