"""Charts: valid SVG (with the event's title as text) and PNG, in zh and en, with or without
the CJK font."""

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from results import charts
from results.charts import event_histograms, score_histogram, severity_chart
from results.fairness import Agreement, FairnessReport, JudgeFairness

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TITLE = {"zh": "理论知识", "en": "Theory"}
SCORES = {"t1": D("61.5"), "t2": D("72"), "t3": D("72.25"), "t4": D("88"), "t5": None}


def svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return " ".join("".join(element.itertext()) for element in root.iter() if element.tag.endswith("text"))


@pytest.mark.parametrize(("language", "words"), [("zh", "理论知识 — 得分分布"), ("en", "Theory — score distribution")])
def test_histogram_is_valid_svg_and_png_with_the_title(language, words):
    images = score_histogram(SCORES, TITLE, language)
    assert images.png.startswith(PNG_MAGIC)
    assert words in svg_text(images.svg)


def test_severity_chart_names_each_judge():
    report = FairnessReport(
        event="drill",
        judges=[JudgeFairness("J1", 3, 0.5, 0.2, 0), JudgeFairness("J2", 3, -0.75, None, 1)],
        agreement=Agreement(2, 3, None, None, None, None),
        without_judge=[],
    )
    images = severity_chart(report, {"zh": "消火栓操作", "en": "Hydrant drill"}, "en")
    assert images.png.startswith(PNG_MAGIC)
    text = svg_text(images.svg)
    assert "Hydrant drill — judges' severity" in text and "J1" in text and "J2" in text


def test_empty_charts_say_so():
    images = score_histogram({"t1": None}, TITLE, "en")
    assert "no data" in svg_text(images.svg)


def test_the_cjk_font_is_used_when_fontconfig_has_it():
    if charts.cjk_font() is None:
        pytest.skip("no Noto Sans CJK on this machine")
    assert b"Noto Sans CJK" in score_histogram(SCORES, TITLE, "zh").svg


def test_without_the_cjk_font_charts_are_still_drawn(monkeypatch, recwarn):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    images = score_histogram(SCORES, TITLE, "zh")
    assert b"Noto Sans CJK" not in images.svg and "理论知识" in svg_text(images.svg)
    assert images.png.startswith(PNG_MAGIC)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]


def test_one_histogram_per_event_and_languages_are_checked():
    got = event_histograms({"theory": SCORES}, {"theory": TITLE}, "en")
    assert list(got) == ["theory"] and "Theory" in svg_text(got["theory"].svg)
    with pytest.raises(ValueError):
        score_histogram(SCORES, TITLE, "fr")
