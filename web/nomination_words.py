"""The words of the selection-by-nomination pages (units' forms, the experts' ballot, the
organiser's page, the public call, notice, list and honourees), Chinese first, English second;
shared by the three areas that show them, so each says a thing the same way. `NOMINATION_CSS`
is the pages' own layout (cards with photos that stack on a phone); `labelled` names a refused
form's fields by the labels the reader sees on the form, not by their keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from scoring.problems import InvalidInput
from scoring.refusals import Refusal
from web.i18n import area_text, language_of

BEIJING = timezone(timedelta(hours=8))

TEXT: dict[str, tuple[str, str]] = {
    "nomination": ("推荐评选", "Selection by nomination"),
    "call": ("推荐通知", "Call for nominations"),
    "unit": ("推荐单位", "Nominating unit"),
    "region": ("地区", "Region"),
    "rules": ("推荐条件", "Conditions"),
    "min_years": ("工作年限不少于 {} 年", "at least {} years of service"),
    "front_line_required": ("须在一线岗位工作", "nominees work on the front line"),
    "unit_quota": ("每个单位至多推荐 {} 名", "at most {} per unit"),
    "region_quota": ("每个地区至多推荐 {} 名", "at most {} per region"),
    "quota_used": ("已推荐 {} 名", "{} nominated"),
    "stage": ("阶段", "Stage"),
    "stage_open": ("接受推荐", "Open for nominations"),
    "stage_deliberation": ("专家审议", "Expert deliberation"),
    "stage_notice": ("网上公示", "Public notice"),
    "stage_final": ("名单已发布", "List published"),
    "name": ("姓名", "Name"),
    "post": ("岗位", "Post"),
    "name_en": ("英文姓名（可选，英文页显示）", "Name in English (optional, shown on English pages)"),
    "post_en": ("英文岗位（可选）", "Post in English (optional)"),
    "years": ("工作年限", "Years of service"),
    "years_n": ("{} 年", "{} years"),
    "front_line": ("在一线岗位工作", "Works on the front line"),
    "story_zh": ("事迹（中文）", "Story (Chinese)"),
    "story_en": ("事迹（英文，可选）", "Story (English, optional)"),
    "story": ("事迹", "Story"),
    "photo": ("照片（JPEG 或 PNG，不超过 2 MB）", "Photo (JPEG or PNG, at most 2 MB)"),
    "nominate": ("提交推荐", "Submit the nomination"),
    "nominated": ("推荐已提交。", "The nomination is submitted."),
    "your_nominations": ("本单位的推荐", "This unit's nominations"),
    "none_yet": ("还没有。", "None yet."),
    "closed": ("推荐已截止。", "Nominations are closed."),
    "ballot": ("专家审议投票", "The panel's ballot"),
    "approve": ("赞成", "Approve"),
    "reject": ("反对", "Reject"),
    "rank": ("排序（1 为最优，留空不排）", "Rank (1 is best; blank: unranked)"),
    "cast": ("提交投票", "Cast the ballot"),
    "ballot_cast": ("投票已记录，可在截止前修改。", "The ballot is recorded; you may change it until the notice."),
    "not_deliberating": ("现在不是专家审议阶段。", "The panel is not deliberating now."),
    "counting_rule": ("计票规则", "Counting rule"),
    "approvals": ("赞成票", "Approvals"),
    "rejections": ("反对票", "Rejections"),
    "points": ("得分", "Points"),
    "place": ("名次", "Place"),
    "selected": ("入选", "Selected"),
    "tied": ("末位并列", "tied at the cut"),
    "panel_voted": ("评审组 {} 人", "panel of {}"),
    "ballots_n": ("已投票 {} 人", "{} ballots"),
    "notice": ("公示", "Public notice"),
    "notice_until": ("公示期至 {}（北京时间）", "Open to objections until {} (Beijing time)"),
    "notice_closed": ("公示期已结束。", "The notice's period has ended."),
    "objection": ("提出异议", "Raise an objection"),
    "objection_intro": (
        "对公示名单中的人选有异议的，请在公示期内实名提出，并留下联系方式。",
        "If you object to a nominee on the notice, write before the period ends, with your name and a contact.",
    ),
    "objection_nominee": ("对哪位人选", "Nominee"),
    "objection_name": ("您的姓名", "Your name"),
    "objection_contact": ("联系方式（电话或邮箱）", "Contact (phone or e-mail)"),
    "objection_reason": ("异议理由", "Reasons"),
    "objection_send": ("提交异议", "Send the objection"),
    "objection_sent": (
        "异议已收到，将由组织方核实并作出决定。",
        "Received; the organiser will look into it and decide.",
    ),
    "objections": ("异议", "Objections"),
    "outcome": ("决定", "Decision"),
    "upheld": ("成立（从名单中移除）", "Upheld (off the list)"),
    "dismissed": ("不成立", "Dismissed"),
    "decide": ("决定", "Decide"),
    "reason": ("理由", "Reasons"),
    "undecided": ("待决定", "Not decided"),
    "list": ("名单", "The list"),
    "final_list": ("公布名单", "Published list"),
    "removed": ("经异议核实后移出名单", "Taken off the list after an objection"),
    "honouree": ("事迹", "Story"),
    "read_story": ("阅读事迹", "Read the story"),
    "back_to_list": ("返回名单", "Back to the list"),
    "nothing_published": ("尚未公布。", "Not published yet."),
    "setup": ("评选设置", "Selection settings"),
    "title_zh": ("标题（中文）", "Title (Chinese)"),
    "title_en": ("标题（英文）", "Title (English)"),
    "intro_zh": ("说明（中文）", "Introduction (Chinese)"),
    "intro_en": ("说明（英文）", "Introduction (English)"),
    "min_service_years": ("最低工作年限", "Minimum years of service"),
    "unit_quota_field": ("每单位名额（不限留空）", "Quota per unit (empty: none)"),
    "region_quota_field": ("每地区名额（不限留空）", "Quota per region (empty: none)"),
    "regions_field": ("单位所在地区（每行：单位代码=地区）", "Units' regions (one a line: unit key=region)"),
    "panel": ("评审专家", "Panel"),
    "method": ("计票方法", "Counting method"),
    "method_approval_threshold": ("赞成票达到比例", "Approved by a share of the panel"),
    "method_top_approvals": ("赞成票最多的前 N 名", "Top N by approvals"),
    "method_borda": ("排序投票（波达计数）", "Ranked ballots (Borda count)"),
    "seats": ("名额 N", "Seats N"),
    "threshold": ("赞成比例（如 2/3）", "Share of the panel (such as 2/3)"),
    "tie": ("末位并列", "Tie at the last seat"),
    "tie_include_tied": ("全部入选", "all tied are selected"),
    "tie_nomination_order": ("按推荐先后", "the earlier nomination"),
    "save": ("保存", "Save"),
    "unit_links": ("单位推荐链接", "Units' nomination links"),
    "nominations": ("推荐人选", "Nominations"),
    "close_nominations": ("截止推荐，开始专家审议", "Close nominations; the panel deliberates"),
    "tally": ("当前计票", "The count so far"),
    "deadline": ("公示截止（北京时间，如 2026-12-06T18:00）", "Notice until (Beijing time, like 2026-12-06T18:00)"),
    "publish_notice": ("按计票结果公示", "Put the counted list on notice"),
    "publish_final": ("发布名单", "Publish the list"),
    "public_pages": ("公开页面", "Public pages"),
    "deliberation_page": ("专家投票页", "The experts' ballot page"),
    "lodged_by": ("提出人", "From"),
    "until": ("截止", "Until"),
    "audit": ("审计记录", "Audit record"),
    "link": ("链接", "Link"),
    "call_page": ("推荐通知", "The call"),
    "notice_page": ("公示", "The notice"),
    "list_page": ("名单", "The list"),
    "quota_full": (
        "本单位的推荐名额已用完，不能再推荐。",
        "This unit's quota is used up; it cannot nominate anyone else.",
    ),
    "photo_again": (
        "请重新选择照片（浏览器不会保留已选的文件）。",
        "Choose the photo again (browsers do not keep it).",
    ),
    "voted_of": ("已对 {} 位人选表态", "you have voted on {} candidates"),
    "of_n": ("（共 {} 位）", " (of {})"),
    "unvoted_note": ("未表态的人选计为不赞成。", "A candidate you leave without a vote counts as not approved."),
    "done_call": ("设置已保存。", "The settings are saved."),
    "done_close": ("推荐已截止，专家开始审议。", "Nominations are closed; the panel deliberates."),
    "done_notice": ("名单已公示。", "The list is on notice."),
    "done_decision": ("决定已记录。", "The decision is recorded."),
    "done_final": ("名单已发布。", "The list is published."),
    "final_after": (
        "公示期结束（{}）且每条异议都已决定后，才能发布名单。",
        "The list can be published once the notice ends ({}) and every objection is decided.",
    ),
    "undecided_n": ("还有 {} 条异议未决定。", "{} objection(s) not decided yet."),
    "deadline_field": ("公示截止", "Notice until"),
}

# A form's field keys -> the words of their labels (the keys of TEXT), per form.
UNIT_FIELDS = {
    "name": "name",
    "post": "post",
    "name_en": "name_en",
    "post_en": "post_en",
    "years_of_service": "years",
    "front_line": "front_line",
    "story_zh": "story_zh",
    "story_en": "story_en",
    "photo": "photo",
    "unit_quota": "unit_quota_field",
    "region_quota": "region_quota_field",
}
OBJECTION_FIELDS = {
    "nomination": "objection_nominee",
    "name": "objection_name",
    "contact": "objection_contact",
    "reason": "objection_reason",
}
CALL_FIELDS = {
    "title": "title_zh",
    "title_zh": "title_zh",
    "title_en": "title_en",
    "min_service_years": "min_service_years",
    "unit_quota": "unit_quota_field",
    "region_quota": "region_quota_field",
    "regions": "regions_field",
    "panel": "panel",
    "method": "method",
    "seats": "seats",
    "threshold": "threshold",
    "tie": "tie",
    "deadline": "deadline_field",
    "outcome": "outcome",
    "reason": "reason",
}
BALLOT_FIELDS = {"votes": "ballot", "ranking": "ballot"}


def nomination_text(lang: str) -> Callable[..., str]:
    """`t` for these pages: their words, then the shared ones."""
    return area_text(lang, TEXT)


def beijing_time(moment: datetime | None) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else ""


NOMINATION_CSS = """
.people { display:grid; grid-template-columns:repeat(auto-fill, minmax(15rem, 1fr)); gap:1rem;
  padding:0; list-style:none; }
.person { background:#fff; border:1px solid var(--line); border-radius:8px; overflow:hidden;
  display:flex; flex-direction:column; }
.person img { width:100%; aspect-ratio:4/3; object-fit:cover; background:#eef2f8; display:block; }
.person .who { padding:.6rem .8rem; }
.person h3 { margin:0 0 .2rem; font-size:1.1rem; overflow-wrap:anywhere; }
.story { white-space:pre-line; overflow-wrap:anywhere; }
.portrait { max-width:100%; width:22rem; border-radius:8px; display:block; }
textarea { font:inherit; width:100%; padding:.5rem .6rem; border:1px solid var(--line); border-radius:6px; }
.check { display:flex; gap:.5rem; align-items:center; font-weight:600; min-height:44px; }
.check input { width:1.4rem; height:1.4rem; }
.wide { overflow-x:auto; }
form.card input[type=text], form.card input[type=number], form.card select { width:100%; min-width:0; }
input[type=datetime-local] { font:inherit; padding:.5rem .6rem; border:1px solid var(--line); border-radius:6px;
  min-height:44px; max-width:100%; }
"""


def labelled(act: Callable[[Any], Any], t: Callable[..., str], fields: dict[str, str]) -> Callable[[Any], Any]:
    """`act`, whose refusal names each field of `fields` by its label in the reader's language
    (`t`); a field not in `fields` keeps its key. The refusal's status and words are kept."""

    def name(path: str | None) -> str | None:
        return t(fields[path]) if path in fields else path

    def run(db: Any) -> Any:
        try:
            return act(db)
        except InvalidInput as refused:
            raise InvalidInput([replace(p, path=name(p.path)) for p in refused.problems]) from refused
        except Refusal as refused:
            refused.field = name(refused.field)
            raise

    return run


def text_for(query_lang: str | None, cookie_lang: str | None) -> Callable[..., str]:
    """`t` in the reader's language, picked as every page picks it (web/i18n.py)."""
    return nomination_text(language_of(query_lang, cookie_lang))
