"""Review away from the venue: experts assigned (never their own unit's work, never a declared
conflict), blind review enforced on the server (no author or unit in any page or JSON an
expert gets), the tablet narrowed to the expert's own works, files served only to those
allowed, an expert added by the organiser, and the shortlist into the final in a drawn order,
public once published."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from judges.console import console, missing_sheets
from judges.locking import lock_round
from organiser.round_setup import set_panel
from organiser.works_review import make_shortlist
from results.publishing import decide_organisation_award, publish_notice
from scoring.competition import load_competition
from scoring.problems import InvalidInput
from scoring.refusals import Conflict
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.draws import latest_draw
from scoring.store.models import Event, Judge, PanelSeat, Round, Unit
from scoring.store.result_publications import latest_publication
from scoring.store.review_assignments import assign_round, assignments_of, declare_conflict, set_expert
from scoring.store.rounds import entry_labels, round_context, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import record_write
from scoring.store.shortlists import latest_shortlist
from scoring.store.works import call_of, decide_eligibility, open_call, submit_work
from scoring.works_form import Submission, Upload
from tests.integration.works_world import EXAMPLE, KEY, PDF, csrf, works_world
from tests.integration.world import ok

AUTHORS = ["甲作者{}号", "乙作者{}号"]
MARKS = {"innovation": "24", "practicality": "22.5", "benefit": "20", "presentation": "12"}


def _set_up(world, works=8):
    """`works` works from units u01..u08 (each author's name unique), all eligible; experts E01-E06
    from units u01-u03 and three without a unit; E05 declares a conflict with W002."""
    with world.sessions.begin() as db:
        call = call_of(db, world.competition_id)
        for n in range(1, works + 1):
            unit = f"u{n:02}"
            made = submit_work(
                db,
                call,
                unit,
                Submission(
                    f"作品{n}",
                    "，".join(a.format(n) for a in AUTHORS),
                    "small_invention",
                    "简介",
                    (),
                    (Upload(f"w{n}.pdf", PDF + str(n).encode()),),
                ),
                world.data / "uploads" / "works",
                client_id=f"setup-{n}",
                actor=f"unit:{unit}",
                now=datetime.now(UTC),
            )
            assert made.work.key == f"W{n:03}"
            assert decide_eligibility(db, call, made.work.key, True, "", "test").status == "eligible"
        for judge, unit in [("E01", "u01"), ("E02", "u02"), ("E03", "u03"), ("E04", ""), ("E05", ""), ("E06", "")]:
            set_expert(db, world.competition_id, judge, unit, "test")
        declare_conflict(db, world.competition_id, "E05", "W002", "advised on it", "test")
    page = f"/admin/competitions/{KEY}/works"
    assert ok(world.organiser.post(f"{page}/assign", headers=csrf(world.organiser, page)), 200) is None
    with world.sessions() as db:
        assigned = assignments_of(db, world.review_round)
    assert len(assigned) == works and all(len(v) == 3 for v in assigned.values())
    return assigned


def test_assignments_never_break_a_conflict_and_balance_the_load(tmp_path):
    with works_world(tmp_path) as world:
        assigned = _set_up(world)
        for work, experts in assigned.items():
            n = int(work[1:])
            assert f"E{n:02}" not in experts or n > 3  # E01-E03 never review their own unit's work
        assert "E05" not in assigned["W002"]
        loads = {}
        for experts in assigned.values():
            for e in experts:
                loads[e] = loads.get(e, 0) + 1
        assert sorted(loads) == ["E01", "E02", "E03", "E04", "E05", "E06"]
        assert max(loads.values()) - min(loads.values()) <= 1
        with world.sessions() as db:  # the pool is seated on the review round
            seated = db.execute(select(PanelSeat).where(PanelSeat.round_id == world.review_round)).scalars().all()
        assert len(seated) == 6


def test_blind_review_never_shows_an_expert_the_authors_or_the_unit(tmp_path):
    with works_world(tmp_path) as world:
        assigned = _set_up(world)
        mine = sorted(w for w, experts in assigned.items() if "E04" in experts)
        expert = world.expert("E04")
        with world.sessions() as db:
            units = db.execute(select(Unit.key, Unit.name_zh, Unit.name_en)).all()
        secret_words = [a.format(n) for n in range(1, 9) for a in AUTHORS]
        secret_words += [name for _, zh, en in units for name in (zh, en)]
        secret_words += [f"u{n:02}" for n in range(1, 9)]
        pages = []
        for lang in ("zh", "en"):
            shown = expert.get(f"/review?lang={lang}")
            assert shown.status_code == 200 and all(f"作品{int(w[1:])}" in shown.text for w in mine)
            pages.append(shown.text)
        api = expert.get("/api/review/works")
        assert api.status_code == 200
        body = api.json()
        assert sorted(w["key"] for w in body) == mine
        assert all(
            set(w) >= {"title", "abstract", "attachments"} and "authors" not in w and "unit" not in w for w in body
        )
        pages.append(json.dumps(body, ensure_ascii=False))
        home = expert.get("/judge/")
        pages.append(home.text)
        for work in mine:
            sheet = expert.get(f"/judge/rounds/{world.review_round}/{work}")
            assert sheet.status_code == 200
            pages.append(sheet.text)
            pages.append(
                json.dumps(ok(expert.get(f"/api/judge/sheets/{world.review_round}/{work}")), ensure_ascii=False)
            )
        pages.append(json.dumps(ok(expert.get("/api/judge/assignments")), ensure_ascii=False))
        for text in pages:
            for word in secret_words:
                assert word not in text, word
        # the tablet lists only the expert's works; another work's sheet is no sheet
        listed = ok(expert.get("/api/judge/assignments"))
        assert [sorted(a["entries"]) for a in listed if a["round_id"] == world.review_round] == [mine]
        other = next(w for w in assigned if w not in mine)
        assert expert.get(f"/judge/rounds/{world.review_round}/{other}").status_code == 404
        refused = expert.put(
            f"/api/judge/sheets/{world.review_round}/{other}",
            json={"action": "submit", "base_version": 0, "client_id": "c-other-0001", "marks": MARKS},
        )
        assert refused.status_code == 404
        # files: an assigned work's file, yes; another's, no
        first = body[0]["attachments"][0]["url"]
        assert expert.get(first).content.startswith(b"%PDF-")
        not_mine = world.expert(
            next(e for e in ("E01", "E02", "E03", "E05", "E06") if e not in assigned[body[0]["key"]])
        )
        assert not_mine.get(first).status_code == 404


def test_an_expert_reviews_and_the_organiser_adds_one_and_shortlists_into_the_final(tmp_path):
    with works_world(tmp_path) as world:
        assigned = _set_up(world, works=6)
        page = f"/admin/competitions/{KEY}/works"
        headers = csrf(world.organiser, page)
        own_unit = world.organiser.post(f"{page}/add-expert", data={"work": "W001", "judge": "E01"}, headers=headers)
        assert own_unit.status_code == 409 and "E01" in own_unit.text
        spare = next(e for e in ("E04", "E05", "E06") if e not in assigned["W001"])
        ok(world.organiser.post(f"{page}/add-expert", data={"work": "W001", "judge": spare}, headers=headers))
        with world.sessions() as db:
            assigned = assignments_of(db, world.review_round)
        assert len(assigned["W001"]) == 4
        early = world.organiser.post(f"{page}/shortlist", data={"rule": "rank", "value": "2"}, headers=headers)
        assert early.status_code == 409  # sheets still to come
        for n, (work, experts) in enumerate(sorted(assigned.items())):
            for judge in experts:
                expert = world.expert(judge)
                marks = MARKS | {"innovation": str(10 + n * 3)}
                if work == "W001" and judge == experts[0]:  # one expert far from the others
                    marks["innovation"] = "29.5"
                ok(
                    expert.put(
                        f"/api/judge/sheets/{world.review_round}/{work}",
                        json={"action": "submit", "base_version": 0, "client_id": f"c-{work}-{judge}", "marks": marks},
                    )
                )
        shown = world.organiser.get(page)
        assert "W006" in shown.text and "已提交" in shown.text
        assert shown.text.count("⚑") == 1 and "⚑ innovation: 19.5 &gt; 8" in shown.text  # the disagreement
        assert "评审专家宽严度" in shown.text  # and each expert's severity, as the console shows it
        with world.sessions.begin() as db:  # the round owes its assigned sheets only: it locks
            locked = lock_round(db, round_context(db, world.review_round), "test")
        assert locked == sum(len(v) for v in assigned.values()) == 19
        for lang, words in (("zh", "评审轮次之后还有轮次“final”"), ("en", "the event has a later round 'final'")):
            to_awards = world.organiser.post(
                f"{page}/shortlist?lang={lang}", data={"rule": "rank", "value": "2", "next_round": ""}, headers=headers
            )  # straight to awards while the final is still to come: refused, naming it, nothing kept
            assert to_awards.status_code == 409 and words in html.unescape(to_awards.text), to_awards.text[:500]
        with world.sessions() as db:
            assert latest_shortlist(db, call_of(db, world.competition_id).id) is None
        with world.sessions.begin() as db:
            set_panel(db, world.final_round, ["E04", "E05", "E06"], "E04", "test")
        made = world.organiser.post(
            f"{page}/shortlist",
            data={"rule": "rank", "value": "2", "next_round": str(world.final_round)},
            headers=headers,
        )
        assert made.status_code == 200, made.text[:300]
        with world.sessions() as db:
            final = assignments_of(db, world.final_round)
            order = latest_draw(db, world.final_round, "order")
        assert sorted(final) == ["W005", "W006"] and all(v == ["E04", "E05", "E06"] for v in final.values())
        assert order is not None and sorted(order.result["order"]) == ["W005", "W006"]
        public = world.client()
        assert "W006" not in public.get(f"/calls/{KEY}").text  # not published yet
        ok(world.organiser.post(f"{page}/shortlist/publish", headers=headers))
        for lang, word in (("zh", "入围名单"), ("en", "Shortlist")):
            text = public.get(f"/calls/{KEY}?lang={lang}").text
            assert word in text and "W005" in text and "W006" in text and "W001" not in text
            assert "甲作者" not in text  # never an author on the public page
        # the final's judge sees the two shortlisted works only, in the drawn order
        judge = world.expert("E05")
        rounds = ok(judge.get("/api/judge/assignments"))
        assert [a["entries"] for a in rounds if a["round_id"] == world.final_round] == [order.result["order"]]


def _one_round_reviewed(tmp_path):
    """The five-small example with one review round: five works reviewed by three experts each
    (W005 best, W001 last), the round locked; (engine, sessions, competition id)."""
    text = (EXAMPLE / "competition.toml").read_text(encoding="utf-8")
    rubric = (EXAMPLE.parent / "rubrics" / "five_small_review.toml").as_posix()
    text = text.replace('rounds = ["preliminary", "final"]', 'rounds = ["review"]').replace(
        'rubric = "../rubrics/five_small_review.toml"', f'rubric = "{rubric}"'
    )
    (tmp_path / "one_round.toml").write_text(text, encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as db:
        cid = store_competition(db, load_competition(tmp_path / "one_round.toml"), actor="t")
        round_id = db.execute(
            select(Round.id).join(Event, Event.id == Round.event_id).where(Event.competition_id == cid)
        ).scalar_one()
        call = open_call(
            db, "t", competition_id=cid, round_id=round_id, title_zh="征集", title_en="Call",
            categories=[{"key": "small_invention", "zh": "小发明", "en": "Small invention"}],
            deadline=datetime.now(UTC) + timedelta(days=1), attachment_max_bytes=1024, attachments_max=1,
            reviews_per_work=3, blind=True, published=True,
        )  # fmt: skip
        for n in range(1, 6):
            made = submit_work(
                db, call, f"u{n:02}", Submission(f"作品{n}", "作者", "small_invention", "简介"),
                tmp_path / "files", client_id=f"c{n}", actor="t", now=datetime.now(UTC),
            )  # fmt: skip
            decide_eligibility(db, call, made.work.key, True, "", "t")
        for judge in ("E09", "E10", "E11", "E12"):
            set_expert(db, cid, judge, "", "t")
        assigned = assign_round(db, cid, round_id, [f"W{n:03}" for n in range(1, 6)], 3, "t")
        context = round_context(db, round_id)
        rules = rubric_of(db, context)
        judges = dict(db.execute(select(Judge.key, Judge.id).where(Judge.competition_id == cid)).all())
        for entry, experts in assigned.items():
            for judge in experts:
                marks = MARKS | {"innovation": str(10 + int(entry[1:]) * 3)}  # W005 best, W001 last
                record_write(
                    db,
                    SheetWrite(round_id, entry, judges[judge], context.rubric_version_id, SheetAction.SUBMIT,
                               Actor.JUDGE, 0, f"c-{entry}-{judge}", f"judge:{judge}", marks=marks),
                    rules,
                )  # fmt: skip
        assert lock_round(db, context, "t") == 15
    return engine, sessions, cid


def test_straight_to_awards_the_works_take_prizes_by_rank_and_their_units_rank(tmp_path):
    """A call whose event has one round: the shortlist moves nothing, the round is locked and
    the results go on notice with award lists over the works, and the units ranked by them."""
    engine, sessions, cid = _one_round_reviewed(tmp_path)
    with sessions.begin() as db:
        assert make_shortlist(db, "five-small-2026", "rank", "3", "", "t") == ["W005", "W004", "W003"]
        publish_notice(db, "five-small-2026", datetime.now(UTC) + timedelta(days=7), "t")
        snapshot = latest_publication(db, cid).snapshot
    awards = json.dumps(snapshot["awards"], ensure_ascii=False)
    by_key = {a["key"]: [r["entry"] for r in a["recipients"]] for a in snapshot["awards"]}
    assert by_key["first"] == ["W005", "W004", "W003"], awards  # 3 first prizes, by rank
    assert by_key["second"] == ["W002", "W001"], awards
    assert [r["entry"] for r in snapshot["overall"]][:2] == ["W005", "W004"]
    engine.dispose()


def test_the_console_of_a_review_round_owes_only_the_assigned_sheets(tmp_path):
    """The chief's console of a round with assignments: a judge's cell for an entry not assigned
    to them is not owed (shown "—", never "not started", not counted), and the missing sheets are
    the assigned ones not yet in, as locking counts them."""
    with works_world(tmp_path) as world:
        assigned = _set_up(world, works=4)
        work, experts = sorted(assigned.items())[0]
        expert = world.expert(experts[0])
        ok(
            expert.put(
                f"/api/judge/sheets/{world.review_round}/{work}",
                json={"action": "submit", "base_version": 0, "client_id": "c-console", "marks": MARKS},
            )
        )
        with world.sessions() as db:
            context = round_context(db, world.review_round)
            shown = console(db, context)
            missing = missing_sheets(db, context)
            judges = shown["judges"]
            labels = entry_labels(db, context)
        assert len(judges) > 3  # more experts seated than review any one work
        owed = sum(len(v) for v in assigned.values())
        assert sum(shown["states"].values()) == owed == 12 and shown["states"] == {"submitted": 1, "new": 11}
        for entry, label in labels.items():
            for judge in judges:
                state = shown["matrix"][label].get(judge, {}).get("state", "new")
                assert (state == "unassigned") == (judge not in assigned[entry]), (entry, judge, state)
        assert len(missing) == owed - 1 and (labels[work], experts[0]) not in missing
        assert all(judge in assigned[entry] for entry, label in labels.items() for m, judge in missing if m == label)
        with world.sessions.begin() as db:  # a chief who reviews nothing opens the console's page
            set_panel(db, world.review_round, judges, "E12", "test")
        chief = world.expert("E12")
        for lang, not_started, unassigned in (("zh", "未开始", "未分配"), ("en", "not started", "not assigned")):
            page = chief.get(f"/judge/console/{world.review_round}?lang={lang}")
            assert page.status_code == 200, page.text[:300]
            cells = page.text.count('data-state="unassigned"')
            assert cells == len(labels) * len(judges) - owed and unassigned in page.text
            assert page.text.count('data-state="new"') == owed - 1  # the owed sheets not started only
            assert page.text.count(f': {not_started}"') == owed - 1


def test_after_review_and_shortlist_the_organiser_gives_units_the_organisation_award(tmp_path):
    """优秀组织奖 in a five-small contest: after the review and the shortlist the organiser gives
    the example's organisation award to units (at most three), with a reason, and the award list
    on notice names those units beside the prizes for the works."""
    engine, sessions, cid = _one_round_reviewed(tmp_path)
    with sessions.begin() as db:
        assert make_shortlist(db, KEY, "rank", "3", "", "t") == ["W005", "W004", "W003"]
        for unit in ("u05", "u02", "u07"):
            given = decide_organisation_award(db, KEY, "organisation", unit, "give", "组织推荐作品多、材料齐全", "t")
            assert given is not None
    with sessions.begin() as db, pytest.raises(Conflict) as fourth:
        decide_organisation_award(db, KEY, "organisation", "u01", "give", "也组织得好", "t")
    assert "最多授予 3 个单位" in fourth.value.zh and "at most 3 units" in fourth.value.en
    with sessions.begin() as db, pytest.raises(InvalidInput):  # a prize for works is not given by decision
        decide_organisation_award(db, KEY, "first", "u01", "give", "理由", "t")
    with sessions.begin() as db:
        publish_notice(db, KEY, datetime.now(UTC) + timedelta(days=7), "t")
        snapshot = latest_publication(db, cid).snapshot
    lists = {a["key"]: a for a in snapshot["awards"]}
    organisation = lists["organisation"]
    assert organisation["title"] == {"zh": "优秀组织奖", "en": "Organisation award"} and organisation["scope"] == "unit"
    assert organisation["notes"][0]["zh"] == "组委会决定授予 3 个单位（最多 3 个）"
    assert sorted(r["entry"] for r in organisation["recipients"]) == ["u02", "u05", "u07"]
    assert all(r["reason"] == "组织推荐作品多、材料齐全" for r in organisation["recipients"])
    assert [r["entry"] for r in lists["first"]["recipients"]] == ["W005", "W004", "W003"]
    engine.dispose()
