"""The online drills through the HTTP API, on SQLite and PostgreSQL: a bank imported all or nothing,
papers from seeds rebuilt as the contestant saw them, the preliminary's time limit on the server,
answers idempotent and superseded with history, practice levels unlocking, finalists by rule
joining the final's roster, participation per unit and the public board once published."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scoring.store.models import Contestant, utcnow
from scoring.store.online_models import OnlineAnswer, OnlineAttempt
from tests.helpers import ROOT
from tests.integration.world import ok

KEY = "safety-culture-2023"
BANK = (ROOT / "examples" / "online_practice" / "bank.csv").read_bytes()


def setup_bank(world: Any) -> dict[str, Any]:
    return ok(
        world.organiser.post(f"/api/admin/competitions/{KEY}/online/bank", files={"bank": ("bank.csv", BANK)}), 201
    )


def make_paper(world: Any, **fields: Any) -> dict[str, Any]:
    return ok(world.organiser.post(f"/api/admin/competitions/{KEY}/online/papers", json=fields), 201)


def links(world: Any) -> dict[str, Any]:
    return ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online/links"))


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def start(world: Any, token: str, paper: str) -> int:
    made = ok(world.public.post(f"/api/online/{token}/papers/{paper}/start", json={"client_id": uuid.uuid4().hex}), 201)
    return int(made["attempt"])


def right_answers(view: dict[str, Any], rebuilt: dict[str, Any], bank: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each question's right answer in the letters the contestant was shown."""
    out = {}
    for q, r in zip(view["questions"], rebuilt["questions"], strict=True):
        answer = bank[q["key"]]["answer"]
        if q["type"] in ("single", "multiple"):
            out[q["key"]] = "".join(sorted("ABCDEFGH"[r["order"].index(c)] for c in answer))
        else:
            out[q["key"]] = {"true": "TRUE", "false": "FALSE"}.get(answer, answer)
    return out


def bank_answers() -> dict[str, dict[str, str]]:
    import csv
    import io

    return {row["key"]: row for row in csv.DictReader(io.StringIO(BANK.decode("utf-8")))}


def answer(world: Any, token: str, attempt: int, question: str, text: str, client_id: str | None = None) -> Any:
    return world.public.put(
        f"/api/online/{token}/attempts/{attempt}/answers/{question}",
        json={"answer": text, "client_id": client_id or uuid.uuid4().hex},
    )


def test_online_bank_import_refuses_a_bad_file_whole_naming_row_column_and_what_is_valid(world):
    bad = (
        "key,type,question,options,answer,topic,difficulty\n"
        "q1,单选,题一,甲|乙|丙,B,safety,easy\n"
        "q2,choice,题二,甲|乙,A,safety,easy\n"
        "q3,单选,题三,甲|乙|丙,E,safety,easy\n"
        "q1,判断,题四,,maybe,safety,extreme\n"
    )
    refused = world.organiser.post(f"/api/admin/competitions/{KEY}/online/bank", files={"bank": ("bad.csv", bad)})
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    where = {(p["row"], p["field"]) for p in problems}
    assert {(3, "type"), (4, "answer"), (5, "key"), (5, "answer"), (5, "difficulty")} <= where
    said = " ".join(p["en"] for p in problems)
    assert "single, multiple, true_false, numeric" in said and "from ABC" in said and "repeats row 2" in said
    assert all(p["file"] == "bad.csv" for p in problems)
    overview = ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online"))
    assert overview["papers"] == []
    refused_paper = world.organiser.post(
        f"/api/admin/competitions/{KEY}/online/papers",
        json={"key": "p", "kind": "preliminary", "title_zh": "初赛", "questions": ["s01"], "time_limit_minutes": 5},
    )
    assert refused_paper.status_code == 409  # no bank was stored: nothing of the bad file went in
    assert setup_bank(world)["questions"] == 61


def test_online_paper_rebuilt_from_its_seed_is_what_the_contestant_saw(world):
    setup_bank(world)
    make_paper(
        world,
        key="prelim",
        kind="preliminary",
        title_zh="初赛",
        title_en="Preliminary",
        time_limit_minutes=30,
        rules=[{"topic": "safety", "difficulty": "*", "count": 5}, {"topic": "*", "difficulty": "hard", "count": 5}],
    )
    people = links(world)["contestants"]
    seen = []
    for person in people[:3]:
        token = token_of(person["link"])
        attempt = start(world, token, "prelim")
        view = ok(world.public.get(f"/api/online/{token}/attempts/{attempt}"))
        rebuilt = ok(world.organiser.get(f"/api/admin/online/attempts/{attempt}"))
        assert [q["key"] for q in view["questions"]] == [q["key"] for q in rebuilt["questions"]]
        for shown, again in zip(view["questions"], rebuilt["questions"], strict=True):
            assert [o["text"] for o in shown["options"]] == again["options"]
            assert shown["text"] == again["text"]
        assert len(view["questions"]) == 10
        seen.append([q["key"] for q in view["questions"]])
    assert len({tuple(s) for s in seen}) > 1  # each contestant's own draw


def test_online_preliminary_time_limit_is_the_servers(world):
    setup_bank(world)
    make_paper(
        world,
        key="prelim",
        kind="preliminary",
        title_zh="初赛",
        time_limit_minutes=1,
        questions=["s01", "s12", "s15", "e09"],
    )
    token = token_of(links(world)["contestants"][0]["link"])
    attempt = start(world, token, "prelim")
    view = ok(world.public.get(f"/api/online/{token}/attempts/{attempt}"))
    assert 0 < view["remaining_seconds"] <= 60
    ok(answer(world, token, attempt, "s12", "FALSE"))
    with Session(world.engine) as db, db.begin():  # a minute passes
        db.execute(
            update(OnlineAttempt).where(OnlineAttempt.id == attempt).values(deadline_at=utcnow() - timedelta(seconds=1))
        )
    late = answer(world, token, attempt, "s15", "19.5")
    assert late.status_code == 409 and late.json()["type"].endswith("online-time-up")
    with Session(world.engine) as db:
        stored = db.execute(select(OnlineAnswer.question_key).where(OnlineAnswer.attempt_id == attempt)).scalars().all()
        assert stored == ["s12"]
    view = ok(world.public.get(f"/api/online/{token}/attempts/{attempt}"))
    assert view["finished"] is True and view["score"] == "1"  # unsubmitted: counts as handed in at the limit
    assert start(world, token, "prelim") == attempt  # one attempt only
    handed = ok(world.public.post(f"/api/online/{token}/attempts/{attempt}/submit"))
    with Session(world.engine) as db:
        row = db.get(OnlineAttempt, attempt)
        assert row is not None and row.deadline_at is not None and row.submitted_at == row.deadline_at
    assert handed["submitted_at"] is not None


def test_online_answers_are_idempotent_and_superseded_with_history(world):
    setup_bank(world)
    make_paper(
        world,
        key="prelim",
        kind="preliminary",
        title_zh="初赛",
        time_limit_minutes=30,
        questions=["s01", "s09"],
        shuffle=False,
    )
    token = token_of(links(world)["contestants"][1]["link"])
    attempt = start(world, token, "prelim")
    first = ok(answer(world, token, attempt, "s01", "B", client_id="c1"))
    again = ok(answer(world, token, attempt, "s01", "B", client_id="c1"))
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert answer(world, token, attempt, "s01", "C", client_id="c1").status_code == 409  # one id, one answer
    ok(answer(world, token, attempt, "s01", "A", client_id="c2"))
    bad = answer(world, token, attempt, "s09", "AZ")
    assert bad.status_code == 422 and "ABCD" in bad.json()["problems"][0]["en"]
    assert answer(world, token, attempt, "m01", "A").status_code == 422  # not on this paper
    ok(answer(world, token, attempt, "s09", "DBA"))
    rebuilt = ok(world.organiser.get(f"/api/admin/online/attempts/{attempt}"))
    assert [(a["question"], a["answer"]) for a in rebuilt["log"]] == [("s01", "B"), ("s01", "A"), ("s09", "DBA")]
    assert rebuilt["answers"] == {"s01": "A", "s09": "DBA"}
    ok(world.public.post(f"/api/online/{token}/attempts/{attempt}/submit"))
    view = ok(world.public.get(f"/api/online/{token}/attempts/{attempt}"))
    assert view["score"] == "1"  # s01 right; s09 has a wrong option (D)
    after = answer(world, token, attempt, "s09", "AB")
    assert after.status_code == 409 and after.json()["type"].endswith("online-submitted")
    other = token_of(links(world)["contestants"][2]["link"])
    assert world.public.get(f"/api/online/{other}/attempts/{attempt}").status_code == 404  # not theirs
    assert world.public.get("/api/online/1.eA.forged/attempts/1").status_code == 404


def test_online_practice_levels_unlock_in_turn(world):
    setup_bank(world)
    for level in (1, 2, 3):
        make_paper(
            world,
            key=f"level{level}",
            kind="practice",
            level=level,
            title_zh=f"第{level}关",
            pass_mark="2",
            counts="best",
            questions=["s12", "s13", "e09"],
        )
    token = token_of(links(world)["contestants"][0]["link"])
    home = ok(world.public.get(f"/api/online/{token}"))
    assert [p["open"] for p in home["papers"]] == [True, False, False]
    refused = world.public.post(f"/api/online/{token}/papers/level2/start", json={"client_id": "x"})
    assert refused.status_code == 409
    attempt = start(world, token, "level1")
    ok(answer(world, token, attempt, "s12", "TRUE"))  # wrong: 0 of 3
    ok(world.public.post(f"/api/online/{token}/attempts/{attempt}/submit"))
    home = ok(world.public.get(f"/api/online/{token}"))
    assert [p["open"] for p in home["papers"]] == [True, False, False] and home["papers"][0]["passed"] is False
    retry = start(world, token, "level1")
    assert retry != attempt
    for q, a in (("s12", "FALSE"), ("s13", "TRUE"), ("e09", "TRUE")):
        ok(answer(world, token, retry, q, a))
    ok(world.public.post(f"/api/online/{token}/attempts/{retry}/submit"))
    home = ok(world.public.get(f"/api/online/{token}"))
    assert [p["open"] for p in home["papers"]] == [True, True, False]
    assert home["papers"][0]["counted"] == "3" and [a["score"] for a in home["papers"][0]["attempts"]] == ["0", "3"]
    start(world, token, "level2")


def wrong(good: str) -> str:
    """A wrong answer of the same kind as the right one `good`."""
    if good in ("TRUE", "FALSE"):
        return "FALSE" if good == "TRUE" else "TRUE"
    if good.isalpha():
        return next(c for c in "ABCD" if c not in good)
    return "0"


def _sit(world: Any, token: str, paper: str, right: int) -> None:
    """A contestant sits the paper and answers `right` of its questions right, the rest wrong."""
    attempt = start(world, token, paper)
    view = ok(world.public.get(f"/api/online/{token}/attempts/{attempt}"))
    rebuilt = ok(world.organiser.get(f"/api/admin/online/attempts/{attempt}"))
    answers = right_answers(view, rebuilt, bank_answers())
    for i, (key, good) in enumerate(answers.items()):
        ok(answer(world, token, attempt, key, good if i < right else wrong(good)))
    ok(world.public.post(f"/api/online/{token}/attempts/{attempt}/submit"))


def test_online_finalists_by_rule_join_the_finals_roster_and_the_board_is_public_once_published(world):
    setup_bank(world)
    make_paper(
        world,
        key="prelim",
        kind="preliminary",
        title_zh="初赛",
        title_en="Preliminary",
        time_limit_minutes=30,
        questions=["s12", "s13", "e09", "e10", "q08"],
    )
    people = links(world)["contestants"]
    scores = [5, 4, 4, 3, 2, 1]
    for person, right in zip(people, scores, strict=False):
        _sit(world, token_of(person["link"]), "prelim", right)
    made = ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online/papers/prelim/board"))
    assert [(r["score"], r["place"]) for r in made["rows"]][:3] in (
        [("5", 1), ("4", 2), ("4", 2)],
        [("5", 1), ("4", 2), ("4", 3)],
    )
    assert {i["question"] for i in made["items"]} == {"s12", "s13", "e09", "e10", "q08"}
    assert world.public.get(f"/online/results/{KEY}/prelim").status_code == 404  # not published yet
    ok(
        world.organiser.post(
            "/api/admin/competitions/from-template",
            json={"template": "drill_yard", "key": "final-2026", "name_zh": "决赛", "name_en": "Final"},
        ),
        201,
    )
    threshold = ok(
        world.organiser.post(
            f"/api/admin/competitions/{KEY}/online/papers/prelim/finalists",
            json={"rule": "threshold", "value": "4", "target": "final-2026", "reason": "分数线"},
        ),
        201,
    )
    chosen = {f["entry"] for f in threshold["finalists"]}
    assert chosen == {p["key"] for p, s in zip(people, scores, strict=False) if s >= 4}
    with Session(world.engine) as db:
        final_id = db.execute(select(Contestant.competition_id).where(Contestant.key == "p001")).scalars().all()
        in_final = set(db.execute(select(Contestant.key).where(Contestant.competition_id == max(final_id))).scalars())
    assert chosen <= in_final
    top = ok(
        world.organiser.post(
            f"/api/admin/competitions/{KEY}/online/papers/prelim/finalists",
            json={"rule": "top_overall", "value": "1", "target": "final-2026"},
        ),
        201,
    )
    assert [f["entry"] for f in top["finalists"]] == [people[0]["key"]]
    per_unit = world.organiser.post(
        f"/api/admin/competitions/{KEY}/online/papers/prelim/finalists",
        json={"rule": "top_per_unit", "value": "1.5", "target": "final-2026"},
    )
    assert per_unit.status_code == 422
    same = world.organiser.post(
        f"/api/admin/competitions/{KEY}/online/papers/prelim/finalists",
        json={"rule": "top_overall", "value": "2", "target": KEY},
    )
    assert same.status_code == 409
    overview = ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online"))
    d01 = next(u for u in overview["participation"] if u["unit"] == people[0]["unit"])
    assert d01["papers"][0]["finished"] >= 1
    ok(world.organiser.post(f"/api/admin/competitions/{KEY}/online/papers/prelim/publish"))
    page = world.public.get(f"/online/results/{KEY}/prelim?lang=en")
    assert page.status_code == 200 and "Finalist" in page.text and people[0]["name"] in page.text
    unit_link = links(world)["units"][0]["link"]
    unit_page = world.public.get(urlsplit(unit_link).path + "?lang=en")
    assert unit_page.status_code == 200 and "Unit participation" in unit_page.text


def test_online_pages_in_chinese_show_no_raw_key(world):
    from tests.integration.test_pages_in_chinese import raw_keys

    setup_bank(world)
    make_paper(
        world, key="level1", kind="practice", level=1, title_zh="第一关", pass_mark="1", questions=["s12", "e10"]
    )
    make_paper(
        world, key="prelim", kind="preliminary", title_zh="初赛", time_limit_minutes=30, questions=["s01", "s12", "e12"]
    )
    person = links(world)["contestants"][0]
    token = token_of(person["link"])
    _sit(world, token, "prelim", 2)
    running = start(world, token, "level1")
    ok(world.organiser.post(f"/api/admin/competitions/{KEY}/online/papers/prelim/publish"))
    done = ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online/papers/prelim/board"))["rows"]
    assert len(done) == 1
    unit = urlsplit(links(world)["units"][0]["link"]).path
    pages = {
        "organiser": world.organiser.get(f"/admin/competitions/{KEY}/online?lang=zh").text,
        "home": world.public.get(f"/online/c/{token}?lang=zh").text,
        "paper": world.public.get(f"/online/c/{token}/attempts/{running}?lang=zh").text,
        "board": world.public.get(f"/online/results/{KEY}/prelim?lang=zh").text,
        "unit": world.public.get(f"{unit}?lang=zh").text,
    }
    with Session(world.engine) as db:
        sat = db.execute(select(OnlineAttempt.id).where(OnlineAttempt.submitted_at.is_not(None))).scalar_one()
    pages["result"] = world.public.get(f"/online/c/{token}/attempts/{sat}?lang=zh").text
    assert all("<body>" in html for html in pages.values())
    assert {name: sorted(raw_keys(html)) for name, html in pages.items() if raw_keys(html)} == {}
    assert "得分" in pages["result"] and "网上练兵" in pages["home"] and "初赛成绩" in pages["board"]


def test_online_a_typed_code_opens_the_contestants_page_and_wrong_codes_are_limited(world):
    from web.security import AttemptLimiter

    person = links(world)["contestants"][3]
    code = person["code"]
    assert len(code) == 8 and not set(code) & set("01OIL")
    ok(world.public.get("/online"))
    csrf = {"x-csrftoken": world.public.cookies.get("csrftoken", "")}
    typed = f"{code[:4].lower()}-{code[4:]}"  # as someone types it
    went = world.public.post("/online", data={"competition": KEY, "code": typed}, headers=csrf, follow_redirects=False)
    assert went.status_code in (302, 303) and went.headers["location"] == urlsplit(person["link"]).path
    wrong = world.public.post("/online?lang=en", data={"competition": KEY, "code": "ZZZZZZZZ"}, headers=csrf)
    assert wrong.status_code == 401 and "Wrong competition key or code" in wrong.text
    world.app.state.limiter = AttemptLimiter(limit=3)
    for _ in range(3):
        world.public.post("/online", data={"competition": KEY, "code": "ZZZZZZZZ"}, headers=csrf)
    limited = world.public.post("/online", data={"competition": KEY, "code": code}, headers=csrf)
    assert limited.status_code == 429 and "Too many failed attempts" in limited.text  # the page remembers English


def test_online_a_paper_form_with_every_field_wrong_is_refused_whole_and_changes_nothing(world):
    setup_bank(world)
    refused = world.organiser.post(
        f"/api/admin/competitions/{KEY}/online/papers",
        json={"key": "1 bad", "kind": "exam", "title_zh": "长" * 300, "level": "x", "pass_mark": "a",
              "rules": [{"topic": "nope", "difficulty": "*", "count": 3}, "safety"], "opens_at": "tomorrow"},
    )  # fmt: skip
    assert refused.status_code == 422
    fields = {p["field"] for p in refused.json()["problems"]}
    assert {"level", "pass_mark", "rules", "opens_at"} <= fields
    again = world.organiser.post(
        f"/api/admin/competitions/{KEY}/online/papers",
        json={
            "key": "1 bad",
            "kind": "exam",
            "title_zh": "长" * 300,
            "rules": [{"topic": "nope", "difficulty": "*", "count": 3}],
            "level": "99999999999",
            "time_limit_minutes": "99999999999",
        },
    )
    assert again.status_code == 422
    assert {"key", "kind", "title_zh", "rules[1]", "level", "time_limit_minutes"} <= {
        p["field"] for p in again.json()["problems"]
    }  # numbers past the database's integers refused, not a server error
    assert ok(world.organiser.get(f"/api/admin/competitions/{KEY}/online"))["papers"] == []
