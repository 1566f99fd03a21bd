"""The chief judge's console answers from its kept parts (each version's marks, each entry's part
of the review and of the panel results) exactly what it answers with nothing kept: over a random
sequence of saves, submissions, returns, corrections and a lock, on several entries and judges,
the body read with warm caches equals the body read after every kept answer is forgotten
(`Kept.clear_all`), after every change. Two rubrics: the hydrant drill (a trimmed panel of three:
while an entry has fewer than three counted sheets the whole round is compared by the mean of the
marks so far, and the comparison flips back and forth) and diving (attempts, a 7-judge trimmed
panel, a part of the marks per entry and attempt)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from judges.console import console
from scoring.kept import Kept
from scoring.store.rounds import round_context
from tests.integration.diving import DIVERS, JUDGES, store_diving
from tests.integration.test_chief_console import FULL, STEPS
from tests.integration.world import ok, sheet_body

ENTRIES = ["s01", "s02", "s03", "s04"]


def hydrant_marks(rng: random.Random) -> dict[str, str]:
    return {
        "open_cabinet": rng.choice("01"),
        "lay_hose": str(rng.randint(5, 15)),
        "couple": "1",
        "open_valve": "1",
        "hit_target": str(2 * rng.randint(3, 10)),
        "unsafe": "0",
        "no_reset": rng.choice("01"),
    }


def dives(rng: random.Random) -> dict[str, str]:
    return {f"{k}/award": str(rng.randint(8, 20) / 2) for k in range(1, rng.randint(1, 5) + 1)}


def five_dives(rng: random.Random) -> dict[str, str]:
    return {f"{k}/award": str(rng.randint(8, 20) / 2) for k in range(1, 6)}


class Checked:
    """Reads the console warm and cold after each change and compares them."""

    def __init__(self, world: Any, round_id: int) -> None:
        self.world, self.round_id, self.reads, self.by_mean = world, round_id, 0, set()

    def body(self) -> dict[str, Any]:
        with self.world.app.state.database.read() as db:
            return console(db, round_context(db, self.round_id))

    def __call__(self) -> dict[str, Any]:
        warm = self.body()
        Kept.clear_all()
        cold = self.body()
        assert warm == cold
        self.reads += 1
        self.by_mean.add(cold["compared_by_mean"])
        return cold


def play(rng: random.Random, check: Checked, chief: Any, clients: dict[str, Any], entries: list[str],
         marks: Callable[[random.Random], dict[str, str]], steps: int) -> dict[tuple[str, str], list[Any]]:  # fmt: skip
    """`steps` random changes, each checked: a judge saves or submits an open sheet, the chief
    returns or corrects a counted one. Each sheet's [state, version] as the store answered."""
    rid = check.round_id
    sheets: dict[tuple[str, str], list[Any]] = {(e, j): ["new", 0] for e in entries for j in clients}
    changed = 0
    for _ in range(steps):
        (entry, judge), (state, version) = rng.choice(sorted(sheets.items()))
        if state in ("new", "draft", "returned"):
            action = rng.choice(["save", "submit", "submit"])
            body = sheet_body(action, version, marks(rng)) | {"device": f"tablet-{judge}"}
            answer = clients[judge].put(f"/api/judge/sheets/{rid}/{entry}", json=body)
        else:
            action = rng.choice(["return", "correct"])
            body = {"action": action, "base_version": version, "client_id": uuid.uuid4().hex, "reason": "checked"}
            answer = chief.post(f"/api/chief/sheets/{rid}/{entry}/{judge}", json=body | {"marks": marks(rng)})
        written = ok(answer)
        sheets[entry, judge] = [written["state"], written["version"]]
        changed += 1
        check()
    assert changed == steps
    return sheets


def complete(check: Checked, chief: Any, clients: dict[str, Any], sheets: dict[tuple[str, str], list[Any]],
             marks: Callable[[random.Random], dict[str, str]], rng: random.Random) -> None:  # fmt: skip
    """Every sheet counted with complete marks: the open ones submitted, the others corrected."""
    rid = check.round_id
    for (entry, judge), (state, version) in sorted(sheets.items()):
        if state not in ("submitted", "locked"):
            body = sheet_body("submit", version, marks(rng)) | {"device": f"tablet-{judge}"}
            ok(clients[judge].put(f"/api/judge/sheets/{rid}/{entry}", json=body))
        else:
            body = {"action": "correct", "base_version": version, "client_id": uuid.uuid4().hex, "reason": "all"}
            ok(chief.post(f"/api/chief/sheets/{rid}/{entry}/{judge}", json=body | {"marks": marks(rng)}))
        check()


def test_the_hydrant_console_kept_answers_what_it_answers_from_nothing(world):
    rid = world.hydrant
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    clients = {"e1": world.judge, "e2": world.chief, "e3": world.unseated}
    rng = random.Random(16)
    Kept.clear_all()
    check = Checked(world, rid)
    check()
    sheets = play(rng, check, world.chief, clients, ENTRIES, hydrant_marks, 60)
    complete(check, world.chief, clients, sheets, hydrant_marks, rng)
    assert check.by_mean == {True, False}  # the round was compared by the mean, and by the rule
    body = check()
    assert not body["compared_by_mean"] and body["flags"] and body["reviews"]
    # the other entries have no sheets: the lock waits for them, the console stays the same warm and cold
    ok(world.chief.post(f"/api/chief/rounds/{rid}/lock"), (200, 409))
    check()


def extinguisher_marks(rng: random.Random) -> dict[str, str]:
    """A checklist sheet, a step or two sometimes missed (the panel's mean of each step counts)."""
    return FULL | {step: rng.choice("011") for step in rng.sample(STEPS, 2)}


def test_the_extinguisher_console_with_its_panel_results_kept_answers_what_it_answers_from_nothing(world):
    rid = world.extinguisher  # submitted sheets count for the panel results; each team's time entered
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    times = "entry,attempt,judge,criterion,value\n" + "".join(f"{e},,,time,{30 + n}\n" for n, e in enumerate(ENTRIES))
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", files={"values": ("t.csv", times)}), 201)
    clients = {"e1": world.judge, "e2": world.chief, "e3": world.unseated}
    rng = random.Random(5)
    Kept.clear_all()
    check = Checked(world, rid)
    sheets = play(rng, check, world.chief, clients, ENTRIES, extinguisher_marks, 40)
    complete(check, world.chief, clients, sheets, extinguisher_marks, rng)
    body = check()
    assert {line["state"] for line in body["results"] if line["entry"] in ENTRIES} == {"scored"}


def test_the_diving_console_kept_answers_what_it_answers_from_nothing(world):
    diving = store_diving(world)
    rid, chief = diving.round_id, diving.chief
    clients = {judge: diving.judges[judge] for judge in JUDGES}
    rng = random.Random(12)
    Kept.clear_all()
    check = Checked(world, rid)
    sheets = play(rng, check, chief, clients, DIVERS, dives, 70)
    complete(check, chief, clients, sheets, five_dives, rng)
    body = check()
    assert body["reviews"] and check.by_mean == {True, False}
    ok(chief.post(f"/api/chief/rounds/{rid}/lock"))
    body = check()
    assert {cell["state"] for row in body["matrix"].values() for cell in row.values()} >= {"locked"}
