"""The ordering form's own words, Chinese first: its headings and hints, and every message its
script shows in place (judges/templates/judge/placements.js) in the page's language: a place
that is not a whole number, two entries sharing a place where the rules refuse it, a place
missing, an entry not placed yet. The script says first what the server's check
(scoring/rubrics/placements.py `check_placements`) says for the record. The status words
(online, sending, stale...) are the tablet's (judges/tablet_text.py).
"""

from __future__ import annotations

from collections.abc import Callable

from judges.tablet_text import TEXT as TABLET_TEXT
from judges.tablet_text import script_words
from web.i18n import LANGS, area_text

TEXT: dict[str, tuple[str, str]] = {
    "order_entries": ("排名", "Order the entries"),
    "order_hint": (
        "按名次从第 1 名起依次点选参赛对象；名次也可直接输入。撤销去掉最后一个名次。",
        "Tap the entries in order, 1st first; a place can also be typed. Undo takes the last place off.",
    ),
    "ties_allowed": ("允许并列", "shared places allowed"),
    "ties_refused": ("不允许并列", "no shared places"),
    "tie_next": ("下一个与上一名并列", "Next shares the place above"),
    "tie_armed": ("下一个点选的参赛对象与第 {} 名并列", "the next entry tapped shares place {}"),
    "undo": ("撤销", "Undo"),
    "clear": ("清空", "Clear"),
    "clear_confirm": ("清空“{}”的全部名次？", "Take every place of '{}' off?"),
    "order_result": ("名次", "Places"),
    "drag_hint": ("名次如下；拖动一项到另一项上即可调整顺序。", "The places below; drag one onto another to move it."),
    "place_n": ("第 {} 名", "{}"),
    "placed_n": ("已排 {} / {}", "{} of {} placed"),
    "entries_n": ("{} 个参赛对象", "{} entries"),
    "place_label": ("{} 的名次", "place of {}"),
    "not_place": ("“{}”不是名次：请输入 1 至 {} 的整数", "'{}' is not a place: enter a whole number, 1 to {}"),
    "place_above": ("名次 {} 大于参赛对象数 {}", "place {} is above the number of entries, {}"),
    "shared_refused": ("{} 同为第 {} 名：本项不允许并列", "{} share place {}: this dance allows no shared places"),
    "place_missing": (
        "缺少第 {} 名：名次须从 1 排到 {}，不能跳过",
        "place {} is missing: the places must run 1 to {} without a gap",
    ),
    "place_missing_ties": (
        "缺少第 {} 名：并列的参赛对象占用其后的名次（1、2、2、4），其余名次不能跳过",
        "place {} is missing: entries sharing a place take the places after it (1, 2, 2, 4); no other gap",
    ),
    "unplaced": ("尚未排名：{}", "not placed yet: {}"),
    "order_invalid": ("有 {} 项排名有误（已标红），请先更正", "{} placing(s) not valid (in red): correct them first"),
    "confirm_order": ("请核对名次", "Check the places"),
    "order_submitted": ("已提交；如需更改请找裁判长退回", "submitted; to change it, ask the chief judge to return it"),
    "order_saved": ("已保存", "saved"),
    "sheets_returned": ("裁判长退回了 {} 的名次：", "the chief judge returned the places of {}: "),
    "order_elsewhere": (
        "部分名次已在另一台设备上填写；如需换设备，请裁判长在控制台释放后再试",
        "some of these sheets are held by another device; ask the chief judge to release them in the console",
    ),
    "placements_matrix": ("名次表", "Placements"),
}

#: The words of placements.js: its own, and the tablet's for the status bar.
PLACEMENT_SCRIPT_WORDS = (
    "tie_armed",
    "clear_confirm",
    "place_n",
    "placed_n",
    "place_label",
    "not_place",
    "place_above",
    "shared_refused",
    "place_missing",
    "place_missing_ties",
    "unplaced",
    "order_invalid",
    "order_submitted",
    "order_saved",
    "sheets_returned",
)


def placement_text(lang: str) -> Callable[..., str]:
    """The form's words first, then the tablet's, then the shared ones."""
    return area_text(lang, TEXT | {k: v for k, v in TABLET_TEXT.items() if k not in TEXT})


def placement_words(lang: str) -> dict[str, str]:
    """Every word placements.js shows, in the page's language ("{}" filled by the script)."""
    index = LANGS.index(lang)
    return script_words(lang) | {name: TEXT[name][index] for name in PLACEMENT_SCRIPT_WORDS}
