"""The words of the organiser's call-for-entries and review page, zh then en."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import area_text

TEXT: dict[str, tuple[str, str]] = {
    "works_page": ("作品征集与评审", "Call for entries and review"),
    "open_call": ("发布作品征集", "Open a call for entries"),
    "call_title_zh": ("征集名称（中文）", "Title (Chinese)"),
    "call_title_en": ("征集名称（英文）", "Title (English)"),
    "call_notes_zh": ("说明（中文）", "Notes (Chinese)"),
    "call_notes_en": ("说明（英文）", "Notes (English)"),
    "review_round": ("评审轮次", "Review round"),
    "deadline_bj": ("截止时间（北京时间）", "Deadline (Beijing time)"),
    "categories_hint": ("类别，每行一个：编号 | 中文名 | 英文名", "Categories, one a line: key | Chinese | English"),
    "reviews_per_work": ("每件作品的评审专家数", "Experts per work"),
    "attachments_max": ("附件个数上限", "Most attachments"),
    "attachment_mb": ("每个附件上限（MB）", "Largest attachment (MB)"),
    "blind_review": ("盲评（专家看不到作者和单位）", "Blind review (experts never see authors or unit)"),
    "public_call": ("公开征集页面", "Public call page"),
    "unit_links": ("各单位提交链接", "Units' submission links"),
    "works": ("作品", "Works"),
    "no_works_yet": ("还没有作品提交。", "No work submitted yet."),
    "unit": ("单位", "Unit"),
    "title": ("作品名称", "Title"),
    "authors": ("作者", "Authors"),
    "category": ("类别", "Category"),
    "version": ("版本", "Version"),
    "files": ("附件", "Files"),
    "status": ("状态", "Status"),
    "status_submitted": ("待审核", "Awaiting the check"),
    "status_eligible": ("符合条件", "Eligible"),
    "status_refused": ("不符合条件", "Not eligible"),
    "mark_eligible": ("符合条件", "Eligible"),
    "refuse": ("不符合条件", "Refuse"),
    "reason": ("原因", "Reason"),
    "experts": ("评审专家库", "Experts' pool"),
    "experts_hint": (
        "每行一位：评委编号 所在单位编号（无单位可省略）",
        "One a line: judge key, then their unit's key (none: leave it out)",
    ),
    "conflict": ("申报回避", "Declare a conflict"),
    "conflicts_note": (
        "专家不评审本单位作品，也不评审已申报回避的作品。",
        "An expert never reviews their own unit's works, nor works they declared a conflict with.",
    ),
    "judge_key": ("评委编号", "Judge key"),
    "work_key": ("作品编号", "Work key"),
    "assign": ("分配评审专家", "Assign experts"),
    "reviewers": ("评审专家", "Experts"),
    "review": ("评审进度", "Review progress"),
    "score": ("暂定分", "Provisional score"),
    "flags": ("分歧", "Disagreements"),
    "add_expert": ("增加一位专家", "Add an expert"),
    "shortlist": ("入围名单", "Shortlist"),
    "by_rank": ("按名次（前 N 名，并列同入）", "By rank (the best N; ties at the cut all go through)"),
    "by_threshold": ("按分数线", "By threshold"),
    "value": ("数量或分数线", "Count or threshold"),
    "next_round": ("进入轮次", "Into round"),
    "to_awards": ("不进入下一轮，直接评奖", "No next round: straight to awards"),
    "make_shortlist": ("确定入围名单", "Make the shortlist"),
    "publish_shortlist": ("公布入围名单", "Publish the shortlist"),
    "published": ("已公布", "Published"),
    "not_published": ("未公布", "Not published"),
    "save": ("保存", "Save"),
    "open": ("打开", "Open"),
    "severity": ("评审专家宽严度", "Experts' severity"),
    "severity_note": (
        "每位专家的评分与评审组结果的平均偏差：正为偏宽，负为偏严（描述性统计）。",
        "Each expert's mean deviation from the panel's result: positive lenient, negative severe (descriptive).",
    ),
    "marks": ("评分数", "Marks"),
    "mean_deviation": ("平均偏差", "Mean deviation"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)
