"""The online drills' page words, Chinese first; the paper's script gets them in the page's
language. Shared words come from web/i18n.py."""

from __future__ import annotations

import json
from collections.abc import Callable

from web.i18n import LANGS, area_text

TEXT: dict[str, tuple[str, str]] = {
    "online": ("网上练兵", "Online drills"),
    "levels": ("闯关练习", "Practice levels"),
    "preliminary": ("初赛", "Preliminary"),
    "level_n": ("第 {} 关", "Level {}"),
    "locked": ("未解锁：先通过上一关", "Locked: pass the level before"),
    "passed": ("已通过", "Passed"),
    "not_passed": ("未通过", "Not passed yet"),
    "pass_mark": ("及格分", "Pass mark"),
    "counts_best": ("计最好成绩", "Best attempt counts"),
    "counts_last": ("计最后一次", "Last attempt counts"),
    "start": ("开始答题", "Start"),
    "continue": ("继续答题", "Continue"),
    "retry": ("再试一次", "Try again"),
    "view": ("查看", "View"),
    "attempt_n": ("第 {} 次", "Attempt {}"),
    "score": ("得分", "Score"),
    "counted": ("计入成绩", "Counted"),
    "minutes_n": ("限时 {} 分钟，只能作答一次", "{} minutes, one attempt"),
    "not_open": ("尚未开放", "Not open yet"),
    "closed": ("已截止", "Closed"),
    "done": ("已交卷", "Handed in"),
    "time_left": ("剩余时间", "Time left"),
    "submit": ("交卷", "Hand in"),
    "submit_confirm": ("确定交卷？交卷后不能再改。", "Hand in now? You cannot change answers afterwards."),
    "unanswered_n": ("还有 {} 题未答。", "{} questions unanswered."),
    "saved": ("已保存", "saved"),
    "waiting": ("待发送", "waiting to send"),
    "offline": (
        "离线：答案保存在本机，联网后自动发送",
        "Offline: answers are kept on this phone and sent when back online",
    ),
    "all_saved": ("全部答案已保存到服务器", "Every answer is stored on the server"),
    "n_waiting": ("{} 个答案待发送", "{} answers waiting to send"),
    "time_up": ("时间到，已自动交卷", "Time is up: the paper counts as handed in"),
    "refused": ("未被接受", "not taken"),
    "true": ("对", "True"),
    "false": ("错", "False"),
    "number_answer": ("填写数字", "Type a number"),
    "question_n": ("第 {} 题", "Question {}"),
    "your_answer": ("你的答案", "Your answer"),
    "key_answer": ("正确答案", "Correct answer"),
    "explanation": ("解析", "Explanation"),
    "no_answer": ("未作答", "no answer"),
    "back": ("返回", "Back"),
    "hello": ("你好，{}", "Hello, {}"),
    "no_papers": ("还没有试卷", "No papers yet"),
    "unit_page": ("单位参与情况", "Unit participation"),
    "contestants": ("选手", "Contestants"),
    "started": ("已开始", "Started"),
    "finished": ("已完成", "Finished"),
    "rate": ("完成率", "Rate"),
    "contestant": ("选手", "Contestant"),
    "name": ("姓名", "Name"),
    "unit": ("单位", "Unit"),
    "place": ("名次", "Place"),
    "finalist": ("入围决赛", "Finalist"),
    "board": ("初赛成绩", "Preliminary results"),
    "finalists_note": ("标记“入围决赛”者进入决赛名单", "Those marked finalist go on to the final"),
    "max_n": ("满分 {}", "out of {}"),
    "sign_in_code": ("用选手码登录", "Sign in with your code"),
    "code": ("选手码", "Code"),
    "wrong_code": ("竞赛编号或选手码不正确", "Wrong competition key or code"),
    "enter": ("进入", "Enter"),
    "code_note": (
        "选手码由所在单位发放（8 位字母和数字），也可直接打开单位发来的链接。",
        "Your unit gives you your code (8 letters and digits); the link your unit sent opens the same page.",
    ),
    "competition_key": ("竞赛编号", "Competition key"),
    "too_many": ("尝试失败次数过多，请稍后再试", "Too many failed attempts; wait a few minutes"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)


def script_words(lang: str) -> str:
    """The words the paper's script shows, as JSON for a data attribute."""
    keys = (
        "saved",
        "waiting",
        "offline",
        "all_saved",
        "n_waiting",
        "time_up",
        "refused",
        "submit_confirm",
        "unanswered_n",
    )
    return json.dumps({k: TEXT[k][LANGS.index(lang)] for k in keys}, ensure_ascii=False)
