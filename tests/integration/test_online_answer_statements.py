"""How much database work one contestant's answer costs (issue 13, the hot path of an online
drill): the statements it runs, counted on the engine. A count, not a time: it fails when a change
adds queries to the answer path, and lists them."""

from __future__ import annotations

from tests.integration.test_online_papers import answer, links, make_paper, setup_bank, start, token_of
from tests.integration.test_write_statements import counted_statements
from tests.integration.world import ok


def work(seen: list[str]) -> list[str]:
    """The statements that read or write (SQLite's BEGIN and BEGIN IMMEDIATE are the read's and
    the writers' queue's, not the answer's)."""
    return [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def test_a_warm_online_answer_runs_few_statements(world):
    setup_bank(world)
    make_paper(
        world,
        key="prelim",
        kind="preliminary",
        title_zh="初赛",
        time_limit_minutes=30,
        questions=["s01", "s09", "s12"],
        shuffle=False,
    )
    token = token_of(links(world)["contestants"][0]["link"])
    attempt = start(world, token, "prelim")
    ok(answer(world, token, attempt, "s01", "B"))  # warms the caches (bank, paper from its seed)
    with counted_statements() as seen:
        first = ok(answer(world, token, attempt, "s09", "AB", client_id="c9"))
        again = ok(answer(world, token, attempt, "s12", "TRUE"))
    assert (first["replayed"], again["replayed"]) == (False, False)
    # per answer: one read (the link's contestant, their attempt, its paper, a retry's earlier
    # answer: scoring/store/online_answering.py), then the write: the attempt's state, one row.
    # 7 statements each before the read was one (competition, contestant, attempt, paper, retry)
    assert len(work(seen)) / 2 <= 3, "\n".join(seen)
    with counted_statements() as retried:
        replay = ok(answer(world, token, attempt, "s09", "AB", client_id="c9"))
    assert replay["replayed"] is True
    assert len(work(retried)) <= 1, "\n".join(retried)  # a retry is answered from the read, no write
