"""`scoring simulate`: a judging run played through the server's HTTP API, as the venue plays it,
at a steady pace, so that the live boards move in a demo.

Whoever runs it needs the access the organiser hands out: each judge's sign-in link (or PIN)
and the quiz master's account. `make demo` writes them to `<demo data>/simulate.json`, readable
by its owner only (`write_credentials`); the format:

    {"format": 1, "server": "http://127.0.0.1:8000",
     "competitions": [{"key": "drill-yard-2026",
                       "judges": [{"judge": "j1", "link": "/judge/signin/...", "pin": "123456"}],
                       "quiz_master": {"username": "...", "password": "...",
                                       "rounds": [{"round": 7, "teams": ["t01", "t02"]}]} | null}]}

Each judge signs in with their link (the PIN if the link is refused) and reads their
assignments; for each open round every judge claims and submits a sheet for each entry, with
marks made for the form the tablet shows (read from the tablet's own page, as the tablet reads
it), in an order that interleaves rounds and entries; when a round's sheets are all in, its
chief judge locks it. The quiz master records each quiz round's answers, one at a time. Every
write sends the server's own Origin (web/origin.py). Marks are exact decimal text made by
counting steps, never floats; chance decides only which step.

A sheet already submitted (a second run, a judge at a real tablet) is left alone, and quiz
answers carry client ids fixed by their place in the log, so a run repeated is stored once.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

CREDENTIALS_FILE = "simulate.json"
MAX_CREDENTIALS_BYTES = 1_000_000
MAX_ACTIONS = 100_000  # a run is bounded even with --until-done
MAX_PAGE_BYTES = 2_000_000
TIMEOUT = 15.0
DEVICE = "simulate"


class SimulationError(Exception):
    """A problem that stops the run, said in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


# -- the credentials file ------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeAccess:
    judge: str
    link: str
    pin: str


@dataclass(frozen=True)
class QuizRound:
    round: int
    teams: tuple[str, ...]


@dataclass(frozen=True)
class QuizMaster:
    username: str
    password: str
    rounds: tuple[QuizRound, ...]


@dataclass(frozen=True)
class CompetitionAccess:
    key: str
    judges: tuple[JudgeAccess, ...]
    quiz_master: QuizMaster | None


def write_credentials(path: Path, server: str, competitions: list[CompetitionAccess]) -> None:
    """Write the file, readable and writable by its owner only (created so, never widened)."""
    body = {
        "format": 1,
        "server": server,
        "competitions": [
            {
                "key": c.key,
                "judges": [{"judge": j.judge, "link": j.link, "pin": j.pin} for j in c.judges],
                "quiz_master": None
                if c.quiz_master is None
                else {
                    "username": c.quiz_master.username,
                    "password": c.quiz_master.password,
                    "rounds": [{"round": r.round, "teams": list(r.teams)} for r in c.quiz_master.rounds],
                },
            }
            for c in competitions
        ],
    }
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out, ensure_ascii=False, indent=2)


def _text(value: object, where: str, limit: int = 2000) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise SimulationError(f"凭据文件中 {where} 应为非空文本", f"{where} in the credentials file must be text")
    return value


def read_credentials(path: Path) -> list[CompetitionAccess]:
    """The competitions in a credentials file, every field checked; SimulationError names what is wrong."""
    try:
        if path.stat().st_size > MAX_CREDENTIALS_BYTES:
            raise SimulationError(f"凭据文件 {path} 过大", f"the credentials file {path} is too large")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SimulationError(
            f"找不到凭据文件 {path}：先运行 make demo（它会写出该文件），或用 --credentials 指定",
            f"no credentials file {path}: run make demo first (it writes one), or name it with --credentials",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SimulationError(
            f"无法读取凭据文件 {path}：{exc}", f"cannot read the credentials file {path}: {exc}"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != 1 or not isinstance(doc.get("competitions"), list):
        raise SimulationError(
            f"凭据文件 {path} 格式不对（应有 format 1 与 competitions 列表）",
            f"the credentials file {path} is not format 1 with a list of competitions",
        )
    out = []
    for i, item in enumerate(doc["competitions"][:100]):
        where = f"competitions[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("judges", []), list):
            raise SimulationError(f"凭据文件中 {where} 格式不对", f"{where} in the credentials file is malformed")
        judges = []
        for j, judge in enumerate(item.get("judges", [])[:200]):
            at = f"{where}.judges[{j}]"
            if not isinstance(judge, dict):
                raise SimulationError(f"凭据文件中 {at} 格式不对", f"{at} in the credentials file is malformed")
            judges.append(
                JudgeAccess(
                    _text(judge.get("judge"), f"{at}.judge"), str(judge.get("link") or ""), str(judge.get("pin") or "")
                )
            )
        quiz = item.get("quiz_master")
        master = None
        if quiz is not None:
            at = f"{where}.quiz_master"
            if not isinstance(quiz, dict) or not isinstance(quiz.get("rounds", []), list):
                raise SimulationError(f"凭据文件中 {at} 格式不对", f"{at} in the credentials file is malformed")
            rounds = []
            for r in quiz.get("rounds", [])[:100]:
                if (
                    not isinstance(r, dict)
                    or not isinstance(r.get("round"), int)
                    or not isinstance(r.get("teams"), list)
                ):
                    raise SimulationError(f"凭据文件中 {at}.rounds 格式不对", f"{at}.rounds is malformed")
                rounds.append(
                    QuizRound(r["round"], tuple(_text(t, f"{at}.rounds.teams", 64) for t in r["teams"][:500]))
                )
            master = QuizMaster(
                _text(quiz.get("username"), f"{at}.username", 128),
                _text(quiz.get("password"), f"{at}.password", 128),
                tuple(rounds),
            )
        out.append(CompetitionAccess(_text(item.get("key"), f"{where}.key", 128), tuple(judges), master))
    return out


# -- the tablet's form -------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One criterion on the tablet's form: its key, widget and limits as the page declares them."""

    key: str
    input: str
    min: Decimal | None = None
    max: Decimal | None = None
    step: Decimal | None = None


def _decimal(value: str | None) -> Decimal | None:
    try:
        number = Decimal(value) if value not in (None, "", "any") else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[FormField] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag in ("input", "select")
            and (a.get("id") or "").startswith("m-")
            and a.get("data-input")
            and a.get("name")
        ):
            self.fields.append(
                FormField(
                    str(a["name"]),
                    str(a["data-input"]),
                    _decimal(a.get("data-min", a.get("min"))),  # the tablet checks marks itself (marks.js):
                    _decimal(a.get("data-max", a.get("max"))),  # its limits are data attributes
                    _decimal(a.get("data-step", a.get("step"))),
                )
            )


def form_fields(page: str) -> list[FormField]:
    """The criteria a judge marks, from the tablet's sheet page (judges/templates/judge/sheet.html)."""
    parser = _FormParser()
    parser.feed(page)
    return parser.fields


def _ability(entry: str) -> int:
    """An entry's ability in percent, 55..95, the same in every run."""
    return random.Random(f"ability/{entry}").randint(55, 95)


def _steps(low: Decimal, high: Decimal, step: Decimal, share: int) -> Decimal:
    """The mark `share` percent of the way from low to high, on a step (exact)."""
    count = int((high - low) / step)
    return low + step * (count * max(0, min(100, share)) // 100)


def _exact(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != 0 else "0"


def make_marks(fields: list[FormField], entry: str, judge: str, rng: random.Random) -> dict[str, str]:
    """Plausible marks for one sheet, valid for the form: as server/demo_marks.py makes them, an
    entry's ability plus the judge's small bias and some noise, snapped to each input's steps."""
    ability = _ability(entry)
    bias = random.Random(f"bias/{judge}").randint(-5, 5)
    marks: dict[str, str] = {}
    for f in fields:
        if f.input == "stepper" and f.min is not None and f.max is not None:
            share = ability + bias + rng.randint(-5, 5)
            marks[f.key] = _exact(_steps(f.min, f.max, f.step or Decimal(1), share))
        elif f.input == "toggle":
            marks[f.key] = "1" if rng.randint(1, 100) <= ability + 5 else "0"
        elif f.input == "counter":
            count = sum(1 for _ in range(3) if rng.randint(1, 100) > ability + 10)
            marks[f.key] = str(min(count, int(f.max)) if f.max is not None else count)
        elif f.input == "stopwatch":  # seconds: quicker as ability grows, in hundredths
            centis = 1800 + (100 - ability) * 100 + rng.randint(-300, 300)
            seconds = Decimal(centis) / 100
            seconds = min(seconds, f.max) if f.max is not None else seconds
            marks[f.key] = _exact(max(seconds, f.min or Decimal(0)))
        elif f.input == "number":  # a measurement: small, smaller as ability grows
            low = f.min if f.min is not None else Decimal(0)
            high = f.max if f.max is not None else low + 100
            marks[f.key] = _exact(
                _steps(low, high, Decimal(1) if high - low >= 20 else Decimal("0.1"), (100 - ability) // 3)
            )
        elif f.input == "veto":
            continue  # not called: a veto is marked only when called, as on the tablet
        else:
            raise SimulationError(
                f"模拟无法填写“{f.key}”（{f.input}）", f"the simulation cannot fill in '{f.key}' (a {f.input} input)"
            )
    return marks


# -- the run ------------------------------------------------------------------------------------


@dataclass
class Tally:
    sheets: int = 0
    answers: int = 0
    locked: list[int] = field(default_factory=list)
    refused: int = 0


Report = Callable[[str, str], None]  # (zh, en)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(body, dict):
        text = str(body.get("detail") or body.get("title") or "")
        problems = body.get("problems") or []
        extra = "; ".join(
            f"{p.get('path') or p.get('field') or ''}: {p.get('en', '')}" for p in problems[:5] if isinstance(p, dict)
        )
        return f"HTTP {response.status_code} {text}" + (f" ({extra})" if extra else "")
    return f"HTTP {response.status_code}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SimulationError(
            f"服务器地址应类似 http://127.0.0.1:8000，而不是“{url}”",
            f"the server's URL should look like http://127.0.0.1:8000, not '{url}'",
        )
    return f"{parts.scheme}://{parts.netloc}"


def _client(url: str) -> httpx.Client:
    origin = origin_of(url)
    return httpx.Client(base_url=origin, headers={"Origin": origin}, timeout=TIMEOUT, follow_redirects=False)


def _call(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        return client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        raise SimulationError(
            f"无法连接服务器 {client.base_url}：{exc}", f"cannot reach the server at {client.base_url}: {exc}"
        ) from None


def sign_in_judge(client: httpx.Client, competition: str, judge: JudgeAccess) -> None:
    """With the judge's link (a GET, as the QR code opens it), else with their PIN."""
    if judge.link:
        answer = _call(client, "GET", judge.link)
        if answer.status_code in (302, 303):
            return
    if judge.pin:
        answer = _call(
            client,
            "POST",
            "/api/session/judge-pin",
            json={"competition": competition, "judge": judge.judge, "pin": judge.pin},
        )
        if answer.status_code == 200:
            return
    raise SimulationError(
        f"评委 {judge.judge}（{competition}）无法登录：链接与 PIN 均被拒绝（演示重新启动后请使用新的凭据文件）",
        f"judge {judge.judge} ({competition}) cannot sign in: link and PIN refused "
        "(after a demo restart, use its new credentials file)",
    )


def sign_in_quiz_master(client: httpx.Client, master: QuizMaster) -> None:
    answer = _call(client, "POST", "/api/session", json={"username": master.username, "password": master.password})
    if answer.status_code != 200 or answer.json().get("role") != "quiz_master":
        raise SimulationError(
            f"竞答主持人 {master.username} 无法登录：{_detail(answer)}",
            f"quiz master {master.username} cannot sign in: {_detail(answer)}",
        )


@dataclass
class RoundRun:
    round_id: int
    sheets: list[tuple[str, str]]  # (entry label, judge key), in the order they are done
    chief: str | None
    open: bool = True
    fields: list[FormField] | None = None
    to_lock: bool = False  # a sheet of it is submitted and not locked yet


@dataclass
class Simulation:
    """One run against one server. `actions` yields after each write, for the caller to pace."""

    url: str
    competitions: list[CompetitionAccess]
    rounds: set[int] | None = None
    report: Report = lambda zh, en: None
    tally: Tally = field(default_factory=Tally)
    clients: dict[tuple[str, str], httpx.Client] = field(default_factory=dict)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def _wanted(self, round_id: int) -> bool:
        return self.rounds is None or round_id in self.rounds

    def _judging(self, competition: CompetitionAccess) -> list[RoundRun]:
        seats: dict[int, dict[str, Any]] = {}
        for judge in competition.judges:
            client = self.clients[(competition.key, judge.judge)] = _client(self.url)
            sign_in_judge(client, competition.key, judge)
            answer = _call(client, "GET", "/api/judge/assignments")
            if answer.status_code != 200:
                raise SimulationError(
                    f"读取评委 {judge.judge} 的任务失败：{_detail(answer)}",
                    f"judge {judge.judge}'s assignments: {_detail(answer)}",
                )
            for seat in answer.json():
                round_id = int(seat["round_id"])
                if self._wanted(round_id):
                    found = seats.setdefault(round_id, {"entries": seat["entries"], "judges": [], "chief": None})
                    found["judges"].append(judge.judge)
                    if seat.get("chief"):
                        found["chief"] = judge.judge
        runs = []
        quiz = {q.round for q in competition.quiz_master.rounds} if competition.quiz_master else set()
        for round_id, seat in sorted(seats.items()):
            if round_id in quiz:
                continue  # the quiz master's, not the judges'
            if not seat["entries"]:
                self.report(
                    f"轮次 {round_id} 尚无可评对象（盲评编码未抽），跳过",
                    f"round {round_id} offers no entries yet (blind codes not drawn); skipped",
                )
                continue
            order = [(str(entry), judge) for entry in seat["entries"][:10_000] for judge in seat["judges"]]
            runs.append(RoundRun(round_id, order, seat["chief"]))
        return runs

    def _submit(self, competition: str, run: RoundRun, entry: str, judge: str) -> bool:
        """Claim and submit one sheet; False when there was nothing to do (already in)."""
        client = self.clients[(competition, judge)]
        where = f"/api/judge/sheets/{run.round_id}/{quote(entry, safe='')}"
        current = _call(client, "GET", where)
        if current.status_code != 200:
            self.report(
                f"读取评分表失败 {entry}/{judge}：{_detail(current)}",
                f"reading sheet {entry}/{judge}: {_detail(current)}",
            )
            self.tally.refused += 1
            return False
        sheet = current.json()
        if sheet.get("state") in ("submitted", "locked"):
            run.to_lock = run.to_lock or sheet.get("state") == "submitted"
            return False
        if run.fields is None:
            page = _call(client, "GET", f"/judge/rounds/{run.round_id}/{quote(entry, safe='')}?lang=en")
            if page.status_code == 409:  # no sheets to mark in this round (a quiz)
                run.open = False
                self.report(
                    f"轮次 {run.round_id} 不用评分表评分，跳过",
                    f"round {run.round_id} is not marked on sheets; skipped",
                )
                return False
            if page.status_code != 200 or len(page.content) > MAX_PAGE_BYTES:
                raise SimulationError(
                    f"读取轮次 {run.round_id} 的评分表页面失败：{_detail(page)}",
                    f"the form of round {run.round_id}: {_detail(page)}",
                )
            run.fields = form_fields(page.text)
        device = f"{DEVICE}-{judge}"
        claimed = _call(client, "POST", f"{where}/claim", json={"device": device})
        if claimed.status_code == 200:
            rng = random.Random(f"{run.round_id}/{entry}/{judge}/{sheet.get('version', 0)}")
            body = {
                "action": "submit",
                "base_version": int(sheet.get("version", 0)),
                "client_id": f"sim-{uuid.uuid4().hex[:24]}",
                "marks": make_marks(run.fields, entry, judge, rng),
                "device": device,
            }
            written = _call(client, "PUT", where, json=body)
            if written.status_code == 200:
                self.tally.sheets += 1
                run.to_lock = True
                return True
            claimed = written
        if claimed.status_code == 409 and "round-closed" in claimed.text:
            run.open = False
            self.report(f"轮次 {run.round_id} 已关闭，跳过", f"round {run.round_id} is closed; skipped")
            return False
        self.tally.refused += 1
        self.report(
            f"评分表 {entry}/{judge}（轮次 {run.round_id}）被拒绝：{_detail(claimed)}",
            f"sheet {entry}/{judge} (round {run.round_id}) refused: {_detail(claimed)}",
        )
        return True

    def _lock(self, competition: str, run: RoundRun) -> None:
        if run.chief is None or not run.open or not run.to_lock:
            if run.open and run.to_lock:
                self.report(
                    f"没有轮次 {run.round_id} 裁判长的凭据，未锁定",
                    f"no chief judge's access for round {run.round_id}: not locked",
                )
            return
        answer = _call(self.clients[(competition, run.chief)], "POST", f"/api/chief/rounds/{run.round_id}/lock")
        if answer.status_code == 200:
            self.tally.locked.append(run.round_id)
            self.report(
                f"裁判长锁定了轮次 {run.round_id}（{answer.json().get('locked_sheets')} 张评分表）",
                f"the chief judge locked round {run.round_id} ({answer.json().get('locked_sheets')} sheets)",
            )
        elif "round-closed" not in answer.text:
            self.tally.refused += 1
            self.report(
                f"轮次 {run.round_id} 未能锁定：{_detail(answer)}",
                f"round {run.round_id} was not locked: {_detail(answer)}",
            )

    def _judge_round(self, competition: str, run: RoundRun) -> Iterator[None]:
        for entry, judge in run.sheets:
            if not run.open:
                return
            if self._submit(competition, run, entry, judge):
                yield
        self._lock(competition, run)
        yield

    def _quiz_round(self, competition: CompetitionAccess, quiz: QuizRound) -> Iterator[None]:
        assert competition.quiz_master is not None
        client = self.clients.get((competition.key, "quiz"))
        if client is None:
            client = self.clients[(competition.key, "quiz")] = _client(self.url)
            sign_in_quiz_master(client, competition.quiz_master)
        for i, answer in enumerate(quiz_log(quiz)):
            sent = _call(
                client,
                "POST",
                f"/api/quiz/rounds/{quiz.round}/answers",
                json=answer | {"client_id": f"sim-{quiz.round}-{i:05d}"},
            )
            if sent.status_code == 201:
                if not sent.json().get("replayed"):
                    self.tally.answers += 1
                    yield
                continue
            self.tally.refused += 1
            self.report(
                f"竞答轮次 {quiz.round} 的答题记录被拒绝：{_detail(sent)}",
                f"quiz round {quiz.round}: an answer was refused: {_detail(sent)}",
            )
            return

    def actions(self) -> Iterator[None]:
        """Every write of the run, interleaved across rounds: one step per write."""
        streams: list[Iterator[None]] = []
        for competition in self.competitions:
            streams += [self._judge_round(competition.key, run) for run in self._judging(competition)]
            if competition.quiz_master is not None:
                streams += [
                    self._quiz_round(competition, q) for q in competition.quiz_master.rounds if self._wanted(q.round)
                ]
        while streams:
            for stream in list(streams):
                try:
                    next(stream)
                except StopIteration:
                    streams.remove(stream)
                    continue
                yield


def quiz_log(quiz: QuizRound) -> list[dict[str, str]]:
    """A plausible log for a quiz round, the same every run (as server/demo_marks.py writes one):
    four compulsory questions per team, buzzers, then one risk question per team."""
    rng = random.Random(f"quiz/{quiz.round}")
    teams = list(quiz.teams)
    log: list[dict[str, str]] = []

    def right(team: str) -> str:
        return "right" if rng.randint(1, 100) <= _ability(team) else "wrong"

    for _ in range(4):
        log += [{"team": t, "type": "compulsory", "outcome": right(t)} for t in teams]
    for _ in range(3 * len(teams)):
        team = rng.choice(teams)
        log.append({"team": team, "type": "buzzer", "outcome": "early" if rng.randint(1, 100) <= 5 else right(team)})
    log += [{"team": t, "type": "risk", "outcome": right(t), "stake": str(rng.choice([10, 20, 30]))} for t in teams]
    return log


def run(
    url: str,
    competitions: list[CompetitionAccess],
    *,
    pace: float,
    rounds: set[int] | None = None,
    steps: int | None = None,
    report: Report = lambda zh, en: None,
    wait: Callable[[float], bool] = lambda seconds: False,
) -> Tally:
    """Play the run: a write, then `wait(pace)` (True stops the run), up to `steps` writes (all of
    them with None, at most MAX_ACTIONS)."""
    simulation = Simulation(url, competitions, rounds, report)
    limit = MAX_ACTIONS if steps is None else min(steps, MAX_ACTIONS)
    try:
        for done, _ in enumerate(simulation.actions(), start=1):
            if done >= limit or wait(pace):
                break
    finally:
        simulation.close()
    return simulation.tally
