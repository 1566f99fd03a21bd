"""After the chief judge returns two sheets of a submitted order (issue 15, item 4), the judge's
ordering form reopens: it says which couples came back and why, in the page's language, lets the
judge swap their places and submit again; only the two returned sheets get a new version, and the
stored places are those the form showed."""

from __future__ import annotations

import pytest

from tests.e2e.tablets import SIZES, judge_page, versions, wait_sent
from tests.e2e.test_judge_ordering import prepare_dancing, shown, tap
from tests.integration.dancing import COUPLES, DANCES

SAMBA = {c: str(i) for i, c in enumerate(["c03", "c01", "c05", "c02", "c06", "c04"], start=1)}
RUMBA = {c: str(i) for i, c in enumerate(COUPLES, start=1)}


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_returned_sheets_reopen_the_order_which_is_changed_and_resubmitted(
    server, browser, shots, tmp_path, size, lang
):
    round_id, pins = prepare_dancing(tmp_path)
    judge = judge_page(browser, server, "j2", pins["j2"], SIZES[size], lang)
    judge.goto(f"{server}/judge/placements/{round_id}")  # the order placed and submitted on this tablet
    tap(judge, "samba", *sorted(SAMBA, key=lambda c: int(SAMBA[c])))
    tap(judge, "rumba", *COUPLES)
    judge.click("#review")
    judge.click("#confirm")
    wait_sent(judge)
    assert [(e, v, s) for e, v, s, _ in versions(tmp_path)] == [(c, 1, "submitted") for c in COUPLES]
    chief = judge_page(browser, server, "j1", pins["j1"])
    for couple in ("c02", "c06"):
        back = {"action": "return", "base_version": 1, "client_id": f"back-{couple}-0001", "reason": "c02/c06 请复核"}
        assert chief.request.post(f"{server}/api/chief/sheets/{round_id}/{couple}/j2", data=back).ok

    judge.goto(f"{server}/judge/placements/{round_id}")
    returned = judge.locator("#returned")
    returned.wait_for(state="visible")
    said = returned.inner_text()
    assert ("裁判长退回了" if lang == "zh" else "the chief judge returned the places of") in said
    assert "c02" in said and "c06" in said and "c02/c06 请复核" in said
    assert shown(judge)["c02"] == {"samba": "4", "rumba": "2"}  # the order as submitted, to change
    for couple, place in (("c02", "5"), ("c06", "4")):  # the two couples swap places in the samba
        box = judge.locator(f"section[data-dance=samba] input.place[data-entry={couple}]")
        box.fill(place)
        box.blur()
    assert judge.locator("section[data-dance=samba] .why").inner_text() == ""
    judge.evaluate("scrollTo(0, 0)")
    judge.screenshot(path=str(shots / f"dance-returned-{size}-{lang}.png"), full_page=True)
    judge.click("#review")
    judge.click("#confirm")
    wait_sent(judge)
    assert judge.locator("#state").inner_text() == ("已提交" if lang == "zh" else "submitted")
    latest = {entry: (version, state, marks) for entry, version, state, marks in versions(tmp_path)}
    assert latest["c02"] == (3, "submitted", {"samba": "5", "rumba": "2"})
    assert latest["c06"] == (3, "submitted", {"samba": "4", "rumba": "6"})
    assert {c: latest[c][0] for c in COUPLES if c not in ("c02", "c06")} == dict.fromkeys(
        ["c01", "c03", "c04", "c05"], 1
    )
    assert {c: {d: latest[c][2][d] for d in DANCES} for c in COUPLES} == shown(judge)
