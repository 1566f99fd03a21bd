"""What the landing page links to before a final: each competition's public pages of the stages
decided before anyone meets in a hall (issue 13), as far as each is public.

- a call for entries (作品征集) once the organiser has made it public: /calls/{key}
- a selection by nomination (推荐评选): its call at /nominations/{key}, and its notice (公示) or
  its published list once there is one
- an online paper's board once published: /online/results/{key}/{paper}

Read from the store only (the public area never imports another area); nothing unpublished is
named. It does not render: the landing page (public/pages.py) says the words.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.store.nomination_models import NominationCall, NominationList
from scoring.store.online_models import OnlinePaper
from scoring.store.works_models import WorkCall

# (competition id) -> [(words key or title, zh/en title or None, address)]
Link = tuple[str, tuple[str, str] | None, str]


def public_stage_links(db: Session, keys: dict[int, str]) -> dict[int, list[Link]]:
    """Per competition id (of `keys`, id -> key), the public pages of its stages before the final."""
    links: dict[int, list[Link]] = defaultdict(list)
    for competition_id in db.execute(select(WorkCall.competition_id).where(WorkCall.published.is_(True))).scalars():
        if competition_id in keys:
            links[competition_id].append(("works_call", None, f"/calls/{keys[competition_id]}"))
    calls = db.execute(select(NominationCall.id, NominationCall.competition_id)).all()
    kinds = defaultdict(set)
    for call_id, kind in db.execute(select(NominationList.call_id, NominationList.kind)).all():
        kinds[call_id].add(kind)
    for call_id, competition_id in calls:
        if competition_id not in keys:
            continue
        base = f"/nominations/{keys[competition_id]}"
        links[competition_id].append(("nomination_call", None, base))
        if "final" in kinds[call_id]:
            links[competition_id].append(("nomination_list", None, f"{base}/list"))
        elif "notice" in kinds[call_id]:
            links[competition_id].append(("nomination_notice", None, f"{base}/notice"))
    papers = db.execute(
        select(OnlinePaper.competition_id, OnlinePaper.key, OnlinePaper.title_zh, OnlinePaper.title_en)
        .where(OnlinePaper.published_at.is_not(None))
        .order_by(OnlinePaper.id)
    ).all()
    for competition_id, paper, zh, en in papers:
        if competition_id in keys:
            links[competition_id].append(("online_board", (zh, en), f"/online/results/{keys[competition_id]}/{paper}"))
    return dict(links)
