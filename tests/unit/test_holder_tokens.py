"""Signed holder links (web/security.py): one purpose's link never opens another's pages."""

from __future__ import annotations

import pytest

from web.security import read_holder_token, read_team_token, sign_holder_token, sign_team_token

SECRET = b"k" * 32


@pytest.mark.parametrize("purpose", ["appeal", "unit", "contestant"])
def test_holder_token_reads_back_its_competition_and_key(purpose: str) -> None:
    token = sign_holder_token(SECRET, purpose, 7, "单位-甲.01")
    assert read_holder_token(SECRET, purpose, token) == (7, "单位-甲.01")


def test_holder_token_of_one_purpose_is_refused_for_another() -> None:
    unit_link = sign_holder_token(SECRET, "unit", 7, "u01")
    assert read_holder_token(SECRET, "contestant", unit_link) is None
    assert read_holder_token(SECRET, "appeal", unit_link) is None


def test_holder_token_refuses_a_changed_key_competition_or_secret() -> None:
    token = sign_holder_token(SECRET, "unit", 7, "u01")
    other = sign_holder_token(SECRET, "unit", 7, "u02")
    forged = token.split(".")[0] + "." + other.split(".")[1] + "." + token.split(".")[2]
    assert read_holder_token(SECRET, "unit", forged) is None
    assert read_holder_token(SECRET, "unit", "8" + token[1:]) is None
    assert read_holder_token(b"x" * 32, "unit", token) is None
    assert read_holder_token(SECRET, "unit", "garbage") is None
    with pytest.raises(ValueError):
        sign_holder_token(SECRET, "organiser", 7, "u01")


def test_team_appeal_links_are_holder_links_of_the_appeal_purpose() -> None:
    assert sign_team_token(SECRET, 3, "t05") == sign_holder_token(SECRET, "appeal", 3, "t05")
    assert read_team_token(SECRET, sign_team_token(SECRET, 3, "t05")) == (3, "t05")
