"""The chief judge's console's own words, Chinese first, then English; every other word comes
from the shared table (web/messages.py). Also the words console.js needs to say a refusal in the
page's language only: the names of the fields a problem may point at, and why a mark was dropped
(the engine's reasons, scoring/rubrics/panel.py)."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import LANGS, area_text

TEXT: dict[str, tuple[str, str]] = {
    "state_sheet_unassigned": ("未分配（不需评分）", "not assigned (not owed)"),
    "entry_results": ("各参赛对象成绩（暂定）", "Results per entry (provisional)"),
    "working_loading": ("正在载入计算过程……", "Loading the working…"),
    "entry_results_note": (
        "按评分细则的评审规则（含去分、舍入、一票否决）计算已提交和已锁定的评分表；"
        "该对象的评委全部提交后才计算，名次只在已算出的参赛对象之间排列，仅供裁判长核对。",
        "Computed by the rubric's own panel rule (marks dropped, rounding, vetoes) from submitted and locked "
        "sheets, once every judge of the panel has one for the entry; places are among the entries scored so "
        "far. For the chief judge's checks only.",
    ),
    "entry_results_note_ordinal": (
        "按评分细则的排名规则（如等级评分法）由全部评委的名次计算：须全部评委提交对全部参赛对象的名次后才计算，"
        "右列为最终名次（并列取平均名次），展开可见各单项名次，仅供裁判长核对。",
        "Computed by the rubric's ranking rule (such as the skating system) from every judge's places: only once "
        "every judge of the panel has submitted an order of all the entries. The right column is the final place "
        "(places shared take their mean); open an entry for its place in each dance. For the chief judge's "
        "checks only.",
    ),
    "places_no_severity": (
        "名次没有宽严之分：每位评委的名次之和都相同，与结果的平均偏差恒为 0。"
        "评委间的一致性（肯德尔 W）和改变名次的评委见“本轮成绩与公正性”。",
        "Places have no severity: every judge's places add up to the same, so their mean deviation from the result "
        "is always 0. The panel's agreement (Kendall's W) and the marks that decided a place are on the round's "
        "results and fairness page.",
    ),
    "places_no_severity_here": (
        "名次没有宽严之分：每位评委的名次之和都相同，与结果的平均偏差恒为 0。"
        "评委间的一致性（肯德尔 W）和改变名次的评委见下文。",
        "Places have no severity: every judge's places add up to the same, so their mean deviation from the result "
        "is always 0. The panel's agreement (Kendall's W) and the marks that decided a place follow below.",
    ),
    "total_score": ("总分", "Total"),
    "placements_matrix": ("名次表（参赛对象 × 评委）", "Placements (entries × judges)"),
    "placements_note": (
        "每位评委对本项全部参赛对象排定的名次（1 为最好）；未提交的名次以浅色显示。",
        "Each judge's places for every entry of the dance (1 is best); places not yet submitted are pale.",
    ),
    "pending_entry": ("待定", "pending"),
    "sheets_counted": ("已计入评分表 {}", "sheets counted {}"),
    "disqualified": ("取消成绩", "disqualified"),
    "kept": ("计入", "kept"),
    "value": ("得分", "Points"),
    "attempt_n": ("第 {} 次", "attempt {}"),
    "official_value": ("裁判员录入", "official"),
    "attempt_pick": ("按次查看评分", "Marks by attempt"),
    "sheets_view": ("评分表状态", "Sheet states"),
    "attempts_held": ("已评 {}", "held {}"),
    "attempt_col": ("次序", "Attempt"),
    "per_entry": ("每人一次", "Once per entry"),  # a per-entry part (components), not an attempt
    "per_entry_total": ("参赛对象得分", "Entry's score"),
    "formula": ("计算", "Working"),
    "not_given": ("未录入", "not entered"),
    "desk_values": ("记录台", "Desk"),
    "attempt_marks_note": (
        "每格为该评委该次的评分；红旗表示该次评分分歧超出允许范围。",
        "Each cell holds the judge's marks for this attempt; a flag: the marks of this attempt disagree "
        "beyond the tolerance.",
    ),
    "veto_called_yes": ("判定一票否决", "veto called"),
    "dropped_highest": ("最高分，去掉", "highest, dropped"),
    "dropped_lowest": ("最低分，去掉", "lowest, dropped"),
    "dropped_far": ("离中位数最远，去掉", "farthest from the median, dropped"),
    "lock_confirm": (
        "锁定后本轮次所有评分表不能再退回、更正或录入；如需更正，须由组织者重新开放轮次。"
        "将锁定已提交的评分表 {} 张。确定锁定？",
        "Once locked, no sheet of this round can be returned, corrected or typed in; to correct one the "
        "organiser must reopen the round. {} submitted sheet(s) will be locked. Lock the round?",
    ),
    "lock_yes": ("确认锁定", "Lock it"),
    "round_closed": ("本轮次已锁定", "The round is locked"),
    "round_closed_note": (
        "评分表已不能再修改、退回或录入纸质评分；如需更正，请组织者重新开放轮次。",
        "Sheets can no longer be changed, returned or typed in from paper; to correct one, the organiser "
        "reopens the round.",
    ),
    "field_entry": ("参赛对象", "entry"),
    "field_attempt": ("次序", "attempt"),
    "field_judge": ("评委", "judge"),
    "field_criterion": ("评分项", "criterion"),
    "field_value": ("分值", "value"),
    "field_marks": ("评分", "marks"),
    "field_reason": ("原因", "reason"),
    "field_file": ("文件", "file"),
}


def console_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)


def field_words(lang: str) -> dict[str, str]:
    """Field name -> its word in `lang`, for console.js."""
    index = LANGS.index(lang)
    return {key.removeprefix("field_"): words[index] for key, words in TEXT.items() if key.startswith("field_")}
