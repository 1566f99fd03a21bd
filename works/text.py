"""The words of the units' submission pages and the experts' review pages, zh then en, and
how they say a moment (Beijing time, named on the page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from web.i18n import area_text

BEIJING = timezone(timedelta(hours=8))

TEXT: dict[str, tuple[str, str]] = {
    "call": ("作品征集", "Call for entries"),
    "unit": ("单位", "Unit"),
    "deadline": ("截止时间", "Deadline"),
    "closed": (
        "征集已截止，不能再提交或修改作品。",
        "The call has closed: works can no longer be submitted or revised.",
    ),
    "your_works": ("本单位的作品", "Your unit's works"),
    "no_works": ("还没有提交作品。", "No work submitted yet."),
    "new_work": ("提交新作品", "Submit a new work"),
    "revise_work": ("修改作品", "Revise the work"),
    "work": ("作品", "Work"),
    "title": ("作品名称", "Title"),
    "authors": ("作者", "Authors"),
    "authors_hint": ("多位作者用逗号分隔", "separate several authors with commas"),
    "category": ("类别", "Category"),
    "abstract": ("简介", "Abstract"),
    "attachments": ("附件", "Attachments"),
    "attachments_hint": (
        "PDF、PNG 或 JPEG；每个不超过 {} MB，最多 {} 个",
        "PDF, PNG or JPEG; each at most {} MB, at most {}",
    ),
    "keep": ("保留", "keep"),
    "video_links": ("视频链接", "Video links"),
    "video_hint": ("每行一个，以 http:// 或 https:// 开头", "one a line, starting with http:// or https://"),
    "submit": ("提交", "Submit"),
    "save_revision": ("保存修改", "Save the revision"),
    "status": ("状态", "Status"),
    "status_submitted": ("待审核", "Awaiting the check"),
    "status_eligible": ("符合条件，已进入评审", "Eligible, under review"),
    "status_refused": ("不符合条件", "Not eligible"),
    "reason": ("原因", "Reason"),
    "version": ("版本", "Version"),
    "sent": ("已提交。截止前仍可修改。", "Submitted. You may revise it until the deadline."),
    "revise": ("修改", "Revise"),
    "back": ("返回", "Back"),
    "review": ("作品评审", "Review of works"),
    "review_note": (
        "请阅读作品材料后评分。评分表离线也能保存，联网后自动发送。",
        "Read each work's materials, then score it. Sheets are kept offline and sent once online.",
    ),
    "no_reviews": ("您没有需要评审的作品。", "No works are assigned to you."),
    "score_it": ("评分", "Score"),
    "sheet_state": ("评分表", "Sheet"),
    "state_new": ("未开始", "not started"),
    "state_draft": ("草稿", "draft"),
    "state_submitted": ("已提交", "submitted"),
    "state_returned": ("已退回", "returned"),
    "state_locked": ("已锁定", "locked"),
    "materials": ("作品材料", "Materials"),
    "open_file": ("打开", "Open"),
    "blind_note": ("盲评：作者与单位不向评审专家显示。", "Blind review: authors and unit are not shown to experts."),
    "no_attachments": ("无附件", "No attachments"),
    "tablet_home": ("我的评分任务", "My assignments"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)


def beijing_time(moment: datetime, lang: str) -> str:
    d = moment.astimezone(BEIJING)
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}（北京时间）"
    return f"{d:%Y-%m-%d %H:%M} (Beijing time)"


def megabytes(size: int) -> str:
    whole, part = divmod(size * 10 // (1024 * 1024), 10)
    return f"{whole}" if part == 0 else f"{whole}.{part}"
