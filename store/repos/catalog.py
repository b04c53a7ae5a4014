"""The catalog aggregate: topics, the aliases learned for them, and the offers of those who teach them (the
query that ranks teachers for /learn lives in experts.py)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from bot.domain import Level, NeedStatus
from store.models import AliasChoice, LearningSession, Match, Member, Need, Offer, SlotInvite, Topic, TopicAlias
from store.repos._prebuilt import _MEMBERS, _OFFERS, _TOPICS, _Read
from store.repos.experts import ExpertRow, _experts_read
from store.repos.learning import LIVE_NEED
from store.repos.people import Someone
from store.sql import Now, insert_ignoring_conflict, rowcount

_TOPIC_BY_NAME = select(Topic).where(Topic.team_id == bindparam("team"), Topic.name == bindparam("name"))
_TOPIC_REF = _Read(
    select(_TOPICS.c.id, _TOPICS.c.name, _TOPICS.c.label).where(
        _TOPICS.c.team_id == bindparam("team"), _TOPICS.c.name == bindparam("name")
    )
)

# Run whenever an ask names nothing known (the catalog looks for other replicas' topics first).
_NEWER_TOPICS = _Read(
    select(_TOPICS.c.id, _TOPICS.c.name, _TOPICS.c.label)
    .where(_TOPICS.c.team_id == bindparam("team"), _TOPICS.c.id > bindparam("after"))
    .order_by(_TOPICS.c.id)
)


class TopicRef(NamedTuple):
    """A topic's row as /learn needs it."""

    id: int
    name: str
    label: str


class TopicRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def ensure(self, team_id: str, name: str, label: str) -> Topic:
        """The topic with this normalised name, created on first use."""
        # Read first: nearly every topic exists already, and a read takes no write lock (SQLite has one for all).
        existing = self.by_name(team_id, name)
        if existing is not None:
            return existing
        values = {"team_id": team_id, "name": name, "label": label, "created_at": self.now()}
        insert_ignoring_conflict(self.db, Topic, values)
        return self.db.scalars(select(Topic).where(Topic.team_id == team_id, Topic.name == name)).one()

    def get(self, topic_id: int) -> Topic | None:
        return self.db.get(Topic, topic_id)

    def by_name(self, team_id: str, name: str) -> Topic | None:
        return self.db.scalar(_TOPIC_BY_NAME, {"team": team_id, "name": name})

    def ref(self, team_id: str, name: str, label: str) -> TopicRef:
        """What `ensure` returns, as a row: read first, created only when missing."""
        row = _TOPIC_REF.first(self.db, {"team": team_id, "name": name})
        if row is None:
            created = self.ensure(team_id, name, label)
            return TopicRef(created.id, created.name, created.label)
        return TopicRef._make(row)

    def names(self, team_id: str) -> list[tuple[int, str, str]]:
        """(id, key, label) of every topic of the workspace someone teaches or wants (for the matcher's index)."""
        taught = select(Offer.topic_id).where(Offer.team_id == team_id)
        wanted = select(Need.topic_id).where(Need.team_id == team_id)
        rows = self.db.execute(
            select(Topic.id, Topic.name, Topic.label).where(
                Topic.team_id == team_id, Topic.id.in_(taught.union(wanted))
            )
        )
        return [(row.id, row.name, row.label) for row in rows]

    def last_id(self, team_id: str) -> int:
        return int(self.db.scalar(select(func.max(Topic.id)).where(Topic.team_id == team_id)) or 0)

    def by_ids(self, ids: Sequence[int]) -> Sequence[Topic]:
        if not ids:
            return []
        return self.db.scalars(select(Topic).where(Topic.id.in_(list(ids)))).all()

    def all_of(self, team_id: str) -> Sequence[Topic]:
        return self.db.scalars(select(Topic).where(Topic.team_id == team_id).order_by(Topic.id)).all()

    def merge(self, source: Topic, target: Topic) -> None:
        """Move everything on `source` to `target` and delete it; what would be twice is kept once.

        An offer of a member who offers the target already goes; a live need of a member who wants the target
        already is cancelled as the duplicate it is; a slot invitation already sent for the target goes.
        """
        on_target = select(Offer.member_id).where(Offer.topic_id == target.id)
        self.db.execute(delete(Offer).where(Offer.topic_id == source.id, Offer.member_id.in_(on_target)))
        self.db.execute(update(Offer).where(Offer.topic_id == source.id).values(topic_id=target.id))
        wanting = select(Need.member_id).where(Need.topic_id == target.id, Need.status.in_(LIVE_NEED))
        self.db.execute(
            update(Need)
            .where(Need.topic_id == source.id, Need.status.in_(LIVE_NEED), Need.member_id.in_(wanting))
            .values(status=NeedStatus.CANCELLED, closed_at=self.now())
        )
        self.db.execute(update(Need).where(Need.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(Match).where(Match.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(LearningSession).where(LearningSession.topic_id == source.id).values(topic_id=target.id))
        invited = select(SlotInvite.expert_id).where(SlotInvite.topic_id == target.id)
        self.db.execute(delete(SlotInvite).where(SlotInvite.topic_id == source.id, SlotInvite.expert_id.in_(invited)))
        self.db.execute(update(SlotInvite).where(SlotInvite.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(TopicAlias).where(TopicAlias.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(AliasChoice).where(AliasChoice.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(delete(Topic).where(Topic.id == source.id))
        self.db.expire_all()

    def rename(self, topic: Topic, name: str, label: str) -> None:
        topic.name, topic.label = name, label

    def newer(self, team_id: str, after_id: int) -> list[tuple[int, str, str]]:
        """(id, key, label) of topics created after `after_id` (by any replica), oldest first."""
        return [(row[0], row[1], row[2]) for row in _NEWER_TOPICS.rows(self.db, {"team": team_id, "after": after_id})]


class OfferRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def upsert(self, member: Member, topic: Topic, level: Level | None, note: str | None) -> tuple[Offer, bool]:
        """Save that `member` teaches `topic`; returns the offer and whether it is new (or re-activated).

        A `note` of None keeps the one the offer has, "" clears it (`/teach python --`)."""
        created = insert_ignoring_conflict(
            self.db,
            Offer,
            {
                "team_id": member.team_id,
                "member_id": member.id,
                "topic_id": topic.id,
                "level": level,
                "note": note or None,
                "active": True,
                "created_at": self.now(),
                "updated_at": self.now(),
            },
        )
        offer = self.db.scalars(select(Offer).where(Offer.member_id == member.id, Offer.topic_id == topic.id)).one()
        if not created:
            created = not offer.active
            offer.active = True
            # A repeated /teach without level or note keeps what was said before.
            offer.level = level or offer.level
            offer.note = offer.note if note is None else note or None
            offer.updated_at = self.now()
        return offer, created

    def for_member(self, member: Member) -> Sequence[Offer]:
        return self.db.scalars(
            select(Offer).where(Offer.member_id == member.id, Offer.active).order_by(Offer.created_at, Offer.id)
        ).all()

    def remove(self, member: Member, topic_ids: Iterable[int]) -> int:
        result = self.db.execute(delete(Offer).where(Offer.member_id == member.id, Offer.topic_id.in_(list(topic_ids))))
        return rowcount(result)

    def teacher_counts(self, team_id: str, topic_ids: Sequence[int]) -> dict[int, int]:
        """How many colleagues teach each of these topics and can be matched now."""
        if not topic_ids:
            return {}
        rows = self.db.execute(
            select(Offer.topic_id, func.count())
            .join(Member, Member.id == Offer.member_id)
            .where(
                Offer.team_id == team_id,
                Offer.topic_id.in_(list(topic_ids)),
                Offer.active,
                Member.active,
                ~Member.opted_out,
                ~Member.paused,
                ~Member.is_bot,
            )
            .group_by(Offer.topic_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()

    def unavailable_teachers(self, team_id: str, topic_id: int, exclude_member: int) -> int:
        """Colleagues who teach this topic but are paused (away or at capacity is seen by ranking)."""
        params = {"team": team_id, "topic": topic_id, "member": exclude_member}
        row = _UNAVAILABLE.first(self.db, params)
        return int(row[0] or 0) if row is not None else 0

    def teaches(self, member: Someone, topic_id: int) -> bool:
        return _TEACHES.first(self.db, {"member": member.id, "topic": topic_id}) is not None

    def co_taught(self, team_id: str, topic_id: int, limit: int = 5) -> list[int]:
        """Topics most often taught by the people who teach (or taught, or are paused on) this one."""
        rows = _CO_TAUGHT.rows(self.db, {"team": team_id, "topic": topic_id, "limit": limit})
        return [topic for topic, _ in rows]

    def withdraw_all(self, member: Member) -> int:
        """Stop every offer of this member (they left, or opted out)."""
        result = self.db.execute(
            update(Offer).where(Offer.member_id == member.id, Offer.active).values(active=False, updated_at=self.now())
        )
        return rowcount(result)

    def experts_for(
        self,
        team_id: str,
        topic_ids: Sequence[int],
        *,
        learner_id: int = 0,
        since: datetime | None = None,
        per_topic: int = 50,
        draw: float | None = None,
    ) -> list[ExpertRow]:
        """Active offers on these topics by members who can be matched, with each expert's load, as plain rows.

        A popular topic has thousands of teachers and /learn shows three, so each topic gives at most `per_topic`,
        read in id order from a random starting id (`draw` of the way up the offer ids), wrapping round. That is an
        index range scan that stops early (sorting all 9,000 teachers of a topic at random took 15 ms), and the
        random start spreads the asks. The load (open matches, matches since `since`, met `learner_id` before)
        and kudos come in the same statement, from indexes, for the rows kept.
        """
        if not topic_ids:
            return []
        params = {
            "team": team_id,
            "draw": random.random() if draw is None else draw,
            "learner": learner_id,
            "since": since or datetime.min.replace(tzinfo=UTC),
        } | {f"topic_{i}": topic for i, topic in enumerate(topic_ids)}
        rows = _experts_read(len(topic_ids), per_topic).rows(self.db, params)
        return list(map(ExpertRow._make, rows))


_UNAVAILABLE = _Read(
    select(func.count())
    .select_from(_OFFERS.join(_MEMBERS, _MEMBERS.c.id == _OFFERS.c.member_id))
    .where(
        _OFFERS.c.team_id == bindparam("team"),
        _OFFERS.c.topic_id == bindparam("topic"),
        _OFFERS.c.active,
        _OFFERS.c.member_id != bindparam("member"),
        _MEMBERS.c.active,
        ~_MEMBERS.c.opted_out,
        ~_MEMBERS.c.is_bot,
    )
)
_TEACHES = _Read(
    select(_OFFERS.c.id).where(
        _OFFERS.c.member_id == bindparam("member"), _OFFERS.c.topic_id == bindparam("topic"), _OFFERS.c.active
    )
)
# From this topic's teachers to their other offers, along the (member, topic) key: a member's offers are all in
# their workspace, and the IN (…) form made SQLite read every offer of the workspace.
_TEACHER = _OFFERS.alias("teacher")
_CO_TAUGHT = _Read(
    select(_OFFERS.c.topic_id, func.count())
    .select_from(_TEACHER.join(_OFFERS, _OFFERS.c.member_id == _TEACHER.c.member_id))
    .where(
        _TEACHER.c.team_id == bindparam("team"),
        _TEACHER.c.topic_id == bindparam("topic"),
        _OFFERS.c.topic_id != bindparam("topic"),
        _OFFERS.c.active,
    )
    .group_by(_OFFERS.c.topic_id)
    .order_by(func.count().desc(), _OFFERS.c.topic_id)
    .limit(bindparam("limit"))
)
