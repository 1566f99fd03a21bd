"""Award certificates (获奖证书): one HTML document holding one certificate per recipient of an
award list, each an A4 landscape page when printed (print CSS: `@page { size: A4 landscape }`
and a page break after each certificate).

The template is results/templates/certificate.html, unless the organiser has put a
`certificate.html` of their own in the folder the caller names (the app and the command pass
`<data dir>/templates`; results/ knows no settings). Both receive the same context, described at
the top of the shipped template. Jinja2 escapes every name, so a team called "<script>" prints
as written. Certificates name people, so the document is for the organiser: the routes that
serve it are the organiser's (organiser/result_exports.py).

This module renders HTML only; the PDF is results/certificate_pdf.py (it needs Chromium).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from results.awards import AwardList, AwardRecipient
from scoring.model import Competition, Scope
from scoring.refusals import NotFound

SHIPPED = Path(__file__).resolve().parent / "templates"
TEMPLATE = "certificate.html"
MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Issuer:
    """The line that signs every certificate, in both languages."""

    zh: str
    en: str


def default_issuer(competition: Competition) -> Issuer:
    """The competition's organising committee (组委会), by the competition's name."""
    en = competition.name.get("en", "")
    return Issuer(f"{competition.name['zh']}组委会", f"Organising Committee, {en}" if en else "")


def certificate_date(competition: Competition, on: Date | None = None) -> dict[str, str]:
    """The date printed: `on`, else the competition's last day, else today; zh and en."""
    if on is None:
        try:
            on = Date.fromisoformat(competition.dates[-1]) if competition.dates else Date.today()
        except ValueError:
            on = Date.today()
    return {"zh": f"{on.year}年{on.month}月{on.day}日", "en": f"{on.day} {MONTHS[on.month - 1]} {on.year}"}


def template_folders(custom: Path | None) -> list[str]:
    """Where the template is looked for: the organiser's folder first, then the shipped one."""
    folders = [str(custom)] if custom is not None and (custom / TEMPLATE).is_file() else []
    return folders + [str(SHIPPED)]


def _ordinal(place: int) -> str:
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def _recipient(r: AwardRecipient, scope: str) -> dict[str, Any]:
    return {
        "entry": r.entry,
        "name": r.name,
        "name_en": r.name_en,
        "unit_name": r.unit_name,
        "unit_name_en": r.unit_name_en,
        "contestants": list(r.contestants),
        "place": "" if r.place is None else r.place,
        "place_zh": "" if r.place is None else f"{'并列' if r.shared else ''}第 {r.place} 名",
        "place_label": "" if r.place is None else ("joint " if r.shared else "") + _ordinal(r.place),
        "shared": r.shared,
        "score": "" if r.score is None else f"{r.score:f}",
        "reason": r.reason,
        "is_team": scope == Scope.TEAM,
        "is_unit": scope == "unit",
    }


def render_certificates(
    competition: Competition,
    awards: AwardList,
    templates: Path | None = None,
    *,
    lang: str = "zh",
    on: Date | None = None,
    issuer: Issuer | None = None,
    provisional: bool = False,
) -> str:
    """The HTML of every certificate of `awards`, one page each, best first. `templates` is the
    organiser's folder that may hold their own certificate.html; `provisional` marks every page
    as not final (for a proof before the results are published)."""
    environment = Environment(
        loader=FileSystemLoader(template_folders(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    rule = awards.rule
    signer = issuer or default_issuer(competition)
    return environment.get_template(TEMPLATE).render(
        competition={"key": competition.key, "name": competition.name},
        award={"key": rule.key, "title": rule.title, "kind": rule.kind},
        recipients=[_recipient(r, str(rule.scope)) for r in awards.recipients],
        date=certificate_date(competition, on),
        issuer={"zh": signer.zh, "en": signer.en},
        provisional=provisional,
        lang=lang,
    )


def award_list(lists: list[AwardList], key: str) -> AwardList:
    """The award list of the rule `key`; NotFound (in both languages) when there is none."""
    for found in lists:
        if found.rule.key == key:
            return found
    raise NotFound(zh=f"没有奖项“{key}”", en=f"no award '{key}'")
