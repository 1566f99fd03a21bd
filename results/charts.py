"""Charts for a results page or workbook: each event's score distribution and each panel's
judges' severity, as SVG and PNG bytes.

Drawn with matplotlib's Agg canvas on a Figure of its own (never pyplot, so nothing global is
touched and nothing is displayed). Labels are in Chinese or English (`language`); Chinese needs
a CJK font, so the charts use Noto Sans CJK when fontconfig has it (as matplotlib's font list
reads it) and fall back quietly to matplotlib's own font when not (Chinese letters then show as
boxes, with no warning printed). SVG keeps its text as text, so titles can be searched and read
by screen readers. Charts are descriptive: scores become floats here and nowhere else; nothing
here is published as a score.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from results.fairness import FairnessReport

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP"]

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "distribution": "得分分布",
        "score": "得分",
        "count": "数量",
        "severity": "评委宽严",
        "judge": "评委",
        "deviation": "与保留评分均值的平均偏差（误差线：标准差）",
        "empty": "没有数据",
    },
    "en": {
        "distribution": "score distribution",
        "score": "Score",
        "count": "Count",
        "severity": "judges' severity",
        "judge": "Judge",
        "deviation": "Mean deviation from the kept marks (bars: standard deviation)",
        "empty": "no data",
    },
}


@dataclass(frozen=True)
class ChartImages:
    svg: bytes
    png: bytes


@cache
def cjk_font() -> str | None:
    """The name of the Noto Sans CJK family fontconfig offers, or None."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def _labels(language: str) -> dict[str, str]:
    if language not in LABELS:
        raise ValueError(f"language is zh or en, not {language!r}")
    return LABELS[language]


def _render(figure: Figure) -> ChartImages:
    FigureCanvasAgg(figure)
    images = {}
    for fmt in ("svg", "png"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        images[fmt] = buffer.getvalue()
    return ChartImages(svg=images["svg"], png=images["png"])


def _draw(build: Callable[[Figure], None]) -> ChartImages:
    """Run `build(figure)` and render it, with the CJK font first when there is one."""
    family = [name for name in (cjk_font(),) if name] + ["DejaVu Sans"]
    with (
        rc_context(
            {"font.family": family, "svg.fonttype": "none", "svg.hashsalt": "charts", "axes.unicode_minus": False}
        ),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", UserWarning)  # glyphs missing without a CJK font
        figure = Figure(figsize=(7, 4), dpi=100, layout="constrained")
        build(figure)
        return _render(figure)


def score_histogram(
    scores: Mapping[str, Decimal | None], title: Mapping[str, str], language: str = "zh", bins: int = 10
) -> ChartImages:
    """A histogram of one event's scores (entries without a score left out); `title` is the
    event's zh/en title."""
    words = _labels(language)
    values = [float(s) for s in scores.values() if s is not None]

    def build(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.set_title(f"{title[language]} — {words['distribution']}")
        axes.set_xlabel(words["score"])
        axes.set_ylabel(words["count"])
        if values:
            axes.hist(values, bins=min(bins, max(len(set(values)), 1)), color="#4c72b0", edgecolor="white")
        else:
            axes.text(0.5, 0.5, words["empty"], ha="center", va="center", transform=axes.transAxes)

    return _draw(build)


def severity_chart(report: FairnessReport, title: Mapping[str, str], language: str = "zh") -> ChartImages:
    """Each judge's mean deviation from the panel's kept marks, with its spread as error bars
    (above zero: more lenient than the panel; below: more severe)."""
    words = _labels(language)
    judges = [j for j in report.judges if j.mean_deviation is not None]

    def build(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.set_title(f"{title[language]} — {words['severity']}")
        axes.set_xlabel(words["judge"])
        axes.set_ylabel(words["deviation"], fontsize="small")
        if not judges:
            axes.text(0.5, 0.5, words["empty"], ha="center", va="center", transform=axes.transAxes)
            return
        means = [j.mean_deviation or 0.0 for j in judges]
        spreads = [j.deviation_spread or 0.0 for j in judges]
        colours = ["#c44e52" if m < 0 else "#55a868" for m in means]
        axes.bar([j.judge for j in judges], means, yerr=spreads, capsize=4, color=colours)
        axes.axhline(0, color="black", linewidth=0.8)

    return _draw(build)


def event_histograms(
    event_scores: Mapping[str, Mapping[str, Decimal | None]],
    titles: Mapping[str, Mapping[str, str]],
    language: str = "zh",
) -> dict[str, ChartImages]:
    """A histogram per event, from `CompetitionResult.event_scores` and each event's title."""
    return {key: score_histogram(scores, titles[key], language) for key, scores in event_scores.items()}
