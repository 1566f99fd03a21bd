"""A round ranked by placing is scored whole or not at all (issue 15, item 4): until every marking
judge has submitted a whole order, every entry is pending with the reason ("1 of 3 judges have
submitted their order"), on the store's entry panels, the chief's console and the round's
results page, in Chinese and English, and the organiser's provisional standings wait for it;
once every order is in, the round is scored, and a sheet returned by the chief makes it pending
again. SQLite and PostgreSQL."""

from __future__ import annotations

from results.round_entries import entry_panels
from results.round_review import review_round
from tests.integration.dancing import COUPLES, in_order, order_body, store_dancing
from tests.integration.world import ok

SAMBA = in_order("c03", "c01", "c05", "c02", "c06", "c04")
RUMBA = in_order("c03", "c01", "c05", "c02", "c04", "c06")


def panels(world, round_id: int):
    with world.app.state.database.read() as db:
        return entry_panels(db, round_id, COUPLES)


def test_a_part_placed_round_is_pending_whole_with_how_many_orders_are_in(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    ok(dance.judges["j2"].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    # j3 has placed only three couples, as a draft; j1 nothing yet
    ok(dance.judges["j3"].put(url, json=order_body("save", {"samba": {"c06": "1", "c01": "2", "c02": "3"}})))
    rows = panels(world, dance.round_id)
    assert [r.entry for r in rows] == COUPLES
    assert all(r.pending and r.whole_round and r.score is None for r in rows)
    assert rows[0].problem is not None
    assert rows[0].problem.en.startswith("1 of 3 judges have submitted their order (waiting for j1, j3)")
    assert rows[0].problem.zh.startswith("3 名评委中已有 1 名提交名次（尚待：j1、j3）")
    assert "above the number" not in rows[0].problem.en  # never the engine's refusal of a part
    with world.app.state.database.read() as db:
        review = review_round(db, dance.round_id)
    assert review.result is None and review.waiting is not None and review.fairness is None

    console = ok(dance.judges["j1"].get(f"/api/chief/rounds/{dance.round_id}/console"))
    assert {line["state"] for line in console["results"]} == {"pending"}
    assert console["order_waiting"]["en"].startswith("1 of 3 judges have submitted their order")
    page = dance.judges["j1"].get(f"/judge/console/{dance.round_id}?lang=zh")
    assert page.status_code == 200 and 'id="order-waiting">3 名评委中已有 1 名提交名次' in page.text
    english = dance.judges["j1"].get(f"/judge/console/{dance.round_id}?lang=en").text
    assert 'id="order-waiting">1 of 3 judges have submitted their order' in english
    results = dance.judges["j1"].get(f"/judge/console/{dance.round_id}/results?lang=en")
    assert results.status_code == 200 and "1 of 3 judges have submitted their order" in results.text
    assert "above the number" not in results.text and "名次" not in results.text.split("<main")[-1]
    zh = dance.judges["j1"].get(f"/judge/console/{dance.round_id}/results?lang=zh").text
    assert "3 名评委中已有 1 名提交名次" in zh and "1 of 3 judges" not in zh
    # the organiser's provisional standings never rank the couples on part of the panel: the event waits
    provisional = ok(world.organiser.get("/api/admin/competitions/dance-2026/results"))
    assert provisional["waiting_for"] == ["latin"]


def test_the_round_is_scored_once_every_order_is_in_and_pending_again_after_a_return(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    for judge in ("j1", "j2", "j3"):
        ok(dance.judges[judge].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    rows = panels(world, dance.round_id)
    # every judge placed alike; the dances differ only at the foot (c04 and c06 swap): they share 5th
    assert ok(world.organiser.get("/api/admin/competitions/dance-2026/results"))["waiting_for"] == []
    places = {r.entry: r.place for r in rows}
    assert places == {"c03": "1", "c01": "2", "c05": "3", "c02": "4", "c06": "=5", "c04": "=5"}
    assert not any(r.whole_round or r.problem for r in rows)
    console = ok(dance.judges["j1"].get(f"/api/chief/rounds/{dance.round_id}/console"))
    assert console["order_waiting"] is None and {line["state"] for line in console["results"]} == {"scored"}
    page = dance.judges["j1"].get(f"/judge/console/{dance.round_id}?lang=en").text
    assert 'id="order-waiting"' not in page
    # places have no severity: the console and the results page say so instead of deviations of 0
    assert 'id="no-severity">Places have no severity' in page and 'id="reviews"' not in page
    assert "ranking rule (such as the skating system)" in page
    results = dance.judges["j1"].get(f"/judge/console/{dance.round_id}/results?lang=zh").text
    assert 'id="no-severity">名次没有宽严之分' in results and 'id="fairness-judges"' not in results
    assert 'id="agreement"' in results and "severity.svg" not in results

    back = {"action": "return", "base_version": 1, "client_id": "chief-return-77", "reason": "复核 / check"}
    ok(dance.judges["j1"].post(f"/api/chief/sheets/{dance.round_id}/c02/j3", json=back))
    rows = panels(world, dance.round_id)
    assert all(r.pending and r.whole_round for r in rows)
    assert rows[0].problem is not None and rows[0].problem.en.startswith("2 of 3 judges have submitted their order")
    results = dance.judges["j1"].get(f"/judge/console/{dance.round_id}/results?lang=en").text
    assert "2 of 3 judges have submitted their order (waiting for j3)" in results
