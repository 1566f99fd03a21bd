"""The words of the public results pages, zh then en, and how they say a time and a place.

Times are said in Beijing time (UTC+8), named on the page, whatever the server's own zone:
the competitions held here are in China, and a deadline must read the same on every phone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from web.i18n import area_text

BEIJING = timezone(timedelta(hours=8))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip

TEXT: dict[str, tuple[str, str]] = {
    "results": ("成绩", "Results"),
    "results_of": ("成绩公布", "Results"),
    "not_published": ("尚未公布成绩", "Results not published yet"),
    "not_published_note": (
        "这项竞赛不存在，或其成绩尚未公布。成绩公布后将在此显示。",
        "There is no such competition, or its results are not published yet. They will appear here once published.",
    ),
    "back_home": ("返回首页", "Back to the home page"),
    "notice": ("成绩公示", "Public notice of results"),
    "notice_state": ("公示中", "Public notice"),
    "notice_until": ("公示截止", "Open to appeal until"),
    "notice_ended": ("公示期已结束，最终成绩待发布", "The notice period has ended; the final results will follow"),
    "notice_note": (
        "以下为公示成绩，公示期内可提出申诉，尚非最终结果。",
        "These results are published for public notice and may be appealed until the deadline; they are not final.",
    ),
    "how_to_appeal": ("申诉方式", "How to appeal"),
    "final": ("最终成绩", "Final results"),
    "final_version": ("最终成绩 第 {} 版", "Final results, version {}"),
    "version_n": ("第 {} 版", "version {}"),
    "superseded": ("此版本已被第 {} 版取代。", "This version was replaced by version {}."),
    "see_current": ("查看当前成绩", "See the current results"),
    "withdrawn": ("公示已撤回更正", "The notice was withdrawn for a correction"),
    "withdrawn_note": (
        "此前的公示已撤回，更正后将重新公示。",
        "The earlier notice was taken back for a correction; corrected results will be published for notice again.",
    ),
    "withdrawn_previous": (
        "以下为此前发布的最终成绩（第 {} 版）。",
        "Below are the final results published before (version {}).",
    ),
    "state_none": ("尚未公布", "Not published yet"),
    "published_at": ("发布时间", "Published"),
    "audit": ("审计摘要", "Audit digest"),
    "audit_full": ("完整摘要", "Full digest"),
    "audit_note": (
        "发布时审计链的序号与摘要，可用于核对成绩在发布后未被改动。",
        "The audit chain's record number and digest when this was published: proof the results were not changed since.",
    ),
    "changes": ("与上次发布相比的更改", "Changes since the previous publication"),
    "changes_version": ("本版的更改", "What changed in this version"),
    "before": ("更改前", "Before"),
    "after": ("更改后", "After"),
    "why": ("原因", "Why"),
    "versions": ("各版最终成绩", "Final versions"),
    "current": ("当前", "current"),
    "overall": ("总成绩排名", "Overall standings"),
    "events_standings": ("各赛项成绩", "Event standings"),
    "awards": ("获奖名单", "Award lists"),
    "place": ("名次", "Place"),
    "team": ("参赛队", "Team"),
    "entry": ("参赛者", "Entry"),
    "unit": ("参赛单位", "Unit"),
    "contestants": ("选手", "Contestants"),
    "score": ("成绩", "Score"),
    "total": ("总分", "Overall"),
    "reason": ("理由", "Reason"),
    "tie_break": ("同分排序依据", "Tie-break"),
    "weight": ("权重", "weight"),
    "shared": ("“=”表示名次并列；“—”表示无名次。", '"=" marks a shared place; "—" no place.'),
    "no_recipients": ("无", "None"),
    "scroll_hint": ("表格可左右滑动", "Swipe the table sideways to see every column"),
    "print": ("打印", "Print"),
    "results_link": ("查看成绩", "Results"),
    "results_state": ("成绩", "Results"),
}


def page_text(lang: str) -> Callable[..., str]:
    """This area's words first, then the shared ones; `t(key, n)` fills a "{}" with n."""
    return area_text(lang, TEXT)


def local_time(value: datetime | str | None, lang: str) -> str:
    """A moment as a reader says it, in Beijing time: 2026年12月6日 16:00 or 6 December 2026, 16:00."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    d = moment.astimezone(BEIJING)
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}（北京时间）"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M} (Beijing time)"


def place_label(place: str) -> str:
    """A snapshot's place label as shown: "1", "=2" (shared), and "—" for none ("DQ" or empty)."""
    return "—" if place in ("", "DQ") else place


def localise(names: Any, lang: str) -> str:
    """A snapshot's {"zh": ..., "en": ...} in the reader's language (the other one if it is missing)."""
    if isinstance(names, dict):
        return str(names.get(lang) or names.get("zh") or names.get("en") or "")
    return "" if names is None else str(names)
