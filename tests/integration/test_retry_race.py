"""A retry racing its own original (same client id, same body) is answered as a replay, on
SQLite and on PostgreSQL: it waits for the sheet's row, then finds the original's version."""

from __future__ import annotations

import threading
import time

import pytest

from scoring.store.sheets import record_write
from tests.helpers import committed
from tests.integration.test_store import RUBRIC, hydrant, versions, write  # noqa: F401  (the fixture)


@pytest.mark.parametrize("first_write", [True, False], ids=["new-sheet", "existing-sheet"])
def test_a_retry_racing_its_original_is_a_replay_not_a_stale_write(sessions, hydrant, first_write):  # noqa: F811
    base = 0
    if not first_write:
        committed(sessions, record_write, write(hydrant, marks={"lay_hose": "10"}), RUBRIC)
        base = 1
    same = write(hydrant, base=base, marks={"lay_hose": "12"}, client_id="tablet-1-retried")
    original_written, retry_started = threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def original() -> None:
        with sessions.begin() as db:  # holds the sheet until the retry is waiting for it
            answers["original"] = record_write(db, same, RUBRIC)
            original_written.set()
            retry_started.wait(timeout=10)
            time.sleep(0.3)  # let the retry reach the sheet's row and wait there

    def retry() -> None:
        original_written.wait(timeout=10)
        retry_started.set()
        try:
            answers["retry"] = committed(sessions, record_write, same, RUBRIC)
        except Exception as exc:  # recorded, so the assertion below shows what it was
            answers["retry"] = exc

    threads = [threading.Thread(target=original), threading.Thread(target=retry)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    first, again = answers["original"], answers["retry"]
    assert not isinstance(again, Exception), repr(again)
    assert again.version == first.version == base + 1 and again.replayed is True and first.replayed is False
    assert versions(sessions) == base + 1
