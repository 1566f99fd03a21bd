"""Creating a competition: from its uploaded file and rubric files, or from one of the example
competitions shipped with the project (a template) under a key and title of the organiser's
own. Everything is checked before anything is stored, and a refusal names the uploaded files,
never a folder of the server. Judges' access, rosters and corrections are elsewhere
(organiser/judge_access.py, roster_import.py, corrections.py)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomlkit
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.competition import load_competition
from scoring.document import is_key
from scoring.model import Competition as CompetitionModel
from scoring.problems import InvalidInput, Problem
from scoring.refusals import NotFound
from scoring.store.competitions import store_competition
from scoring.store.models import (
    Competition,
)


@dataclass(frozen=True)
class Upload:
    """A file sent by the organiser: its name and its bytes."""

    filename: str
    content: bytes


def create_competition(db: Session, competition: Upload, rubrics: list[Upload], actor: str) -> dict[str, Any]:
    """Store a competition from its file and its rubric files (matched to the file's rubric paths by name)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = set()
        for rubric in rubrics:
            name = Path(rubric.filename).name
            if not name.lower().endswith(".toml") or name.startswith("."):
                raise InvalidInput(
                    [
                        Problem(
                            zh=f"评分细则文件名“{rubric.filename[:80]}”无效，须为 .toml 文件",
                            en=f"'{rubric.filename[:80]}' is not a rubric file name; rubrics are .toml files",
                            file=rubric.filename[:80],
                        )
                    ]
                )
            (folder / name).write_bytes(rubric.content)
            names.add(name)
        try:
            document = tomlkit.parse(competition.content.decode("utf-8"))
        except Exception as exc:  # not UTF-8 or not TOML: reported like any other bad file
            raise InvalidInput(
                [
                    Problem(
                        zh=f"竞赛文件无法读取：{exc}",
                        en=f"the competition file cannot be read: {exc}",
                        file=competition.filename,
                    )
                ]
            ) from None
        for event in document.get("events", []):
            rubric_path = event.get("rubric")
            if isinstance(rubric_path, str):
                name = Path(rubric_path).name
                if name not in names:
                    raise InvalidInput(
                        [
                            Problem(
                                zh=f"未上传评分细则文件 {name}",
                                en=f"rubric file {name} was not uploaded with the competition file",
                                file=competition.filename,
                            )
                        ]
                    )
                event["rubric"] = name
        path = folder / "competition.toml"
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
        try:
            loaded = load_competition(path)
        except InvalidInput as refused:  # name the files as uploaded, never the server's folder
            uploaded = {str(path): competition.filename}
            raise InvalidInput(
                [
                    replace(p, file=uploaded.get(p.file, Path(p.file).name) if p.file else p.file)
                    for p in refused.problems
                ]
            ) from None
        return store_loaded(db, loaded, actor, shown_as=competition.filename)


def store_loaded(db: Session, loaded: CompetitionModel, actor: str, shown_as: str = "") -> dict[str, Any]:
    """Store a loaded competition and say what was stored; a refusal names the file as
    `shown_as` (what the organiser sent or chose), never the folder it was read from."""
    try:
        cid = store_competition(db, loaded, actor=actor)
    except InvalidInput as refused:
        shown = shown_as or Path(loaded.file).name
        raise InvalidInput([replace(p, file=shown if p.file else p.file) for p in refused.problems]) from None
    return {
        "id": cid,
        "key": loaded.key,
        "teams": len(loaded.teams),
        "contestants": len(loaded.contestants),
        "events": [e.key for e in loaded.events],
    }


def competition_by_key(db: Session, key: str) -> Competition:
    competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    if competition is None:
        raise NotFound(f"没有竞赛“{key}”", f"no competition '{key}'")
    return competition


def check_key(key: str, field: str) -> list[Problem]:
    if is_key(key):
        return []
    return [
        Problem(
            zh=f"编号“{key[:64]}”只能含字母、数字、_ 和 -，且以字母开头",
            en=f"{field} '{key[:64]}' may hold only ASCII letters, digits, '_' and '-', starting with a letter",
            path=field,
        )
    ]


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def templates() -> list[dict[str, str]]:
    """The example competitions shipped with the project, usable as templates: each one's folder
    name (what a form sends) and its title in both languages (what a person picks by)."""
    found = []
    for path in sorted(EXAMPLES.glob("*/competition.toml")):
        name = tomlkit.parse(path.read_text(encoding="utf-8")).get("competition", {}).get("name", {})
        found.append({"template": path.parent.name, "zh": str(name.get("zh", "")), "en": str(name.get("en", ""))})
    return found


def template_identity(template: str) -> tuple[str, str, str]:
    """A template's own key and title (zh, en); empty for a template that does not exist (the
    use case then names the template as the problem)."""
    path = EXAMPLES / template / "competition.toml"
    if "/" in template or not path.is_file():
        return "", "", ""
    competition = tomlkit.parse(path.read_text(encoding="utf-8")).get("competition", {})
    name = competition.get("name", {})
    return str(competition.get("key", "")), str(name.get("zh", "")), str(name.get("en", ""))


def create_from_template(
    db: Session, template: str, key: str, name_zh: str, name_en: str, actor: str
) -> dict[str, Any]:
    """A new competition from a template under the organiser's key and title: its events,
    rubrics, roster and awards copied, the template itself untouched. Every field is checked
    before anything is stored; a key in use is refused naming the field."""
    names = {t["template"]: t for t in templates()}
    problems = []
    if template not in names:
        problems.append(
            Problem(
                zh=f"没有模板“{template[:64]}”",
                en=f"no template '{template[:64]}'; templates: {', '.join(names)}",
                path="template",
            )
        )
    problems += check_key(key, "key")
    if not (name_zh.strip() and name_en.strip()):
        problems.append(Problem(zh="请填写中英文名称", en="give the title in both languages", path="name"))
    if not problems and db.execute(select(Competition.id).where(Competition.key == key)).first():
        problems.append(
            Problem(
                zh=f"竞赛编号“{key}”已被使用，请换一个",
                en=f"the key '{key}' is already used; choose another",
                path="key",
            )
        )
    if problems:
        raise InvalidInput(problems)
    source = EXAMPLES / template / "competition.toml"
    document = tomlkit.parse(source.read_text(encoding="utf-8"))
    document["competition"]["key"] = key
    document["competition"]["name"] = {"zh": name_zh.strip(), "en": name_en.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for event in document.get("events", []):
            rubric = event.get("rubric")
            if isinstance(rubric, str):  # beside the copy, under its own name, as an upload's are
                name = Path(rubric).name
                (folder / name).write_bytes((source.parent / rubric).read_bytes())
                event["rubric"] = name
        path = folder / "competition.toml"
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
        return store_loaded(db, load_competition(path), actor, shown_as=f"{template}/competition.toml")
