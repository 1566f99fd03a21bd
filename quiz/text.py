"""The quiz master's pages' words, Chinese first; the console script gets them in the page's
language (`words`). Shared words come from web/i18n.py."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import LANGS, area_text

TEXT: dict[str, tuple[str, str]] = {
    "quiz_master": ("主持人", "Quiz master"),
    "quiz_sign_in": ("竞答主持人登录", "Quiz master sign-in"),
    "my_quizzes": ("我的竞答", "My quizzes"),
    "no_quizzes": ("本竞赛没有知识竞答轮次", "This competition has no quiz round"),
    "records": ("记录条数", "Records"),
    "open_console": ("打开控制台", "Open the console"),
    "console": ("竞答控制台", "Quiz console"),
    "question": ("当前题目", "Current question"),
    "no_question": ("尚未出题", "No question put yet"),
    "question_n": ("第 {} 题", "Question {}"),
    "put_question": ("出题", "Put the question"),
    "number": ("题号", "Number"),
    "type": ("题型", "Type"),
    "turn": ("答题队", "Team whose turn"),
    "suggested": ("建议", "suggested"),
    "stake": ("风险分值", "Stake"),
    "worth": ("分值", "Worth"),
    "points_n": ("{} 分", "{} points"),
    "type_compulsory": ("必答", "Compulsory"),
    "type_buzzer": ("抢答", "Buzzer"),
    "type_risk": ("风险", "Risk"),
    "type_extra": ("加赛", "Extra"),
    "outcome_right": ("对", "Right"),
    "outcome_wrong": ("错", "Wrong"),
    "outcome_early": ("抢跑", "Early buzz"),
    "outcome_timeout": ("超时", "Timeout"),
    "record": ("记录", "Record"),
    "team": ("参赛队", "Team"),
    "score": ("得分", "Score"),
    "scores": ("实时得分", "Running scores"),
    "log": ("操作记录", "Log"),
    "undo": ("撤销上一步", "Undo last"),
    "undo_confirm": ("确认撤销：", "Undo this: "),
    "nothing_to_undo": ("没有可撤销的操作", "Nothing to undo"),
    "confirm": ("确认", "Confirm"),
    "cancel": ("取消", "Cancel"),
    "voided": ("已撤销", "undone"),
    "kind_question": ("出题", "question"),
    "kind_end": ("常规题结束", "regular questions ended"),
    "kind_undo": ("撤销", "undo of"),
    "end_regular": ("结束常规题", "End the regular questions"),
    "end_confirm": ("确认结束常规题？", "End the regular questions?"),
    "ended": ("常规题已结束", "The regular questions are over"),
    "tie_break": ("加赛", "Tie-break"),
    "level": ("以下参赛队同分：", "These teams are level: "),
    "no_level": ("没有同分的参赛队", "No teams are level"),
    "offer_extra": ("为同分队出加赛题", "Put an extra question to the level teams"),
    "extra_right": ("加赛答对", "extra right"),
    "sending": ("正在发送…", "Sending…"),
    "waiting": ("待发送 {} 条", "{} waiting to send"),
    "offline": ("网络中断，恢复后自动重发", "Offline: will send again when the network is back"),
    "refused": ("未记录", "Not recorded"),
    "sign_in_again": ("请重新登录", "Sign in again"),
    "last": ("上一条", "Last"),
    "all_teams": ("所有参赛队", "every team"),
    "put_first": ("请先出题", "Put a question first"),
}


def page_text(lang: str) -> Callable[..., str]:
    """This area's words first, then the shared ones; `t(key, n)` fills a "{}" with n."""
    return area_text(lang, TEXT)


def script_words(lang: str) -> dict[str, str]:
    """Every word of the console script, in the page's language."""
    index = LANGS.index(lang)
    return {key: pair[index] for key, pair in TEXT.items()}
