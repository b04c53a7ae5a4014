"""The statement /learn ranks teachers with: every teacher of the asked topics that can be matched, read from a
random start, with their load and kudos, in one prebuilt query per number of topics."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    bindparam,
    distinct,
    exists,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy import cast as sql_cast

from bot.domain import Level, MatchStatus
from store.models import Kudos, Match, Member, Need, Offer, Topic
from store.repos._prebuilt import _any_of, _count, _Read
from store.repos.learning import OPEN_MATCH


class ExpertRow(NamedTuple):
    """One teacher of one topic, as the matcher needs them (a tuple: /learn makes hundreds of these)."""

    member_id: int
    topic_id: int
    level: Level | None
    note: str | None
    user_id: str
    display_name: str
    tz: str | None
    status_emoji: str | None
    status_text: str | None
    topic_label: str
    open_matches: int = 0
    recent_matches: int = 0  # created since `since`, whatever came of them
    met_learner: bool = False  # an accepted or done match with this learner
    kudos: int = 0
    endorsements: int = 0  # colleagues who thanked them for a session on this very topic


@functools.cache
def _experts_read(topics: int, per_topic: int) -> _Read:
    return _Read(_experts_statement(topics, per_topic))


def _experts_statement(topics: int, per_topic: int) -> Select[*tuple[Any, ...]]:
    """experts_for's query for this many topics, built once and reused with new parameters."""
    # An integer, so PostgreSQL can use the (team, topic, id) index; computed in SQL, so no extra round trip.
    start = sql_cast(bindparam("draw", type_=Float) * select(func.max(Offer.id)).scalar_subquery(), Integer)
    runs = []
    for i in range(topics):
        for lap, after in enumerate((True, False)):
            run = (
                select(Offer.id, Offer.topic_id, literal_column(str(lap)).label("lap"))
                .join(Member, Member.id == Offer.member_id)
                .where(
                    Offer.team_id == bindparam("team"),
                    Offer.topic_id == bindparam(f"topic_{i}"),
                    Offer.id >= start if after else Offer.id < start,
                    Offer.active,
                    Member.active,
                    ~Member.opted_out,
                    ~Member.paused,
                    ~Member.is_bot,
                )
                .order_by(Offer.id)
                .limit(per_topic)
                .subquery()
            )
            runs.append(select(run.c.id, run.c.topic_id, run.c.lap))
    found = union_all(*runs).subquery()
    # The run from the start comes first; the wrapped run fills a topic up to per_topic.
    place = func.row_number().over(partition_by=found.c.topic_id, order_by=(found.c.lap, found.c.id))
    chosen = select(found.c.id, place.label("place")).subquery()
    expert = Offer.member_id
    mine = and_(Match.team_id == bindparam("team"), Match.expert_id == expert)
    return (
        select(
            Offer.member_id,
            Offer.topic_id,
            Offer.level,
            Offer.note,
            Member.user_id,
            Member.display_name,
            Member.tz,
            Member.status_emoji,
            Member.status_text,
            Topic.label,
            _count(Match, mine, _any_of(Match.status, OPEN_MATCH)),
            _count(Match, mine, Match.created_at >= bindparam("since")),
            exists()
            .where(
                mine,
                _any_of(Match.status, (MatchStatus.ACCEPTED, MatchStatus.DONE)),
                Match.need_id.in_(select(Need.id).where(Need.member_id == bindparam("learner"))),
            )
            .correlate(Offer),
            _count(Kudos, Kudos.team_id == bindparam("team"), Kudos.receiver_id == expert),
            select(func.count(distinct(Kudos.giver_id)))
            .where(Kudos.team_id == bindparam("team"), Kudos.topic_id == Offer.topic_id, Kudos.receiver_id == expert)
            .correlate(Offer)
            .scalar_subquery(),
        )
        .join(chosen, chosen.c.id == Offer.id)
        .join(Member, Member.id == Offer.member_id)
        .join(Topic, Topic.id == Offer.topic_id)
        .where(chosen.c.place <= per_topic)
        .order_by(Offer.topic_id, chosen.c.place)
    )
