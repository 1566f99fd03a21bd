"""What an export of a competition's results holds, read from the store once, and its files: the
workbook, a CSV of one table, the JSON, and an award list's certificates. The organiser's
download routes and the `scoring results` and `scoring certificates` commands call these, so
the app and the command give the same files.

The judges' marks go into the workbook and JSON only once they may be handed out: in the
published view, with every event's rounds final. Award lists need the overall, so there are
none until every event has a score; organisation awards come from the organiser's decisions
standing in the store (results/publishing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from sqlalchemy.orm import Session

from results.awards import AwardList, OrganisationDecision, allocate_awards
from results.certificates import Issuer, award_list, render_certificates
from results.export_tables import ExportTable, all_final, export_tables
from results.from_store import IncludedMarks, StoredResults, View, included_marks, results_from_store
from results.item_analysis import item_analysis_tables
from results.more_tables import fairness_tables, individual_table, standardised_table, unit_table
from results.publishing import organisation_decisions
from results.stored import competition_row
from results.workbook import write_csv, write_json, write_workbook
from scoring.problems import InvalidInput
from scoring.refusals import Conflict, NotFound


@dataclass
class ResultsExport:
    stored: StoredResults
    awards: list[AwardList]
    marks: IncludedMarks | None  # only once final (see the module's docstring)
    tables: list[ExportTable] = field(default_factory=list)
    award_problems: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): why there are no award lists

    @property
    def provisional(self) -> bool:
        return self.stored.provisional

    def file_name(self, suffix: str, part: str = "") -> str:
        """`<key>-results[-part][-provisional].<suffix>`: a provisional file says so in its name."""
        name = f"{self.stored.competition.key}-results" + (f"-{part}" if part else "")
        return name + ("-provisional" if self.provisional else "") + f".{suffix}"

    def table(self, key: str) -> ExportTable:
        """The table `key` (overall, an event's key, award_<award key>, marks); NotFound otherwise."""
        for table in self.tables:
            if table.key == key:
                return table
        known = ", ".join(t.key for t in self.tables)
        raise NotFound(zh=f"没有表“{key}”；可选：{known}", en=f"no table '{key}'; choose one of: {known}")

    def xlsx(self) -> bytes:
        return write_workbook(self.tables, self.provisional)

    def csv(self, key: str = "overall") -> str:
        return write_csv(self.table(key), self.provisional)

    def json(self) -> str:
        return write_json(self.stored, self.tables)


def read_export(
    db: Session, key: str, view: View, decisions: Sequence[OrganisationDecision] | None = None
) -> ResultsExport:
    """Everything an export holds, from the store in the caller's transaction; organisation
    awards from the organiser's standing decisions in the store unless `decisions` are given."""
    included = included_marks(db, key, view)
    stored = results_from_store(db, key, view, included)
    if decisions is None:
        decisions = organisation_decisions(db, competition_row(db, key).id)
    awards: list[AwardList] = []
    award_problems: list[tuple[str, str]] = []
    if stored.overall is not None:
        try:
            awards = allocate_awards(stored.competition, stored.overall, decisions)
        except InvalidInput as invalid:  # the award rules do not fit the entries: the results still export
            award_problems = [(f"奖项无法评定：{p.zh}", f"no award lists: {p.en}") for p in invalid.problems]
    marks = included if view is View.PUBLISHED and all_final(included) else None
    export = ResultsExport(stored, awards, marks, award_problems=award_problems)
    tables = export_tables(stored, awards, marks)
    beside = [t for t in (individual_table(stored), unit_table(stored), standardised_table(stored)) if t is not None]
    export.tables = tables[:1] + beside + tables[1:] + item_analysis_tables(stored) + fairness_tables(stored, included)
    export.tables[0].notes += award_problems
    return export


def certificates_html(
    export: ResultsExport,
    award: str,
    templates: Path | None,
    *,
    lang: str = "zh",
    on: Date | None = None,
    issuer: Issuer | None = None,
) -> str:
    """The certificates of the award list `award`. Refused (Conflict) before the overall exists
    or when the list has no recipients; NotFound for an award the competition does not have."""
    competition = export.stored.competition
    if not any(rule.key == award for rule in competition.awards):
        raise NotFound(zh=f"没有奖项“{award}”", en=f"no award '{award}'")
    if export.stored.overall is None:
        waiting = ", ".join(export.stored.waiting_for)
        raise Conflict(
            zh=f"还不能颁奖：尚有赛项没有成绩（{waiting}）",
            en=f"no awards yet: some events have no results ({waiting})",
        )
    if export.award_problems:
        raise Conflict(
            zh="；".join(zh for zh, _ in export.award_problems), en="; ".join(en for _, en in export.award_problems)
        )
    chosen = award_list(export.awards, award)
    if not chosen.recipients:
        raise Conflict(zh=f"奖项“{award}”没有获奖者", en=f"the award '{award}' has no recipients")
    return render_certificates(
        competition, chosen, templates, lang=lang, on=on, issuer=issuer, provisional=export.provisional
    )
