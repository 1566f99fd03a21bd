"""The officials' desk's own words, Chinese first: the page's headings, hints and the messages its
script shows in place (judges/templates/judge/desk.js), in the page's language. The words a
value is checked with (out of range, not a number, not a time) are the tablet's
(judges/tablet_text.py), so the desk says what a judge's tablet says; the server checks again.
"""

from __future__ import annotations

from collections.abc import Callable

from judges.tablet_text import TEXT as TABLET_TEXT
from judges.tablet_text import script_words
from web.i18n import LANGS, area_text

TEXT: dict[str, tuple[str, str]] = {
    "desk": ("记录台", "Officials' desk"),
    "desk_hint": (
        "每位选手每一次的难度系数、判罚、计时和测量由记录台录入；改动即保存（断网时先存在本机，联网后发送）。",
        "Enter each entry's degree of difficulty, penalties, official times and measurements per attempt; "
        "every change is kept (on this device while offline, sent when back online).",
    ),
    "desk_upload_hint": (
        "整批数值可由组织者在轮次页面上传（scoring compute 长表格式，judge 列留空）。",
        "A whole file of values is uploaded by the organiser on the round's page "
        "(the scoring compute long form, with the judge column empty).",
    ),
    "attempt": ("次序", "Attempt"),
    "desk_per_entry": ("每人一次", "Once per entry"),  # a per-entry part's values: deductions, a factor
    "default": ("默认", "default"),
    "desk_saved": ("第 {} 版已保存", "version {} saved"),
    "desk_stale": (
        "数值已被他人更新，已载入最新版本，请核对后再改",
        "changed elsewhere: the newest values are loaded; check them and change again",
    ),
    "desk_closed": ("本轮次已锁定，记录台不能再改", "the round is locked; the desk takes no more changes"),
    "values_invalid": (
        "有 {} 个数值无效（已标红），改正前不会发送",
        "{} value(s) not valid (in red): nothing is sent until corrected",
    ),
}

#: The words of desk.js: the desk's own, and the tablet's for checking values and the status.
DESK_SCRIPT_WORDS = {
    "saved": "desk_saved",
    "stale_values": "desk_stale",
    "closed": "desk_closed",
    "values_invalid": "values_invalid",
}


def desk_text(lang: str) -> Callable[..., str]:
    """The desk's words first, then the tablet's, then the shared ones."""
    return area_text(lang, TEXT | {k: v for k, v in TABLET_TEXT.items() if k not in TEXT})


def desk_words(lang: str) -> dict[str, str]:
    """Every word desk.js shows, in the page's language ("{}" filled by the script)."""
    index = LANGS.index(lang)
    return script_words(lang) | {name: TEXT[key][index] for name, key in DESK_SCRIPT_WORDS.items()}
