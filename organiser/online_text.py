"""The words of the organiser's online drills page (/admin/competitions/{key}/online), Chinese
first. Shared words come from web/i18n.py."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import area_text

TEXT: dict[str, tuple[str, str]] = {
    "online_page": ("网上练兵", "Online drills"),
    "bank": ("题库", "Question bank"),
    "bank_none": ("尚未导入题库", "No question bank yet"),
    "bank_version": ("第 {} 版", "version {}"),
    "bank_questions": ("{} 道题", "{} questions"),
    "bank_upload": ("导入题库（新版本）", "Import the bank (a new version)"),
    "bank_note": (
        "CSV 或 XLSX。列：编号、题型（单选/多选/判断/数值）、题目、英文题目、选项（以 | 分隔，第一个为 A）、英文选项、"
        "答案、解析、英文解析、主题、难度（易/中/难），可选 分值、误差、部分分。逐行检查，任何一行有误则全部不导入。",
        "CSV or XLSX. Columns: key, type (single, multiple, true_false, numeric), question, question_en, options "
        "(separated by |, the first is A), options_en, answer, explanation, explanation_en, topic, difficulty (easy, "
        "medium, hard), and optionally points, tolerance, partial_points. Every row is checked; if any is wrong "
        "nothing is imported.",
    ),
    "import": ("导入", "Import"),
    "papers": ("试卷", "Papers"),
    "no_papers": ("还没有试卷", "No papers yet"),
    "paper_key": ("编号", "Key"),
    "kind": ("类型", "Kind"),
    "kind_practice": ("闯关练习", "Practice level"),
    "kind_preliminary": ("初赛", "Preliminary"),
    "level": ("关卡", "Level"),
    "title_zh": ("标题（中文）", "Title (Chinese)"),
    "title_en": ("标题（英文）", "Title (English)"),
    "questions_fixed": ("固定题目（编号，以逗号分隔）", "Fixed questions (keys, separated by commas)"),
    "rules": (
        "或抽题规则（每行：主题, 难度, 题数；* 表示任意）",
        "Or draw rules (one a line: topic, difficulty, count; * for any)",
    ),
    "pass_mark": ("及格分", "Pass mark"),
    "counts": ("计分", "Counts"),
    "counts_best": ("最好成绩", "best attempt"),
    "counts_last": ("最后一次", "last attempt"),
    "time_limit": ("限时（分钟）", "Time limit (minutes)"),
    "opens_at": ("开放时间（UTC）", "Opens (UTC)"),
    "closes_at": ("截止时间（UTC）", "Closes (UTC)"),
    "create_paper": ("新建试卷", "Create a paper"),
    "shuffle": ("每位选手打乱题目和选项顺序", "Shuffle questions and options per contestant"),
    "participation": ("各单位参与情况", "Participation per unit"),
    "unit": ("单位", "Unit"),
    "contestants": ("选手数", "Contestants"),
    "finished_rate": ("完成 / 完成率", "Finished / rate"),
    "leaderboard": ("排行榜", "Leaderboard"),
    "place": ("名次", "Place"),
    "name": ("姓名", "Name"),
    "score": ("得分", "Score"),
    "seconds": ("用时（秒）", "Time (s)"),
    "nobody_yet": ("还没有人交卷", "No one has handed in yet"),
    "shown_top": ("显示前 {} 名", "The top {} are shown"),
    "items": ("试题分析", "Item analysis"),
    "question": ("题目", "Question"),
    "sheets": ("作答人数", "Sheets"),
    "difficulty": ("难度 P", "Difficulty P"),
    "discrimination": ("区分度 D", "Discrimination D"),
    "finalists": ("选出决赛名单", "Select the finalists"),
    "rule": ("规则", "Rule"),
    "rule_top_overall": ("总排名前 n 名", "Top n overall"),
    "rule_top_per_unit": ("每个单位前 n 名", "Top n of each unit"),
    "rule_threshold": ("分数线（不低于）", "Score at least"),
    "value": ("n 或分数", "n or score"),
    "target": ("决赛竞赛编号", "The final's competition key"),
    "reason": ("说明", "Reason"),
    "select": ("选出并加入决赛名单", "Select and add to the final's roster"),
    "finalists_note": (
        "名次按得分从高到低，得分相同按用时从短到长；两者都相同并列。临界处并列者全部入选。入选者连同其单位、参赛队加入决赛竞赛的名单（已在名单中的不变），并记入审计日志。",
        "Places: score higher first, then time used shorter first; equal on both share a place. Everyone tied at the "
        "cut is selected. The finalists join the final competition's roster with their units and teams (those already "
        "on it stay as they are); the change is audited.",
    ),
    "selections": ("已选出", "Selections"),
    "publish": ("公布成绩与决赛名单", "Publish the results and finalists"),
    "published": ("已公布", "Published"),
    "public_page": ("公开页面", "Public page"),
    "links": ("选手与单位链接", "Contestant and unit links"),
    "links_note": (
        "由各单位分发：每位选手一个链接和一个选手码（在 /online 输入竞赛编号和选手码即可进入），"
        "每个单位一个链接（只看本单位）。",
        "Units hand these out: one link and one typed code per contestant (the code, with the competition's key, "
        "opens the same page at /online), and one link per unit (its own only).",
    ),
    "download_links": ("下载链接表（CSV）", "Download the links (CSV)"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)
