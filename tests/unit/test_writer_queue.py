"""SQLite's writers of one process queue in order (scoring/store/database.py WriterQueue): one at
a time, in the order they came, re-entrant for the thread that holds the queue."""

from __future__ import annotations

import threading
import time

from sqlalchemy import create_engine

from scoring.store.database import WriterQueue, writer_queue


def test_writers_take_their_turn_in_the_order_they_came_and_one_at_a_time():
    queue = WriterQueue()
    order: list[int] = []
    inside = 0
    most = 0
    guard = threading.Lock()

    def write(n: int) -> None:
        nonlocal inside, most
        with queue:
            with guard:
                inside += 1
                most = max(most, inside)
            order.append(n)
            time.sleep(0.001)
            with guard:
                inside -= 1

    threads = []
    with queue:  # held: every writer that comes now waits, in the order it came
        for n in range(8):
            thread = threading.Thread(target=write, args=(n,))
            thread.start()
            threads.append(thread)
            while len(queue._waiting) < n + 1:  # until it is in the queue
                time.sleep(0.001)
    for thread in threads:
        thread.join(timeout=10)
    assert order == list(range(8))
    assert most == 1


def test_the_holder_may_enter_again_and_postgresql_needs_no_queue():
    queue = WriterQueue()
    with queue, queue:
        assert queue._depth == 2
    assert queue._owner is None
    sqlite = create_engine("sqlite://")
    assert writer_queue(sqlite) is writer_queue(sqlite)
    assert writer_queue(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")) is None
