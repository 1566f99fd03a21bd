"""`make demo`: score the two example competitions from generated marks and print the results.

Until the server exists, this is the demo: it writes plausible marks for each example
competition into data/demo/<competition>/, computes every event and the overall with the same
code as `scoring compute`, and prints the standings, one explained score and the flags.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from results.overall import score_competition
from results.report import competition_table, event_table
from scoring.competition import load_competition
from server.cli import print_frame
from server.demo_marks import write_competition_marks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "cement" / "competition.toml", ROOT / "examples" / "power_safety" / "competition.toml"]


def run(data_dir: Path = ROOT / "data" / "demo") -> None:
    console = Console(highlight=False)
    for path in EXAMPLES:
        competition = load_competition(path)
        marks = data_dir / competition.key
        write_competition_marks(competition, marks)
        result = score_competition(competition, marks)
        console.rule(f"{competition.name['zh']} / {competition.name['en']}")
        print_frame(competition_table(result), "table", title="总成绩 / Overall standings")
        for key in ("presentation", "safety_quiz"):
            if key in result.events:
                print_frame(event_table(result.events[key]), "table", title=f"赛项 / event: {key}")
        event_key = competition.events[-1].key
        best = result.standings[0].entry
        explanation = result.events[event_key].explain(best)
        if explanation:
            console.print(f"[bold]得分说明 / explained score: {event_key}, {best}[/]")
            console.print(result.events[event_key].render(explanation), markup=False)
        flags = sum(len(r.flags) for r in result.events.values())
        console.print(f"评分分歧标记 / disagreement flags for the chief judge: {flags}")
        console.print(
            f"marks written to {marks}; recompute with: scoring compute --competition {path.relative_to(ROOT)} "
            f"--marks {marks.relative_to(ROOT) if marks.is_relative_to(ROOT) else marks}\n",
            markup=False,
        )


if __name__ == "__main__":
    run()
