"""Ranking rubrics end to end: the loader's rules for [ordinal] and placements, each judge's places
checked across the round, the median rank and the Borda count worked by hand, and the results
and explanations a ranking rubric gives (the skating system's own rules: test_skating.py)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from results.fairness import assess_round
from scoring.problems import InvalidInput
from scoring.rubrics.explain import explain_entry, render_explanation
from scoring.rubrics.ordinal import ORDINAL_RULES, PlacementTable
from scoring.rules_file import bind_rules_file
from tests.helpers import RUBRICS, rubric_from, score, scores

HEAD = 'key = "r"\ntitle = "R"\n[ordinal]\nrule = "{rule}"\n'
DANCE = '[[criteria]]\nkey = "{key}"\ntitle = "{key}"\nkind = "placement"\n{extra}\n'


def ranking(rule="skating", dances=("solo",), extra="", head=""):
    return rubric_from(HEAD.format(rule=rule) + head + "".join(DANCE.format(key=d, extra=extra) for d in dances))


def placed(dance, *orders, judges=None):
    """Rows for one dance: each order lists the entries a judge placed 1st, 2nd, ... ("b=a" shares)."""
    rows = []
    for k, order in enumerate(orders):
        judge = judges[k] if judges else f"J{k + 1}"
        place = 1
        for item in order.split():
            together = item.split("=")
            rows += [(e, "", judge, dance, place) for e in together]
            place += len(together)
    return rows


def problems_of(text):
    with pytest.raises(InvalidInput) as info:
        rubric_from(text)
    return str(info.value)


def test_an_ordinal_rubric_ranks_lowest_first_and_takes_only_placements():
    r = ranking()
    assert r.lower_is_better and r.ordinal.key == "skating" and r.max_score() is None
    assert "placements need the rubric's [ordinal] rule" in problems_of(
        'key = "r"\ntitle = "R"\n' + DANCE.format(key="solo", extra="")
    )
    text = HEAD.format(rule="median") + DANCE.format(key="solo", extra="") + '[[criteria]]\nkey = "t"\ntitle = "T"\n'
    assert 'must be kind = "placement"' in problems_of(text + 'kind = "scale"\nmax = 10\n')
    assert 'better must be "lower"' in problems_of(
        'better = "higher"\n' + HEAD.format(rule="borda") + DANCE.format(key="a", extra="")
    )
    assert "a ranking rubric ([ordinal]) has no formula" in problems_of(
        'formula = "solo"\n' + HEAD.format(rule="borda") + DANCE.format(key="solo", extra="")
    )
    assert "a placement has no panel" in problems_of(
        HEAD.format(rule="borda") + DANCE.format(key="a", extra='panel = "mean"')
    )
    plurality = problems_of(HEAD.format(rule="plurality") + DANCE.format(key="a", extra=""))
    assert "test.toml:4: ordinal.rule" in plurality and "choose one of: skating, median, borda" in plurality


def test_the_skating_system_refuses_tied_places_and_the_others_may_allow_them():
    text = HEAD.format(rule="skating") + DANCE.format(key="a", extra='ties = "allow"')
    assert 'ties must be "refuse"' in problems_of(text)
    assert ranking("median", extra='ties = "allow"').criterion("solo").kind.ties_allowed


def test_every_judge_places_every_entry_of_the_round_and_places_are_checked():
    r = ranking(dances=("waltz", "tango"))
    rows = placed("waltz", "a b c", "b a c", "a c b") + placed("tango", "a b c", "a b c", "b a c")
    assert scores(r, rows) == {"a": D(1), "b": D(2), "c": D(3)}
    broken = [row for row in rows if not (row[2] == "J2" and row[3] == "waltz" and row[0] == "c")]
    with pytest.raises(InvalidInput) as info:
        score(r, broken)
    assert "waltz: judge J2 did not place c (each judge places all 3 entries of the round)" in str(info.value)
    no_tango = [row for row in rows if not (row[2] == "J3" and row[3] == "tango")]
    with pytest.raises(InvalidInput) as info:
        score(r, no_tango)
    assert "tango: judge J3 placed the entries in another dance but not in this one" in str(info.value)
    twice = [(e, a, j, d, "1" if (j, d, e) == ("J1", "waltz", "b") else v) for e, a, j, d, v in rows]
    with pytest.raises(InvalidInput) as info:
        score(r, twice)
    assert "waltz: judge J1: a, b share place 1; this criterion allows no shared places" in str(info.value)
    gap = [(e, a, j, d, "4" if (j, d, e) == ("J1", "waltz", "c") else v) for e, a, j, d, v in rows]
    with pytest.raises(InvalidInput) as info:
        score(r, gap)
    assert "waltz: judge J1: place 4 (c) is above the number of entries placed, 3" in str(info.value)


def test_median_rank_worked_by_hand():
    r = ranking("median")
    rows = placed("solo", "a b c d", "b a c d", "c a b d")
    # a: 1 2 2 -> median 2, three places at 2 or better; b: 2 1 3 -> median 2, two; c: 3 3 1 -> 3; d: 4
    result = score(r, rows)
    assert {x.entry: x.score for x in result.results} == {"a": D(1), "b": D(2), "c": D(3), "d": D(4)}
    assert result.ordinal.outcome.figures["a"] == {"median": "2", "at_or_better": "3", "sum": "5"}
    # four judges: a 1 1 4 4 -> median 2.5; b 2 2 1 1 -> 1.5; c 3 3 2 2 -> 2.5, like a: two places at
    # 2.5 or better each (a: 1 1, c: 2 2), sums 10 and 10: a and c share 2nd and 3rd
    rows = placed("solo", "a b c d", "a b c d", "b c d a", "b c d a")
    assert scores(r, rows) == {"a": D("2.5"), "b": D(1), "c": D("2.5"), "d": D(4)}


def test_borda_count_worked_by_hand_with_shared_places():
    r = ranking("borda", extra='ties = "allow"')
    # four entries: 1st 3 points, 2nd 2, 3rd 1, 4th 0; J2 ties a and b for 1st: (3 + 2) / 2 = 2.5 each
    rows = placed("solo", "a b c d", "a=b c d", "c a b d")
    # a: 3 + 2.5 + 2 = 7.5; b: 2 + 2.5 + 1 = 5.5; c: 1 + 1 + 3 = 5; d: 0
    result = score(r, rows)
    assert {x.entry: x.score for x in result.results} == {"a": D(1), "b": D(2), "c": D(3), "d": D(4)}
    assert result.ordinal.outcome.figures["a"] == {"points": "7.5"}
    assert result.trace.criteria["solo"].value.tolist() == [D("7.5"), D("5.5"), D(5), D(0)]
    equal = placed("solo", "a b", "b a")
    assert scores(r, equal) == {"a": D("1.5"), "b": D("1.5")}


def test_the_example_final_as_an_event_ranks_by_place_and_explains_itself():
    event = bind_rules_file(RUBRICS / "dancesport_standard_final.toml")
    result = event.score_file(RUBRICS / "dancesport_standard_final.csv")
    assert result.lower_is_better and result.max_score is None
    assert {s.entry: s.score for s in result.scores} == {
        "11": D(1),
        "13": D(2),
        "12": D(3),
        "14": D(4),
        "15": D(5),
        "16": D(6),
    }
    breakdown = result.breakdown().set_index("entry")
    assert breakdown.loc["14", "tango"] == D("4.5") and breakdown.loc["14", "attempt_score"] == D(4)
    assert result.criterion_values("waltz")["13"] == D(2)
    text = result.render(result.explain("14"))
    assert "majority 过半数 3 of 5" in text and "1-2" in text
    assert "    ▶    14  5  5  3  4  4  |  -    -    1  3(11)  5(21)  5(21)  |    4.5  7 shared" in text
    assert "rule 11, place 4: all 15 marks as one dance, majority 8" in text and "place 名次: 4 (rule 11)" in text
    assert result.explain("99") is None


def test_median_and_borda_explanations_list_each_entry_figures():
    r = ranking("borda", dances=("a1", "a2"))
    result = score(r, placed("a1", "x y", "y x", "x y") + placed("a2", "x y", "x y", "y x"))
    text = render_explanation(explain_entry(result, "y"))
    assert "Borda count" in text and "result 结果" in text and "points" in text
    assert "    ▶     y       2      2" in text and "place 名次: 2" in text


def test_a_ranking_round_has_the_working_the_console_and_the_fairness_report_read():
    event = bind_rules_file(RUBRICS / "dancesport_standard_final.toml")
    table = event.read_table(RUBRICS / "dancesport_standard_final.csv")
    working = event.score(table).explain("13")
    [attempt] = working["attempts"]
    waltz = attempt["criteria"][0]
    assert waltz["rule"] == "placements ranked by the skating system (majority of places)"
    assert [(m["judge"], m["points"], m["kept"]) for m in waltz["marks"]] == [
        ("A", "1", True), ("B", "6", True), ("C", "3", True), ("D", "1", True), ("E", "2", True)
    ]  # fmt: skip
    assert waltz["value"] == "2" and attempt["score"] == "2" and working["score"] == "2"
    report = assess_round(event, table, event="final")
    assert [j.judge for j in report.judges] == list("ABCDE")
    assert len(report.without_judge) == 5 and all(w.computed for w in report.without_judge)


@st.composite
def rounds(draw):
    judges, entries, dances = draw(st.integers(1, 6)), draw(st.integers(2, 6)), draw(st.integers(1, 3))
    names = [f"e{i}" for i in range(entries)]
    places = {}
    for d in range(dances):
        orders = [draw(st.permutations(names)) for _ in range(judges)]
        places[f"d{d}"] = {e: [order.index(e) + 1 for order in orders] for e in names}
    return PlacementTable(list(places), names, {d: [f"J{k}" for k in range(judges)] for d in places}, places)


@pytest.mark.parametrize("key", sorted(ORDINAL_RULES))
@given(table=rounds(), data=st.data())
@settings(max_examples=80, deadline=None)
def test_ordinal_rule_contract(key, table, data):
    """Every rule: the final places are 1..n with shared places taking their mean (so they add up
    to 1 + 2 + ... + n); the order of judges does not matter; an entry every judge puts ahead of
    another in every dance finishes no lower."""
    rule = ORDINAL_RULES[key]()
    final = rule.rank(table).final
    n = len(table.entries)
    assert sum(final.values()) == D(n * (n + 1)) / 2 and all(D(1) <= p <= D(n) for p in final.values())
    order = data.draw(st.permutations(range(len(next(iter(table.judges.values()))))))
    shuffled = {d: {e: [m[e][k] for k in order] for e in table.entries} for d, m in table.places.items()}
    assert rule.rank(PlacementTable(table.dances, table.entries, table.judges, shuffled)).final == final
    for a in table.entries:
        for b in table.entries:
            if all(all(x < y for x, y in zip(m[a], m[b], strict=True)) for m in table.places.values()):
                assert final[a] <= final[b]
