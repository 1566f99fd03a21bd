"""The organiser's API: competitions from files or a template, judges, draws, rosters, rubrics,
and editing teams, contestants, units, events and rounds."""

from __future__ import annotations

from scoring.draws import draw_order
from tests.helpers import ROOT, RUBRICS
from tests.integration.world import ok, sheet_body


def test_upload_a_competition_with_its_rubrics(world):
    cement = ROOT / "examples" / "cement"
    files = {"competition": ("competition.toml", (cement / "competition.toml").read_bytes())}
    for path in sorted((RUBRICS / "cement").glob("*.toml")):
        files[path.stem] = (path.name, path.read_bytes())
    created = world.organiser.post("/api/admin/competitions", files=files)
    assert created.status_code == 201, created.text
    assert created.json()["teams"] == 28
    listed = world.organiser.get("/api/admin/competitions").json()
    assert [c["key"] for c in listed] == ["safety-culture-2023", "cement-team-leaders-2023"]
    missing = world.organiser.post("/api/admin/competitions", files={"competition": files["competition"]})
    assert missing.status_code == 422 and "was not uploaded" in missing.json()["problems"][0]["en"]
    broken = world.organiser.post("/api/admin/competitions", files={"competition": ("c.toml", b"[competition\nkey=")})
    assert broken.status_code == 422


def test_draws_are_recorded_with_their_seeds_and_replay(world):
    url = f"/api/admin/rounds/{world.extinguisher}/draws"
    made = world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 20231031})
    assert made.status_code == 201, made.text
    entries = [f"s{i:02d}" for i in range(1, 15)]
    assert made.json()["result"]["order"] == draw_order(entries, 20231031)
    random_seed = ok(world.organiser.post(url, json={"purpose": "stations", "drawn_by": "王五", "stations": 3}), 201)
    assert sorted(set(random_seed["result"]["stations"].values())) == [1, 2, 3]
    listed = ok(world.organiser.get(url))
    assert [d["purpose"] for d in listed] == ["order", "stations"] and listed[1]["seed"] == random_seed["seed"]
    no_stations = world.organiser.post(url, json={"purpose": "stations", "drawn_by": "王五"})
    assert no_stations.status_code == 422
    assert world.organiser.post(url, json={"purpose": "lottery", "drawn_by": "x"}).status_code == 400


def test_roster_import_previews_then_adds_all_or_nothing(world):
    url = "/api/admin/competitions/safety-culture-2023/roster"
    good = (
        "unit,unit_name,team,team_name,contestant,name,role\n"
        "d09,应急中心,s15,应急一队,p101,张伟,队长\nd09,,s15,,p102,李娜,\n"
    )
    preview = world.organiser.post(url + "?dry_run=true", files={"roster": ("roster.csv", good)})
    assert preview.status_code == 200 and preview.json()["new_teams"] == ["s15"] and preview.json()["imported"] == 0
    bad = good + "d77,,s16,,p103,王五,member\n"
    refused = world.organiser.post(url, files={"roster": ("roster.csv", bad)})
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    assert problem["row"] == 4 and problem["file"] == "roster.csv" and "unknown unit 'd77'" in problem["en"]
    assert world.organiser.get("/api/admin/competitions").json()[0]["teams"] == 14  # nothing was added
    done = world.organiser.post(url, files={"roster": ("roster.csv", good)})
    assert done.status_code == 201 and done.json()["imported"] == 2
    assert world.organiser.get("/api/admin/competitions").json()[0]["teams"] == 15
    again = world.organiser.post(url, files={"roster": ("roster.csv", good)})
    assert again.status_code == 422 and "already in the competition" in again.json()["problems"][0]["en"]
    assert world.organiser.post(url, files={"roster": ("roster.pdf", b"%PDF")}).status_code == 422
    assert (
        world.organiser.post("/api/admin/competitions/nope/roster", files={"roster": ("r.csv", good)}).status_code
        == 404
    )


def test_rubric_preview_and_new_versions_until_marks_exist(world):
    url = f"/api/admin/events/{world.event_ids['hydrant']}/rubric"
    preview = ok(world.organiser.get(url))
    assert preview["version"] == 1 and preview["form"]["max_points"] == "100"
    hose = preview["form"]["items"][0]
    assert hose["section"] == "hose" and [i["input"] for i in hose["items"]] == ["toggle", "stepper", "toggle", "veto"]
    assert [hose["items"][1][k] for k in ("min", "max", "step")] == ["0", "15", "1"]
    broken = world.organiser.put(
        url, files={"rubric": ("hydrant.toml", b'key = "x"\ntitle = "X"\n[[criteria]]\nkey = "a"\n')}
    )
    assert broken.status_code == 422 and broken.json()["problems"][0]["file"] == "hydrant.toml"
    new = world.organiser.put(url, files={"rubric": ("hydrant.toml", (RUBRICS / "fire_hydrant.toml").read_bytes())})
    assert new.status_code == 200 and new.json()["version"] == 2
    ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body()))  # the first marks
    frozen = world.organiser.put(url, files={"rubric": ("hydrant.toml", (RUBRICS / "fire_hydrant.toml").read_bytes())})
    assert frozen.status_code == 409


def test_create_from_a_template_and_add_judges(world):
    url = "/api/admin/competitions/from-template"
    body = {"template": "cement", "key": "cement-2026", "name_zh": "水泥班组长竞赛 2026", "name_en": "Cement 2026"}
    created = world.organiser.post(url, json=body)
    assert created.status_code == 201 and created.json()["teams"] == 28 and created.json()["key"] == "cement-2026"
    again = world.organiser.post(url, json=body)
    assert again.status_code == 422 and again.json()["problems"][0]["field"] == "key"
    assert "already used" in again.json()["problems"][0]["en"] and "/" not in str(again.json()["problems"][0])
    listed = {c["key"]: c["name"] for c in ok(world.organiser.get("/api/admin/competitions"))}
    assert listed["cement-2026"] == {"zh": "水泥班组长竞赛 2026", "en": "Cement 2026"}
    ok(world.organiser.post(url, json=body | {"key": "cement-again"}), 201)  # the same template, another key
    bad = world.organiser.post(url, json={"template": "nope", "key": "9x", "name_zh": " ", "name_en": ""})
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"template", "key", "name"}
    added = world.organiser.post("/api/admin/competitions/cement-2026/judges", json={"key": "j9", "name": "周九"})
    assert added.status_code == 201
    twice = world.organiser.post("/api/admin/competitions/cement-2026/judges", json={"key": "j9", "name": "周九"})
    assert twice.status_code == 422 and twice.json()["problems"][0]["field"] == "key"
    bad = world.organiser.post("/api/admin/competitions/cement-2026/judges", json={"key": "9j", "name": " "})
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"key", "name"}


def test_organiser_edits_teams_contestants_events_and_rounds(world):
    team = world.organiser.patch(
        "/api/admin/teams/1", json={"name_zh": "监察一队", "name_en": "Inspect 1", "unit": "d02"}
    )
    assert team.status_code == 200 and team.json()["unit"] == "d02"
    bad_unit = world.organiser.patch("/api/admin/teams/1", json={"name_zh": "x", "name_en": "x", "unit": "zz"})
    assert bad_unit.status_code == 422 and bad_unit.json()["problems"][0]["field"] == "unit"
    assert (
        world.organiser.patch("/api/admin/teams/999", json={"name_zh": "x", "name_en": "x", "unit": "d01"}).status_code
        == 404
    )
    moved = world.organiser.patch("/api/admin/contestants/2", json={"name": "王强", "role": "member", "team": "s02"})
    assert moved.status_code == 200 and moved.json()["team"] == "s02"
    two_leaders = world.organiser.patch(
        "/api/admin/contestants/5", json={"name": "x", "role": "team_leader", "team": "s02"}
    )
    assert two_leaders.status_code == 422 and "already has a team leader" in two_leaders.json()["problems"][0]["en"]
    event = world.organiser.patch(
        f"/api/admin/events/{world.event_ids['hydrant']}",
        json={"title_zh": "消火栓操作", "title_en": "Hydrant", "weight": "12.5"},
    )
    assert event.status_code == 200 and event.json()["weight"] == "12.5"
    bad_weight = world.organiser.patch(
        f"/api/admin/events/{world.event_ids['hydrant']}", json={"title_zh": "x", "title_en": "x", "weight": "-1"}
    )
    assert bad_weight.status_code == 422
    url = f"/api/admin/events/{world.event_ids['hydrant']}/rounds"
    assert world.organiser.post(url, json={"key": "preliminary"}).status_code == 201
    assert world.organiser.post(url, json={"key": "preliminary"}).status_code == 422
    assert world.organiser.post(url, json={"key": "1st"}).status_code == 422


def test_units_rename_and_judges_see_entries_in_the_drawn_order(world):
    renamed = world.organiser.patch(
        "/api/admin/units/1", json={"name_zh": "安全监察部（新）", "name_en": "Safety (new)"}
    )
    assert renamed.status_code == 200 and renamed.json()["key"] == "d01"
    assert world.organiser.patch("/api/admin/units/1", json={"name_zh": " ", "name_en": "x"}).status_code == 422
    drawn = ok(
        world.organiser.post(
            f"/api/admin/rounds/{world.hydrant}/draws", json={"purpose": "order", "drawn_by": "王五", "seed": 7}
        ),
        201,
    )["result"]["order"]
    [seat] = ok(world.judge.get("/api/judge/assignments"))
    assert seat["entries"] == drawn


def test_a_roster_with_the_chinese_headers_organisers_use_is_imported(world):
    url = "/api/admin/competitions/safety-culture-2023/roster"
    roster = (
        "单位编号,单位名称,队号,队名,选手编号,姓名,角色\n"
        "d09,应急中心,s15,应急一队,p101,张伟,队长\nd09,,s15,,p102,李娜,队员\n"
    )
    done = world.organiser.post(url, files={"roster": ("名单.csv", roster)})
    assert done.status_code == 201 and done.json()["imported"] == 2 and done.json()["new_teams"] == ["s15"]
    missing = world.organiser.post(url, files={"roster": ("名单.csv", "单位编号,选手编号\nd09,p103\n")})
    assert missing.status_code == 422 and "缺少列 姓名（name）" in missing.json()["problems"][0]["zh"]
