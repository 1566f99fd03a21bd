"""The judge's tablet's own words, Chinese first: the sign-in form's hints, the form's messages
in place (a mark out of range, off its step, not a number), the assignments' states and the
"next entry" button. The sheet script gets them in the page's language (`script_words`), so
every message a judge reads is in the language of the page, never the browser's. Shared words
(the sheet states, online, offline) come from web/messages.py; checking a mark for the record
is the server's (scoring/sheet_rules.py), and the script's checks say the same things first.
"""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import LANGS, area_text, translator

TEXT: dict[str, tuple[str, str]] = {
    "competition_optional": ("竞赛编号（选填）", "Competition key (optional)"),
    "competition_hint": (
        "只有提示时才需要填写；登录卡上印有竞赛编号。编号不区分大小写。",
        "Needed only when asked; it is printed on your card. Keys may be typed in any case.",
    ),
    "mark_not_number": ("“{}”不是数字", "'{}' is not a number"),
    "mark_out_of_range": ("{} 超出范围：应在 {}–{} 之间", "{} is out of range: enter {} to {}"),
    "mark_below": ("{} 太小：不能小于 {}", "{} is too small: at least {}"),
    "mark_above": ("{} 太大：不能大于 {}", "{} is too large: at most {}"),
    "mark_off_step": ("{} 不在步长上：从 {} 起每步 {}", "{} is off the step: from {} in steps of {}"),
    "mark_not_count": ("“{}”不是次数：请输入 0 或正整数", "'{}' is not a count: enter a whole number, 0 or more"),
    "mark_count_above": ("次数 {} 超过上限 {}", "{} times is more than the maximum, {}"),
    "mark_not_time": (
        "“{}”不是时间：请输入秒数，如 83.4 或 1:23.4",
        "'{}' is not a time: enter seconds, like 83.4 or 1:23.4",
    ),
    "marks_invalid": ("有 {} 项评分无效（已标红），请先更正", "{} mark(s) not valid (in red): correct them first"),
    "invalid": ("无效", "not valid"),
    "veto_called_short": ("已判定一票否决", "veto called"),
    "submit_waiting": ("已提交，等待发送", "submitted, waiting to send"),
    "next_entry": ("下一个", "Next"),
    "kept_offline": ("已保存 {} 张评分表，断网时也能打开", "{} sheets kept on this tablet for use offline"),
    "returned_n": ("已退回 {} 张，请修改后重新提交", "{} returned: correct and submit again"),
    "attempts": ("试次", "Attempts"),
    "attempt_n": ("第 {} 次", "Attempt {}"),
    "attempt_submitted": ("本次已提交；如需更正请找裁判长", "submitted; the chief judge corrects it if needed"),
    "from_desk": ("（记录台给出）", "(from the officials' desk)"),
    "params_offline": ("（离线：最后已知的值，可能已更改）", "(offline: last known value, may have changed)"),
    "submit_attempt": ("提交第 {} 次", "Submit attempt {}"),
    "entry_part": ("每人一次", "Once per entry"),
    "entry_part_hint": (
        "各次评完后评一次（如节目内容分）；提交后本表评完",
        "Marked once, after the attempts (like programme components); submitting it completes the sheet",
    ),
    "entry_part_submitted": (
        "已提交；评分表已评完，如需更正请找裁判长",
        "submitted; the sheet is complete (the chief judge corrects it if needed)",
    ),
    "submit_entry_part": ("提交每人一次的评分", "Submit the per-entry marks"),
    "desk_link": ("记录台", "Officials' desk"),
    "order_link": ("排定名次", "Place the entries"),  # a round judged by placing: one form for all entries
    "works_to_review": ("作品材料与评审", "Works to review: their materials"),
    "ballot_link": ("推选投票", "Selection ballot"),
}

#: The words of the sheet script, shared ones and the tablet's own.
SCRIPT_WORDS = {
    "online": "online",
    "offline": "offline",
    "new": "state_sheet_new",
    "draft": "state_sheet_draft",
    "submitted": "state_sheet_submitted",
    "returned": "state_sheet_returned",
    "locked": "state_sheet_locked",
    "sending": "sending",
    "stale": "stale",
    "rejected": "rejected",
    "signin": "sign_in_again",
    "veto": "veto_confirm",
    "unmarked": "not_marked",
    "waiting": "waiting",
    "use": "stopwatch_use",
    "start": "stopwatch_start",
    "stop": "stopwatch_stop",
    "elsewhere": "sheet_elsewhere",
    "vetoed": "veto_called_short",
    "submit_waiting": "submit_waiting",
    "invalid": "invalid",
    "marks_invalid": "marks_invalid",
    "not_number": "mark_not_number",
    "out_of_range": "mark_out_of_range",
    "below": "mark_below",
    "above": "mark_above",
    "off_step": "mark_off_step",
    "not_count": "mark_not_count",
    "count_above": "mark_count_above",
    "not_time": "mark_not_time",
    "kept_offline": "kept_offline",
    "submit_attempt": "submit_attempt",
    "submit_entry_part": "submit_entry_part",
    "from_desk": "from_desk",
    "params_offline": "params_offline",
}


def page_text(lang: str) -> Callable[..., str]:
    """The tablet's words first, then the shared ones; `t(key, n)` fills a "{}" with n."""
    return area_text(lang, TEXT)


def script_words(lang: str) -> dict[str, str]:
    """Every word the tablet's scripts show, in the page's language ("{}" filled by the script)."""
    index, shared = LANGS.index(lang), translator(lang)
    return {name: TEXT[key][index] if key in TEXT else shared(key) for name, key in SCRIPT_WORDS.items()}
