"""The whole publication cycle through HTTP, as the people involved do it: the organiser
publishes a notice (公示), a team leader appeals through the team's link, the chief judge
upholds it, the organiser withdraws the notice and reopens the round, the chief judge corrects
the locked sheet and locks the round again, a new notice shows what changed and why, and the
final follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scoring.store.sheets import current_sheets
from tests.integration.world import ok

KEY = "safety-culture-2023"


def test_an_upheld_appeal_corrects_a_locked_sheet_and_the_new_notice_says_what_changed(venue):
    organiser, chief, leader, hydrant = venue["organiser"], venue["chief"], venue["leader"], venue["hydrant"]
    deadline = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    first = ok(organiser.post(f"/api/admin/competitions/{KEY}/results/notice", json={"deadline": deadline}), 201)
    before = ok(organiser.get(f"/api/admin/competitions/{KEY}/publications/{first['seq']}"))
    assert before["kind"] == "notice" and before["changes"] == []
    s05 = next(row for row in before["overall"] if row["entry"] == "s05")

    links = ok(organiser.get(f"/api/admin/competitions/{KEY}/appeal-links"))
    link = next(item["link"] for item in links if item["team"] == "s05")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    lodged = ok(
        leader.post(
            f"/api/appeals/{token}", files={"reason": (None, "消火栓项目计时有误 / the hydrant time was wrong")}
        ),
        201,
    )
    ok(
        organiser.post(
            f"/api/admin/competitions/{KEY}/appeals/{lodged['id']}/decision",
            json={"outcome": "upheld", "reason": "录像复核 / the video shows it"},
        )
    )
    ok(organiser.post(f"/api/admin/competitions/{KEY}/results/withdraw", json={"reason": "appeal upheld"}))
    ok(organiser.post(f"/api/admin/rounds/{hydrant}/publication", json={"state": "open"}))

    with venue["sessions"]() as db:
        sheets = [(j, v) for e, j, v in current_sheets(db, hydrant) if e == "s05"]
    assert sheets and all(v.state == "locked" for _, v in sheets)
    for judge, version in sheets:  # the panel's marks for laying the hose were misread: 3 points each
        ok(
            chief.post(
                f"/api/chief/sheets/{hydrant}/s05/{judge}",
                json={
                    "action": "correct",
                    "base_version": version.version,
                    "client_id": f"appeal-1-{judge}",
                    "marks": dict(version.marks) | {"lay_hose": "3"},
                    "reason": "appeal #1 upheld",
                },
            )
        )
    ok(chief.post(f"/api/chief/rounds/{hydrant}/lock"))

    second = ok(organiser.post(f"/api/admin/competitions/{KEY}/results/notice", json={"deadline": deadline}), 201)
    after = ok(organiser.get(f"/api/admin/competitions/{KEY}/publications/{second['seq']}"))
    change = next(c for c in after["changes"] if c["entry"] == "s05")
    assert change["before"]["score"] == s05["score"]
    assert change["after"]["score"] != s05["score"]
    assert "#1" in change["why"]["en"] or "1" in change["why"]["zh"]
    final = ok(
        organiser.post(
            f"/api/admin/competitions/{KEY}/results/final", json={"early": True, "reason": "all teams agreed"}
        ),
        201,
    )
    published = ok(organiser.get(f"/api/admin/competitions/{KEY}/publications/{final['seq']}"))
    assert published["kind"] == "final" and published["version"] == 1
    assert next(r for r in published["overall"] if r["entry"] == "s05")["score"] == change["after"]["score"]
    public = leader.get(f"/results/{KEY}")
    assert public.status_code == 200 and "text/html" in public.headers["content-type"]
    assert change["after"]["score"] in public.text and published["audit"]["hash"][:12] in public.text
    shown = ok(leader.get(f"/api/public/competitions/{KEY}/results"))
    assert shown["state"] == "final" and shown["snapshot"]["seq"] == final["seq"]
