"""The judges' home page links an expert on a selection's panel to its ballot (judges/pages.py,
scoring/store/nominations.py `panels_sat_on`); a judge off the panel gets no such link."""

from __future__ import annotations

from tests.integration.nomination_steps import KEY, open_call

BALLOT = f'href="/deliberation/{KEY}"'


def test_nomination_ballot_linked_from_the_home_page_of_a_panel_expert_only(world):
    assert BALLOT not in world.judge.get("/judge/?lang=zh").text  # no call yet: no link
    open_call(world)  # panel e1 (the world's judge), e2, e4
    zh = world.judge.get("/judge/?lang=zh")
    assert zh.status_code == 200 and BALLOT in zh.text and "推选投票 · 最美护林员推选" in zh.text
    en = world.judge.get("/judge/?lang=en").text
    assert BALLOT in en and "Selection ballot · " in en
    assert BALLOT not in world.signed_in("e3").get("/judge/?lang=zh").text  # e3 is not on the panel
    ballot = world.judge.get(f"/deliberation/{KEY}?lang=zh")
    assert ballot.status_code == 200  # the link leads to the expert's ballot page
