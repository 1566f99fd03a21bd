"""The working of a ranking rubric, as data and as the sheets a scrutineer writes.

For the skating system: each dance's majority table (every judge's mark, then the columns
"1", "1-2", "1-3"... with the count of marks at or better, and the sum in brackets where rule 7
needed it; "-" once the entry is placed), the place and the rule that gave it; with several
dances the final summary (places per dance, total, final place, rule) and the figures of rules
10 and 11. For the median rank and the Borda count: each entry's places and the rule's figures.
The whole round is shown, since a place is decided against every other entry; the entry asked
about is marked. explain.py gives the rest of the working the same shape as any rubric's (each
dance a criterion, each judge's place a mark), which the chief's console and the fairness
report read. Reads the working kept by ordinal_engine.py; computes nothing new.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.decimals import format_decimal
from scoring.rubrics.trace import RubricResult


def _dance_sheets(result: RubricResult) -> list[dict[str, Any]]:
    working = result.ordinal
    table, outcome = working.table, working.outcome
    titles = {c.key: c.title for c in result.rubric.criteria()}
    out = []
    for d in table.dances:
        sheet = outcome.sheets.get(d)
        rows = []
        for e in table.entries:
            row: dict[str, Any] = {
                "entry": e,
                "marks": [str(p) for p in table.places[d][e]],
                "value": format_decimal(outcome.per_dance[d][e]),
            }
            if sheet is not None:
                row["cells"] = [sheet.cells[e].get(k, "") for k in range(1, sheet.columns + 1)]
                row["rule"] = sheet.rule[e]
            rows.append(row)
        item: dict[str, Any] = {"dance": d, "title": titles[d], "judges": table.judges[d], "rows": rows}
        if sheet is not None:
            item["majority"] = sheet.majority
            item["columns"] = ["1"] + [f"1-{k}" for k in range(2, sheet.columns + 1)]
        out.append(item)
    return out


def explain_ordinal(result: RubricResult, entry: str) -> dict[str, Any]:
    """The ranking's part of `entry`'s working (explain.py adds what every rubric's has): the
    sheets of every dance, the summary, each entry's figures and places, the rule that placed it."""
    working = result.ordinal
    outcome = working.outcome
    rule = result.rubric.ordinal
    assert rule is not None
    summary = outcome.summary
    return {
        "ordinal": rule.key,
        "rule": rule.title,
        "dances": _dance_sheets(result),
        "summary": None
        if summary is None
        else {
            "dances": summary.dances,
            "rows": [
                {
                    "entry": e,
                    "places": [format_decimal(summary.places[e][d]) for d in summary.dances],
                    "total": format_decimal(summary.totals[e]),
                    "place": format_decimal(summary.final[e]),
                    "rule": summary.rule[e],
                }
                for e in sorted(summary.final, key=lambda e: summary.final[e])
            ],
            "notes": summary.notes,
        },
        "figures": {e: outcome.figures.get(e, {}) for e in working.table.entries},
        "places": {e: format_decimal(p) for e, p in outcome.final.items()},
        "decided_by": outcome.decided_by.get(entry),
    }


def _table(header: list[str], rows: list[list[str]], marked: list[bool]) -> list[str]:
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(header)]
    line = "  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))
    lines = ["      " + line]
    for row, mine in zip(rows, marked, strict=True):
        text = "  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True))
        lines.append(("    ▶ " if mine else "      ") + text)
    return lines


def render_ordinal(x: dict[str, Any]) -> str:
    lines = [f"entry 参赛对象 {x['entry']} — rubric 评分标准 {x['rubric']} — {x['rule']['zh']} / {x['rule']['en']}"]
    for dance in x["dances"]:
        judges = dance["judges"]
        head = f"  dance 单项 {dance['dance']} {dance['title']['zh']} / {dance['title']['en']}"
        if "majority" in dance:
            head += f" — majority 过半数 {dance['majority']} of {len(judges)}"
        lines.append(head)
        header = ["entry", *judges]
        if "columns" in dance:
            header += ["|", *dance["columns"], "|", "place", "rule"]
            rows = [[r["entry"], *r["marks"], "|", *r["cells"], "|", r["value"], r["rule"]] for r in dance["rows"]]
        else:
            label = {"median": "median", "borda": "points"}.get(x["ordinal"], "value")
            header += ["|", label]
            rows = [[r["entry"], *r["marks"], "|", r["value"]] for r in dance["rows"]]
        lines += _table(header, rows, [r["entry"] == x["entry"] for r in dance["rows"]])
    summary = x["summary"]
    if summary is not None:
        lines.append("  summary 总表 (rule 9: places added; ties by rules 10 and 11)")
        header = ["entry", *summary["dances"], "total", "place", "rule"]
        rows = [[r["entry"], *r["places"], r["total"], r["place"], r["rule"]] for r in summary["rows"]]
        lines += _table(header, rows, [r["entry"] == x["entry"] for r in summary["rows"]])
        lines += [f"    {note}" for note in summary["notes"]]
    figures = x["figures"]
    if any(figures.values()) and summary is None:
        names = list(next(f for f in figures.values() if f))
        order = sorted(figures, key=lambda e: Decimal(x["places"][e]))
        rows = [[e, *(figures[e][n] for n in names), x["places"][e]] for e in order]
        lines.append("  result 结果")
        lines += _table(["entry", *names, "place"], rows, [e == x["entry"] for e in order])
    decided = f" ({x['decided_by']})" if x["decided_by"] else ""
    lines.append(f"  place 名次: {x['score']}{decided}")
    return "\n".join(lines)
