"""The call for entries' form (征集表): what a unit submits for a work and how it is checked.

A submission has a title, authors, a category of the call, an abstract, attachments (PDF, PNG
or JPEG, each type told by the file's first bytes, never by its name or the browser's word;
each within the call's size limit, at most the call's count) and video links (http or https).
Every problem names its field and says what would be valid, in Chinese and English, all at
once. Whether the deadline has passed is `open_for_submission`. This module stores nothing and
reads no request: the routes hand it text and bytes already bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict

#: file types a work may attach, told by their first bytes
FILE_TYPES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
TITLE_MAX = 200
AUTHORS_MAX = 500
ABSTRACT_MAX = 5000
LINKS_MAX = 5
LINK_MAX = 500
NAME_MAX = 200


@dataclass(frozen=True)
class Category:
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class CallRules:
    """What the organiser set for the call: categories, the deadline, attachment limits."""

    categories: tuple[Category, ...]
    deadline: datetime
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachments_max: int = 5


@dataclass(frozen=True)
class Upload:
    """One file as the unit sent it (its bytes read up to the limit plus one)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Submission:
    title: str
    authors: str
    category: str
    abstract: str
    video_links: tuple[str, ...] = ()
    uploads: tuple[Upload, ...] = field(default_factory=tuple)


def sniffed_type(data: bytes) -> str | None:
    """The file's type from its first bytes, or None when it is none a work may attach."""
    for content_type, magic in FILE_TYPES.items():
        if data.startswith(magic):
            return content_type
    return None


def open_for_submission(rules: CallRules, now: datetime) -> None:
    """Refused (Conflict) once the deadline has passed: no new work, no revision."""
    if now >= rules.deadline:
        raise Conflict(
            "征集已截止，不能再提交或修改作品",
            "the call for entries has closed; works can no longer be submitted or revised",
        )


def _text(problems: list[Problem], value: str, path: str, zh: str, en: str, most: int, needed: bool = True) -> str:
    text = value.strip()
    if needed and not text:
        problems.append(Problem(zh=f"请填写{zh}", en=f"give the {en}", path=path))
    elif len(text) > most:
        problems.append(
            Problem(zh=f"{zh}不能超过 {most} 字", en=f"the {en} may be at most {most} characters", path=path)
        )
    return text


def check_submission(rules: CallRules, submission: Submission, kept_attachments: int = 0) -> list[tuple[str, str]]:
    """Check a submission against the call; return each upload's (name, sniffed type). Raises
    InvalidInput with every problem found. `kept_attachments` are files of the work's last
    version kept in this revision; they count towards the call's limit."""
    problems: list[Problem] = []
    _text(problems, submission.title, "title", "作品名称", "title", TITLE_MAX)
    _text(problems, submission.authors, "authors", "作者", "authors", AUTHORS_MAX)
    _text(problems, submission.abstract, "abstract", "简介", "abstract", ABSTRACT_MAX)
    keys = [c.key for c in rules.categories]
    if submission.category not in keys:
        problems.append(
            Problem(
                zh=f"类别须为：{'、'.join(keys)}", en=f"the category must be one of: {', '.join(keys)}", path="category"
            )
        )
    if len(submission.video_links) > LINKS_MAX:
        problems.append(
            Problem(zh=f"视频链接最多 {LINKS_MAX} 个", en=f"at most {LINKS_MAX} video links", path="video_links")
        )
    for n, link in enumerate(submission.video_links, 1):
        parts = urlsplit(link)
        if len(link) > LINK_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(
                Problem(
                    zh=f"第 {n} 个视频链接须以 http:// 或 https:// 开头",
                    en=f"video link {n} must be an http:// or https:// address",
                    path="video_links",
                    row=n,
                )
            )
    if kept_attachments + len(submission.uploads) > rules.attachments_max:
        problems.append(
            Problem(
                zh=f"附件最多 {rules.attachments_max} 个",
                en=f"at most {rules.attachments_max} attachments",
                path="attachments",
            )
        )
    found: list[tuple[str, str]] = []
    limit_mb = _megabytes(rules.attachment_max_bytes)
    for n, upload in enumerate(submission.uploads, 1):
        name = upload.name.strip()
        kind = sniffed_type(upload.data)
        if not name or len(name) > NAME_MAX:
            problems.append(
                Problem(
                    zh=f"附件 {n} 的文件名为空或太长",
                    en=f"attachment {n}'s name is empty or too long",
                    path="attachments",
                    row=n,
                )
            )
        if len(upload.data) > rules.attachment_max_bytes:
            problems.append(
                Problem(
                    zh=f"附件“{name}”超过 {limit_mb} MB",
                    en=f"attachment '{name}' is larger than {limit_mb} MB",
                    path="attachments",
                    row=n,
                )
            )
        elif kind is None:
            problems.append(
                Problem(
                    zh=f"附件“{name}”不是 PDF、PNG 或 JPEG 文件",
                    en=f"attachment '{name}' is not a PDF, PNG or JPEG file",
                    path="attachments",
                    row=n,
                )
            )
        else:
            found.append((name, kind))
    if problems:
        raise InvalidInput(problems)
    return found


def video_links_of(text: str) -> tuple[str, ...]:
    """The links written one a line (blank lines left out)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _megabytes(size: int) -> str:
    whole, part = divmod(size * 10 // (1024 * 1024), 10)
    return f"{whole}" if part == 0 else f"{whole}.{part}"
