"""The words of the public call-for-entries page, zh then en."""

from __future__ import annotations

from collections.abc import Callable

from web.i18n import area_text

TEXT: dict[str, tuple[str, str]] = {
    "call": ("作品征集", "Call for entries"),
    "deadline": ("截止时间", "Deadline"),
    "open_until": ("征集中，截止于", "Open until"),
    "closed": ("征集已截止", "The call has closed"),
    "categories": ("作品类别", "Categories"),
    "how": ("如何提交", "How to submit"),
    "how_text": (
        "各参赛单位通过组织方发给本单位的专用链接提交作品；截止前可随时修改。"
        "附件为 PDF、PNG 或 JPEG，每个不超过 {} MB，最多 {} 个；视频请提供链接。",
        "Each unit submits its works through the link the organiser sent it, and may revise them until the "
        "deadline. Attachments are PDF, PNG or JPEG, each at most {} MB, at most {}; give videos as links.",
    ),
    "review": ("评审方式", "Review"),
    "review_text": (
        "每件作品由 {} 位评审专家独立评分；专家不评审本单位作品。",
        "Each work is scored independently by {} experts; no expert reviews a work of their own unit.",
    ),
    "blind_text": ("评审为盲评：专家看不到作者与单位。", "Review is blind: experts see neither authors nor unit."),
    "shortlist": ("入围名单", "Shortlist"),
    "work": ("作品", "Work"),
    "title": ("作品名称", "Title"),
    "unit": ("单位", "Unit"),
    "no_call": ("没有公开的作品征集", "No public call for entries"),
}


def page_text(lang: str) -> Callable[..., str]:
    return area_text(lang, TEXT)
