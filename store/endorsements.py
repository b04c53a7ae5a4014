"""Repository of endorsements: kudos given for a session on a topic say who teaches that topic well.

A kudos is an endorsement when it carries the topic of the session it thanks for: given with the follow-up's
button, or as a reaction inside the session's group DM. Removing the reaction removes the kudos, and with it the
endorsement; the daily and weekly limits count them like any kudos.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from store.models import Kudos, LearningSession, Member, SessionParticipant, Topic


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
