"""The rules a unit's nomination (推荐) is checked against: the call's eligibility rules (years
of service, front-line work), the quotas per unit and per region, and the photo (a JPEG or PNG
known by its first bytes, at most `PHOTO_MAX` bytes). Every problem names its field, in
Chinese and English, and all of them are reported at once.

Pure: the caller says how many nominations the unit and its region already hold; nothing is
read or stored here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scoring.problems import InvalidInput, Problem

PHOTO_MAX = 2 * 1024 * 1024
PHOTO_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
NAME_MAX, POST_MAX, STORY_MAX = 64, 128, 4000
YEARS_MAX = 60


@dataclass(frozen=True)
class CallRules:
    """What a call for nominations asks of each candidate and each unit."""

    min_service_years: int = 0
    front_line_required: bool = False
    unit_quota: int | None = None
    region_quota: int | None = None
    regions: Mapping[str, str] = field(default_factory=dict)  # unit key -> region

    def region_of(self, unit_key: str) -> str:
        return self.regions.get(unit_key, "")

    def check(self) -> None:
        problems = []
        if not 0 <= self.min_service_years <= YEARS_MAX:
            problems.append(
                Problem(
                    zh=f"最低工作年限应在 0 到 {YEARS_MAX} 之间",
                    en=f"the minimum years of service is 0 to {YEARS_MAX}",
                    path="min_service_years",
                )
            )
        for name, quota in (("unit_quota", self.unit_quota), ("region_quota", self.region_quota)):
            if quota is not None and quota < 1:
                problems.append(
                    Problem(zh="名额至少为 1（不限则留空）", en="a quota is at least 1 (empty: none)", path=name)
                )
        if problems:
            raise InvalidInput(problems)


@dataclass(frozen=True)
class NominationForm:
    """A nomination as the unit wrote it: text as typed, the photo's bytes."""

    name: str
    post: str
    years_of_service: str
    front_line: bool
    story_zh: str
    story_en: str
    photo: bytes = b""
    name_en: str = ""  # optional: English pages show it where given, else the name
    post_en: str = ""


def photo_type(data: bytes) -> str | None:
    """The photo's type known by its first bytes (never by its name or what the browser said)."""
    for kind, magic in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    return None


def _text(problems: list[Problem], value: str, path: str, words: tuple[str, str], limit: int, needed: bool) -> None:
    text = value.strip()
    if needed and not text:
        problems.append(Problem(zh=f"请填写{words[0]}", en=f"give the {words[1]}", path=path))
    elif len(text) > limit:
        problems.append(
            Problem(zh=f"{words[0]}不能超过 {limit} 字", en=f"the {words[1]} is at most {limit} characters", path=path)
        )


def check_nomination(rules: CallRules, form: NominationForm, unit_held: int, region_held: int) -> int:
    """Check a nomination against the call; answers its years of service. `unit_held` and
    `region_held` are the nominations the unit and its region hold already."""
    problems: list[Problem] = []
    _text(problems, form.name, "name", ("姓名", "name"), NAME_MAX, True)
    _text(problems, form.post, "post", ("岗位", "post"), POST_MAX, True)
    _text(problems, form.name_en, "name_en", ("英文姓名", "name in English"), NAME_MAX, False)
    _text(problems, form.post_en, "post_en", ("英文岗位", "post in English"), POST_MAX, False)
    _text(problems, form.story_zh, "story_zh", ("中文事迹", "story in Chinese"), STORY_MAX, True)
    _text(problems, form.story_en, "story_en", ("英文事迹", "story in English"), STORY_MAX, False)
    years = -1
    raw = form.years_of_service.strip()
    if not raw.isdigit() or int(raw) > YEARS_MAX:
        problems.append(
            Problem(
                zh=f"工作年限应是 0 到 {YEARS_MAX} 的整数年",
                en=f"years of service is a whole number from 0 to {YEARS_MAX}",
                path="years_of_service",
            )
        )
    else:
        years = int(raw)
        if years < rules.min_service_years:
            problems.append(
                Problem(
                    zh=f"工作年限至少 {rules.min_service_years} 年（填写的是 {years} 年）",
                    en=f"at least {rules.min_service_years} years of service are required (given: {years})",
                    path="years_of_service",
                )
            )
    if rules.front_line_required and not form.front_line:
        problems.append(
            Problem(zh="候选人须在一线岗位工作", en="the candidate must work on the front line", path="front_line")
        )
    if not form.photo:
        problems.append(Problem(zh="请上传照片（JPEG 或 PNG）", en="attach a photo (JPEG or PNG)", path="photo"))
    elif len(form.photo) > PHOTO_MAX:
        problems.append(
            Problem(
                zh=f"照片不能超过 {PHOTO_MAX // 1024 // 1024} MB",
                en=f"the photo is at most {PHOTO_MAX // 1024 // 1024} MB",
                path="photo",
            )
        )
    elif photo_type(form.photo) is None:
        problems.append(Problem(zh="照片只能是 JPEG 或 PNG", en="the photo must be a JPEG or PNG", path="photo"))
    if rules.unit_quota is not None and unit_held >= rules.unit_quota:
        problems.append(
            Problem(
                zh=f"本单位名额 {rules.unit_quota} 名已用完",
                en=f"the unit's quota of {rules.unit_quota} is used up",
                path="unit_quota",
            )
        )
    if rules.region_quota is not None and region_held >= rules.region_quota:
        problems.append(
            Problem(
                zh=f"本地区名额 {rules.region_quota} 名已用完",
                en=f"the region's quota of {rules.region_quota} is used up",
                path="region_quota",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return years
