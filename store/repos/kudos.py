"""The kudos aggregate: thanks given with a reaction or a button, and the endorsements among them.

Endorsements: kudos given for a session on a topic say who teaches that topic well.

A kudos is an endorsement when it carries the topic of the session it thanks for: given with the follow-up's
button, or as a reaction inside the session's group DM. Removing the reaction removes the kudos, and with it the
endorsement; the daily and weekly limits count them like any kudos.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, and_, delete, distinct, func, or_, select, update
from sqlalchemy.orm import Session

from store.models import Kudos, LearningSession, Member, SessionParticipant, Topic
from store.sql import Now, insert_ignoring_conflict, rowcount


class KudosRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def add(
        self,
        giver: Member,
        receiver: Member,
        channel: str,
        message_ts: str,
        emoji: str,
        day: date,
        topic_id: int | None = None,
    ) -> bool:
        """Record a kudos (an endorsement for `topic_id`, when given for a session on it); False when this giver
        already gave it for this message and emoji."""
        values = {
            "topic_id": topic_id,
            "team_id": giver.team_id,
            "giver_id": giver.id,
            "receiver_id": receiver.id,
            "channel_id": channel,
            "message_ts": message_ts,
            "emoji": emoji,
            "giver_day": day,
            "created_at": self.now(),
        }
        return insert_ignoring_conflict(self.db, Kudos, values)

    def take_unnotified(self, receiver: Member) -> list[tuple[str, str, str, str | None]]:
        """(giver user id, channel, message ts, the topic of the session it thanks for) of kudos the receiver has
        not been told about; marks them told."""
        rows = self.db.execute(
            select(Kudos.id, Member.user_id, Kudos.channel_id, Kudos.message_ts, Topic.label)
            .join(Member, Member.id == Kudos.giver_id)
            .outerjoin(Topic, Topic.id == Kudos.topic_id)
            .where(Kudos.receiver_id == receiver.id, Kudos.notified_at.is_(None))
            .order_by(Kudos.created_at, Kudos.id)
            .with_for_update(of=Kudos)
        ).all()
        if rows:
            self.db.execute(
                update(Kudos).where(Kudos.id.in_([row.id for row in rows])).values(notified_at=self.now()),
                execution_options={"synchronize_session": False},
            )
        return [(row.user_id, row.channel_id, row.message_ts, row.label) for row in rows]

    def exists(self, giver: Member, channel: str, message_ts: str, emoji: str) -> bool:
        return self.db.scalar(self._one(giver, channel, message_ts, emoji).exists().select()) or False

    def given_between(self, giver: Member, first: date, last: date, receiver: Member | None = None) -> int:
        """Kudos this giver gave on days first..last (workspace days), optionally to one receiver."""
        query = select(func.count()).where(
            Kudos.giver_id == giver.id, Kudos.giver_day >= first, Kudos.giver_day <= last
        )
        if receiver is not None:
            query = query.where(Kudos.receiver_id == receiver.id)
        return int(self.db.scalar(query) or 0)

    def _one(self, giver: Member, channel: str, message_ts: str, emoji: str) -> Select[Kudos]:
        return select(Kudos).where(
            Kudos.team_id == giver.team_id,
            Kudos.giver_id == giver.id,
            Kudos.channel_id == channel,
            Kudos.message_ts == message_ts,
            Kudos.emoji == emoji,
        )

    def remove(self, giver: Member, channel: str, message_ts: str, emoji: str) -> bool:
        result = self.db.execute(
            delete(Kudos).where(
                Kudos.team_id == giver.team_id,
                Kudos.giver_id == giver.id,
                Kudos.channel_id == channel,
                Kudos.message_ts == message_ts,
                Kudos.emoji == emoji,
            )
        )
        return rowcount(result) > 0


class EndorsementRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def session_topic(self, team_id: str, channel: str, giver: Member, receiver: Member) -> int | None:
        """The topic of the session held in this channel (its group DM), if the giver learnt from the receiver
        there: a thank-you in the room of a session is for that session."""
        query = (
            select(LearningSession.topic_id)
            .join(SessionParticipant, SessionParticipant.session_id == LearningSession.id)
            .where(
                LearningSession.team_id == team_id,
                LearningSession.channel_id == channel,
                LearningSession.host_id == receiver.id,
                LearningSession.cancelled_at.is_(None),
                SessionParticipant.member_id == giver.id,
            )
            .order_by(LearningSession.id.desc())
            .limit(1)
        )
        return self.db.scalar(query)

    def counts(self, team_id: str, topic_ids: Sequence[int], member_ids: Sequence[int]) -> dict[int, int]:
        """member id → how many colleagues endorsed them for any of these topics."""
        if not topic_ids or not member_ids:
            return {}
        query = (
            select(Kudos.receiver_id, func.count(distinct(Kudos.giver_id)))
            .where(
                Kudos.team_id == team_id,
                Kudos.topic_id.in_(list(topic_ids)),
                Kudos.receiver_id.in_(list(member_ids)),
            )
            .group_by(Kudos.receiver_id)
        )
        return {member_id: int(count) for member_id, count in self.db.execute(query)}

    def withdraw_for(self, booked: LearningSession, button_prefix: str) -> int:
        """A session called off endorses nobody: thanks its learners gave the host for it since it was booked (a
        reaction in its group DM, or its follow-up's button, whose message ts is `button_prefix` + its id) stay
        kudos, but no longer endorse the host for its topic. A button of another session keeps its endorsement."""
        learners = select(SessionParticipant.member_id).where(SessionParticipant.session_id == booked.id)
        reaction_in_its_room = and_(
            Kudos.channel_id == (booked.channel_id or ""), Kudos.message_ts.not_like(f"{button_prefix}%")
        )
        result = self.db.execute(
            update(Kudos)
            .where(
                Kudos.team_id == booked.team_id,
                Kudos.receiver_id == booked.host_id,
                Kudos.giver_id.in_(learners),
                Kudos.topic_id == booked.topic_id,
                Kudos.created_at >= booked.created_at,
                or_(Kudos.message_ts == f"{button_prefix}{booked.id}", reaction_in_its_room),
            )
            .values(topic_id=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    def of_member(self, member: Member) -> list[tuple[str, int]]:
        """(topic label, colleagues who endorsed them for it), most endorsed first."""
        endorsers = func.count(distinct(Kudos.giver_id))
        query = (
            select(Topic.label, endorsers)
            .join(Topic, Topic.id == Kudos.topic_id)
            .where(Kudos.receiver_id == member.id)
            .group_by(Topic.label)
            .order_by(endorsers.desc(), Topic.label)
        )
        return [(label, int(count)) for label, count in self.db.execute(query)]

    def by_user_topic(self, team_id: str) -> dict[tuple[str, str], int]:
        """(user id, topic label) → endorsers, for the export."""
        query = (
            select(Member.user_id, Topic.label, func.count(distinct(Kudos.giver_id)))
            .join(Member, Member.id == Kudos.receiver_id)
            .join(Topic, Topic.id == Kudos.topic_id)
            .where(Kudos.team_id == team_id)
            .group_by(Member.user_id, Topic.label)
        )
        return {(user, topic): int(count) for user, topic, count in self.db.execute(query)}
