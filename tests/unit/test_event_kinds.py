"""One contract test over every registered event kind, on a small example of each."""

from decimal import Decimal as D

import pytest

from scoring.document import Fields
from scoring.draws import draw_order
from scoring.events import EVENT_KINDS, BoundEvent, EventResult
from scoring.problems import ProblemCollector
from scoring.tiebreaks import TIEBREAK_METRICS
from scoring.tomlsource import load_toml_file
from tests.helpers import RUBRICS

CASES = {
    "theory": ("cement/theory_paper.toml", "entry,q01,q02\nc1,A,B\nc2,B,\n", {"c1", "c2"}),
    "practical": ("fire_hydrant.toml", None, {"T1", "T2"}),
    "presentation": ("safety_culture_presentation.toml", None, {"T1", "T2"}),
    "quiz": ("safety_quiz.toml", "team,type,outcome,stake\nT1,必答,对,\nT2,风险,错,20\n", {"T1", "T2"}),
}


def panel_csv(rules, entries) -> str:
    lines = ["entry,attempt,judge,criterion,value"]
    for e in sorted(entries):
        for c in rules.criteria():
            if c.official:
                lines.append(f"{e},,,{c.key},30")
            elif not c.is_veto:
                for j in range(1, 6):
                    lines.append(f"{e},,J{j},{c.key},{1 if c.kind.key in ('checklist', 'deduction') else 10}")
    return "\n".join(lines) + "\n"


def test_every_event_kind_has_a_case():
    assert set(EVENT_KINDS) == set(CASES)


@pytest.mark.parametrize("key", sorted(EVENT_KINDS))
def test_event_kind_contract(key, tmp_path):
    kind = EVENT_KINDS[key]
    assert kind.key == key and kind.title["zh"] and kind.title["en"]
    rules_file, marks, entries = CASES[key]
    doc = load_toml_file(RUBRICS / rules_file)
    problems = ProblemCollector(doc.file)
    rules = kind.read_rules(Fields(doc, doc.data, (), problems))
    assert problems.problems == []
    path = tmp_path / "marks.csv"
    path.write_text(marks or panel_csv(rules, entries), encoding="utf-8")
    bound = kind.bind(rules, kind.read_params(None))
    assert isinstance(bound, BoundEvent) and bound.key == key and isinstance(bound.lower_is_better, bool)
    result = bound.score_file(path, entries=entries)
    assert isinstance(result, EventResult) and result.kind == key
    assert result.max_score == bound.max_score and result.lower_is_better == bound.lower_is_better
    in_memory = bound.score(bound.read_table(path).drop(columns="row"), entries=entries)
    assert in_memory.scores == result.scores
    assert {s.entry for s in result.scores} == entries
    assert all(isinstance(s.score, D) for s in result.scores)
    for entry in entries:
        explanation = result.explain(entry)
        assert explanation is not None and explanation["entry"] == entry
        assert entry in result.render(explanation)
    assert result.explain("nobody") is None


def test_draw_order_is_replayable_from_its_seed():
    entries = [f"s{i:02d}" for i in range(1, 15)]
    first = draw_order(entries, 20231103)
    assert first == draw_order(list(reversed(entries)), 20231103)
    assert sorted(first) == entries and first != entries
    assert draw_order(entries, 1) != first


@pytest.mark.parametrize("key", sorted(TIEBREAK_METRICS))
def test_tiebreak_metric_refuses_an_unknown_argument(key):
    from scoring.competition import load_competition
    from tests.helpers import ROOT

    competition = load_competition(ROOT / "examples" / "power_safety" / "competition.toml")
    problem = TIEBREAK_METRICS[key].check("no_such_thing", competition)
    assert problem is not None and problem.zh and problem.en
