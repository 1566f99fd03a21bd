"""The score form of every example rubric, as the tablets and the organiser's preview read it.

The expected forms (tests/unit/fixtures/rubric_forms.json) were written by the form code as it
was before criterion kinds declared their own tablet input, for every rubric in
examples/rubrics/ and for two fixtures that use every kind with the limits the examples leave
out. Tablets and the browser tests read these dicts, so a change to them is a change to the
fixture. Regenerate it with: python -m tests.unit.test_form_snapshot
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scoring.rubrics.form import rubric_form
from scoring.rubrics.loader import load_rubric
from tests.helpers import ROOT, RUBRICS

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = FIXTURES / "rubric_forms.json"
RUBRIC_FILES = sorted(
    str(p.relative_to(ROOT))
    for p in [*RUBRICS.rglob("*.toml"), *FIXTURES.glob("*.toml")]
    if "[quiz]" not in p.read_text(encoding="utf-8")
)


def form_of(name: str) -> dict[str, Any]:
    """The form as JSON would carry it to a tablet."""
    return json.loads(json.dumps(rubric_form(load_rubric(ROOT / name)), ensure_ascii=False))


@pytest.mark.parametrize("name", RUBRIC_FILES)
def test_rubric_form_is_unchanged(name):
    assert form_of(name) == json.loads(EXPECTED.read_text(encoding="utf-8"))[name]


def test_every_example_rubric_has_an_expected_form():
    assert sorted(json.loads(EXPECTED.read_text(encoding="utf-8"))) == RUBRIC_FILES


if __name__ == "__main__":
    forms = {name: form_of(name) for name in RUBRIC_FILES}
    EXPECTED.write_text(json.dumps(forms, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
