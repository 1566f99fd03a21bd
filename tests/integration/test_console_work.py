"""How much work one read of the chief judge's console costs (issue 16, item 4): the round's
sheets read once, in one statement, for the matrix, the review and the panel results; the review
and the panel results (an engine run each) kept until a counted sheet changes, so a read while
only drafts move, or a second viewer's, runs no engine. Counts, not times: a change that reads
the sheets again or scores again on every read fails here, and says which statements it ran."""

from __future__ import annotations

from judges import console_review
from results import round_entries
from scoring.kept import Kept
from tests.integration.test_chief_console import FULL, TIMES
from tests.integration.test_write_statements import counted_statements
from tests.integration.world import ok, sheet_body


def test_a_console_read_reads_the_sheets_once_and_scores_only_after_a_counted_change(world, monkeypatch):
    rid = world.extinguisher
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", files={"values": ("t.csv", TIMES)}), 201)
    for client in (world.judge, world.chief, world.unseated):  # e1, e2, e3
        ok(client.put(f"/api/judge/sheets/{rid}/s01", json=sheet_body("submit", marks=FULL)))
    ok(world.judge.put(f"/api/judge/sheets/{rid}/s02", json=sheet_body("submit", marks=FULL | {"shake": "0"})))
    # this process's copies from other tests of the same stored world (same database, competition
    # and seq on PostgreSQL) would answer the first read: start with none
    Kept.clear_all()  # the versions' marks and the entries' parts too
    monkeypatch.setattr(console_review, "_KEPT", Kept(console_review.KEEP))
    monkeypatch.setattr(round_entries, "_KEPT", Kept(round_entries.KEEP))
    runs = {"review": 0, "panels": 0}
    review, panels = console_review._reviewed, round_entries._entry_panels
    monkeypatch.setattr(
        console_review, "_reviewed", lambda *a: runs.__setitem__("review", runs["review"] + 1) or review(*a)
    )
    monkeypatch.setattr(
        round_entries, "_entry_panels", lambda *a: runs.__setitem__("panels", runs["panels"] + 1) or panels(*a)
    )

    scored: list[set[str]] = []  # the entries of each engine run of the review
    run_review = console_review._scored

    def counted_run(rubric, frame, mean):
        scored.append(set(frame["entry"]))
        return run_review(rubric, frame, mean)

    monkeypatch.setattr(console_review, "_scored", counted_run)

    def read() -> tuple[dict, list[str]]:
        with counted_statements() as seen:
            body = world.chief.get(f"/api/chief/rounds/{rid}/console").json()
        return body, seen

    def statements(seen: list[str]) -> list[str]:
        return [s for s in seen if s != "BEGIN"]

    def sheet_reads(seen: list[str]) -> list[str]:  # the round's rows (the marks kept by version apart)
        return [s for s in seen if "sheet_versions" in s and not marks_reads([s])]

    def marks_reads(seen: list[str]) -> list[str]:  # the marks of versions this process has not read yet
        return [s for s in seen if "sheet_versions.marks" in s and "sheet_versions.id IN" in s]

    body, seen = read()  # the first read scores, and reads every version's marks once
    assert runs == {"review": 1, "panels": 1} and len(sheet_reads(seen)) == 1, "\n".join(seen)
    assert len(marks_reads(seen)) == 1, "\n".join(seen)
    assert body["matrix"]["s01"]["e1"]["state"] == "submitted"
    # 19 statements when this was written (besides BEGIN): the sign-in and seat (the guard), the
    # round, rubric, panel, labels, seq, the sheets, assignments, the draw, names, lockouts, and
    # for the panel results the stored event's rules (not the roster) and the officials' values;
    # 20 since each version's marks are kept by its id, read apart from the round's rows
    assert len(statements(seen)) <= 20, "\n".join(seen)

    body, seen = read()  # nothing changed: nothing scored again, the sheets read once for the matrix
    assert len(statements(seen)) <= 13, "\n".join(seen)  # 13 when this was written: no competition re-read
    assert runs == {"review": 1, "panels": 1} and len(sheet_reads(seen)) == 1, "\n".join(seen)
    assert marks_reads(seen) == [], "\n".join(seen)  # every version's marks kept

    ok(world.chief.put(f"/api/judge/sheets/{rid}/s02", json=sheet_body("save", marks=FULL)))
    body, seen = read()  # a draft: shown at once in the matrix, and counts for nothing
    assert body["matrix"]["s02"]["e2"] == {
        "state": "draft",
        "version": 1,
        "device": body["matrix"]["s02"]["e2"]["device"],
    }
    assert runs == {"review": 1, "panels": 1} and len(sheet_reads(seen)) == 1, "\n".join(seen)
    assert len(marks_reads(seen)) == 1, "\n".join(seen)  # the draft's marks alone

    ok(world.chief.put(f"/api/judge/sheets/{rid}/s02", json=sheet_body("submit", base=1, marks=FULL)))
    body, seen = read()  # a counted change: reviewed and scored again, from the one read of the sheets
    assert runs == {"review": 2, "panels": 2} and len(sheet_reads(seen)) == 1, "\n".join(seen)
    # the review's engine runs: both entries at the first read, none while nothing counted changed,
    # then s02 alone (s01's part kept)
    assert scored == [{"s01", "s02"}, {"s02"}], scored
    assert body["matrix"]["s02"]["e2"]["state"] == "submitted"
    assert any(f["entry"] == "s02" and f["criterion"] == "shake" for f in body["flags"])  # e1's 0 beside e2's 10


def test_a_console_read_writes_out_the_workings_asked_for_only(world, monkeypatch):
    """The page asks for the working of the entries the chief opened (?working=s01): the others'
    results say "later", and their working is never written (explain_entry is not called)."""
    from scoring.events import practical

    rid = world.extinguisher
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", files={"values": ("t.csv", TIMES)}), 201)
    for client in (world.judge, world.chief, world.unseated):  # e1, e2, e3: s01 and s02 complete
        for entry in ("s01", "s02"):
            ok(client.put(f"/api/judge/sheets/{rid}/{entry}", json=sheet_body("submit", marks=FULL)))
    monkeypatch.setattr(round_entries, "_KEPT", Kept(round_entries.KEEP))
    written: list[str] = []
    explain = practical.explain_entry
    monkeypatch.setattr(
        practical, "explain_entry", lambda result, entry: written.append(entry) or explain(result, entry)
    )

    def results(query: str) -> dict[str, dict]:
        body = ok(world.chief.get(f"/api/chief/rounds/{rid}/console{query}"))
        return {line["entry"]: line for line in body["results"]}

    none = results("?working=")  # nothing opened
    assert [none[e]["state"] for e in ("s01", "s02")] == ["scored", "scored"]
    assert all(none[e]["working"] == "later" and none[e]["attempts"] == [] for e in ("s01", "s02"))
    assert none["s03"]["working"] == "none"  # pending: no working to ask for
    assert written == []

    one = results("?working=s02")  # s02 opened: its working, written once; s01's still not
    assert one["s02"]["working"] == "shown" and one["s02"]["attempts"][0]["criteria"]
    assert one["s01"]["working"] == "later" and written == ["s02"]
    assert one["s01"]["score"] == none["s01"]["score"] and one["s01"]["place"] == none["s01"]["place"]

    every = results("")  # the API's default: every scored entry's working, the same as asked alone
    assert every["s02"]["attempts"] == one["s02"]["attempts"] and every["s01"]["working"] == "shown"
    assert sorted(written) == ["s01", "s02"]  # s02's written once, kept with the panels
