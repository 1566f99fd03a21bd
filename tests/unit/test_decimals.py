from decimal import Decimal as D

import pytest

from scoring.decimals import Rounding, parse_decimal, quantize


@pytest.mark.parametrize(
    "mode, value, expected",
    [
        ("half_up", "2.345", "2.35"),
        ("half_up", "-2.345", "-2.35"),
        ("half_even", "2.345", "2.34"),
        ("half_even", "2.355", "2.36"),
        ("down", "2.349", "2.34"),
        ("down", "-2.349", "-2.34"),
        ("up", "2.341", "2.35"),
        ("floor", "-2.341", "-2.35"),
        ("ceiling", "2.341", "2.35"),
    ],
)
def test_quantize_rounds_by_mode(mode, value, expected):
    assert quantize(D(value), 2, mode) == D(expected)
    assert str(quantize(D(value), 2, mode)) == expected


def test_rounding_keeps_places_and_negative_places_round_to_tens():
    assert str(Rounding(2).apply(D("7"))) == "7.00"
    assert quantize(D("1234.5"), -1) == D("1.23E+3")


@pytest.mark.parametrize(
    "text, expected",
    [("8.5", D("8.5")), (" 10 ", D(10)), ("-0.25", D("-0.25")), (".5", D("0.5")), (3, D(3)), (D("1.1"), D("1.1"))],
)
def test_parse_decimal_reads_plain_numbers(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1e3", "nan", "inf", "1,5", 1.5, True, None, "8.5.1"])
def test_parse_decimal_refuses_what_is_not_a_plain_number(text):
    assert parse_decimal(text) is None
