"""The demo's dance round: a DanceSport Standard final judged by placing (the skating system).

Two competitions from examples/dancesport (six couples n11..n16, three dances, five judges a..e
who place the couples, the chairperson `chair` who runs the console and marks nothing):
- the final (dancesport-2026): every judge's order of the worked example
  (examples/rubrics/dancesport_standard_final.csv, worked out by hand in docs/rubrics.md)
  submitted through the path the ordering form uses (`write_placements`, judges/placements.py:
  the whole order checked, one sheet version per couple, audited), one judge's order a
  transaction as a tablet sends it, then the round locked as the chief locks it. The same
  marks go to <marks>/dancesport-2026/standard_final.csv, so `scoring results` on the store
  equals `scoring compute` on that folder;
- an open copy to try the ordering form and the console on (dancesport-try-2026): judges a, b
  and c have submitted their orders, d and e not yet, so the console says the round waits for
  two orders; its files are written under the demo's data folder.
Not here: the other competitions of the demo, serving, printing anything but this round's lines.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from judges.locking import lock_round
from judges.placements import PlacementsWrite, write_placements
from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.model import Competition as CompetitionModel
from scoring.sheet_rules import SheetAction
from scoring.store.competitions import store_competition
from scoring.store.models import Competition, Event, Judge, Round
from scoring.store.rounds import round_context, rubric_of
from web.security import load_secret

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dancesport" / "competition.toml"
RUBRIC = ROOT / "examples" / "rubrics" / "dancesport_standard_final.toml"
WORKED = ROOT / "examples" / "rubrics" / "dancesport_standard_final.csv"
KEY = "dancesport-2026"
TRY_KEY = "dancesport-try-2026"
EVENT = "standard_final"
JUDGES = ["a", "b", "c", "d", "e"]
CHIEF = "chair"
TRY_SUBMITTED = JUDGES[:3]  # in the open copy; d and e are left to try the form
AUTHOR = "make demo"


def worked_orders() -> dict[str, dict[str, dict[str, str]]]:
    """Each judge's places, by dance and couple, from the worked example (couple 11 is n11,
    judge A is a)."""
    orders: dict[str, dict[str, dict[str, str]]] = {}
    with WORKED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            judge, dance = row["judge"].lower(), row["criterion"]
            orders.setdefault(judge, {}).setdefault(dance, {})[f"n{row['entry']}"] = row["value"]
    return orders


def write_marks(folder: Path) -> Path:
    """The final's placements as the marks file `scoring compute` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{EVENT}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["entry", "attempt", "judge", "criterion", "value"])
        for judge, dances in worked_orders().items():
            for dance, places in dances.items():
                out.writerows([entry, "", judge, dance, place] for entry, place in places.items())
    return path


def _try_copy(data_dir: Path) -> Path:
    """The example's files again under the demo's data folder, as the open copy's competition."""
    root = data_dir / "dance-try"
    (root / "competition").mkdir(parents=True, exist_ok=True)
    (root / "rubrics").mkdir(exist_ok=True)
    (root / "rubrics" / RUBRIC.name).write_text(RUBRIC.read_text(encoding="utf-8"), encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8").replace(f'key = "{KEY}"', f'key = "{TRY_KEY}"', 1)
    text = text.replace(
        'name = { zh = "体育舞蹈标准舞公开赛", en = "DanceSport Standard Open" }',
        'name = { zh = "体育舞蹈标准舞公开赛（试用）", en = "DanceSport Standard Open (try-out)" }',
        1,
    )
    path = root / "competition" / "competition.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _store(sessions: sessionmaker[Session], competition: CompetitionModel, secret: bytes) -> tuple[int, dict[str, Any]]:
    """Store the competition, seat the five judges (the chairperson as chief, marking nothing)
    and give every judge a link and PIN; the round's id and each judge's access."""
    with sessions.begin() as db:
        store_competition(db, competition, actor=AUTHOR)
        cid = db.execute(select(Competition.id).where(Competition.key == competition.key)).scalar_one()
        round_id = db.execute(
            select(Round.id).join(Event, Event.id == Round.event_id).where(Event.competition_id == cid)
        ).scalar_one()
        set_panel(db, round_id, JUDGES, CHIEF, actor=AUTHOR)
        ids = dict(db.execute(select(Judge.key, Judge.id).where(Judge.competition_id == cid)).all())
        access = renew_access(db, secret, [ids[k] for k in [CHIEF, *JUDGES]], actor=AUTHOR)
    return round_id, {a["judge"]: a | {"id": ids[a["judge"]]} for a in access}


def _submit_orders(sessions: sessionmaker[Session], round_id: int, access: dict[str, Any], judges: list[str]) -> None:
    """Each judge's whole order submitted as the ordering form submits it: one transaction each."""
    orders = worked_orders()
    for judge in judges:
        with sessions.begin() as db:
            context = round_context(db, round_id)
            write = PlacementsWrite(
                action=SheetAction.SUBMIT,
                client_id=f"demo-order-{judge}",
                base_versions=dict.fromkeys(orders[judge][next(iter(orders[judge]))], 0),
                places=orders[judge],
                device=f"demo-tablet-{judge}",
                author=f"judge:{judge}",
                address="",
            )
            write_placements(db, context, rubric_of(db, context), access[judge]["id"], write)


def set_up_dance(sessions: sessionmaker[Session], data_dir: Path, marks_dir: Path | None) -> dict[str, Any] | None:
    """Both dance competitions stored and judged as the module says, the final's marks file in
    `marks_dir` beside the other examples'; the rounds and the access to print. Without
    `marks_dir` (a demo store with no marks, every round open) nothing is added: None."""
    if marks_dir is None:
        return None
    secret = load_secret(data_dir, None)
    final_round, final_access = _store(sessions, load_competition(EXAMPLE), secret)
    _submit_orders(sessions, final_round, final_access, JUDGES)
    with sessions.begin() as db:
        lock_round(db, round_context(db, final_round), AUTHOR)
    write_marks(marks_dir / KEY)
    try_round, try_access = _store(sessions, load_competition(_try_copy(data_dir)), secret)
    _submit_orders(sessions, try_round, try_access, TRY_SUBMITTED)
    return {"final": (final_round, final_access), "try": (try_round, try_access)}


def dance_lines(base: str, dance: dict[str, Any] | None) -> list[str]:
    """What the demo prints for the dance rounds: the chairperson's sign-in and console, the
    round's results (chief's and organiser's) and, in the open copy, a judge's ordering form."""
    if dance is None:
        return []
    final_round, final = dance["final"]
    try_round, trial = dance["try"]
    judge = trial[JUDGES[3]]
    final_chief, try_chief = final[CHIEF], trial[CHIEF]
    console, try_console = f"{base}/judge/console/{final_round}", f"{base}/judge/console/{try_round}"
    return [
        f"体育舞蹈决赛（已锁定）/ DanceSport final (locked), {KEY}: "
        f"裁判长 / chief {CHIEF}: {base}{final_chief['link']}   PIN {final_chief['pin']}",
        f"  控制台 / console {console}   成绩 / results {console}/results   "
        f"组织者 / organiser {base}/admin/competitions/{KEY}/results",
        f"体育舞蹈试用（开放，3/5 评委已提交）/ DanceSport try-out (open, 3 of 5 orders in), {TRY_KEY}: "
        f"裁判长 / chief {CHIEF}: {base}{try_chief['link']}   PIN {try_chief['pin']}",
        f"  评委 / judge {judge['judge']}: {base}{judge['link']}   PIN {judge['pin']}   "
        f"排名页 / ordering form {base}/judge/placements/{try_round}   控制台 / console {try_console}",
    ]
