"""Repository of group slots: who is invited to host one, who joined. Every "once" is a conditional UPDATE or a
unique key, so two schedulers (or one restarted half-way) can both look and only one acts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from bot.domain import InviteStatus, NeedStatus, SessionKind
from store.models import LearningSession, Member, Need, Offer, SessionParticipant, SlotInvite, Topic
from store.repos.scheduling import _served as served
from store.sql import insert_ignoring_conflict, rowcount


def _unseated() -> ColumnElement[bool]:
    """A need whose learner has no seat in a group slot on its topic: one who joined a slot was served by it, and
    does not bring a second host for the same learners once it has started."""
    seated = (
        select(SessionParticipant.member_id, LearningSession.topic_id)
        .join(LearningSession, LearningSession.id == SessionParticipant.session_id)
        .where(LearningSession.kind == SessionKind.SLOT, LearningSession.cancelled_at.is_(None))
    )
    return tuple_(Need.member_id, Need.topic_id).not_in(seated)


class SlotRepo:
    """Group slots: who is invited to host one, and who joined."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def wanted_topics(
        self, now: datetime, min_needs: int, pending: timedelta, limit: int = 50
    ) -> list[tuple[str, int, int]]:
        """(team, topic id, open needs) with at least `min_needs` learners waiting, no upcoming slot and no
        invitation still waiting for an answer."""
        # Uncorrelated subqueries: the busy topics are read once, not once per need (9 s → 0.1 s at 100k members).
        slotted = select(LearningSession.topic_id).where(
            LearningSession.kind == SessionKind.SLOT, LearningSession.starts_at > now
        )
        invited = select(SlotInvite.topic_id).where(
            SlotInvite.status == InviteStatus.INVITED, SlotInvite.created_at > now - pending
        )
        taught = select(Offer.topic_id).where(Offer.active)  # a topic nobody teaches has nobody to invite
        rows = self.db.execute(
            select(Need.team_id, Need.topic_id, func.count())
            .join(Member, Member.id == Need.member_id)
            .where(
                Need.status == NeedStatus.OPEN,
                Member.active,
                Need.topic_id.in_(taught),
                Need.topic_id.not_in(slotted),
                Need.topic_id.not_in(invited),
                _unseated(),
                served(Need.team_id),
            )
            .group_by(Need.team_id, Need.topic_id)
            .having(func.count() >= min_needs)
            .order_by(func.count().desc(), Need.topic_id)
            .limit(limit)
        ).all()
        return [(team, topic, count) for team, topic, count in rows]

    def retire_unavailable(self) -> int:
        """Invitations still waiting on someone who has since opted out, paused or left: expired now, so the next
        host is asked instead of the topic waiting 48 hours on someone who will not host."""
        unavailable = select(Member.id).where(or_(Member.opted_out, Member.paused, ~Member.active))
        result = self.db.execute(
            update(SlotInvite)
            .where(SlotInvite.status == InviteStatus.INVITED, SlotInvite.expert_id.in_(unavailable))
            .values(status=InviteStatus.EXPIRED),
            execution_options={"synchronize_session": False},
        )
        return rowcount(result)

    def invited_experts(self, topic_id: int) -> set[int]:
        return set(self.db.scalars(select(SlotInvite.expert_id).where(SlotInvite.topic_id == topic_id)))

    def invite(self, team_id: str, topic_id: int, expert_id: int, now: datetime) -> SlotInvite | None:
        """Record the invitation; None when this expert was already asked about this topic, or another expert's
        invitation to it still waits for an answer (one host at a time)."""
        # Two schedulers at once (a double leader, a restart) must not invite two hosts for the same learners: the
        # topic's row is held while looking (PostgreSQL; SQLite has one writer at a time already). NO KEY UPDATE
        # does not block the offers and needs inserted for the topic meanwhile.
        self.db.execute(select(Topic.id).where(Topic.id == topic_id).with_for_update(key_share=True))
        waiting = select(SlotInvite.id).where(
            SlotInvite.topic_id == topic_id, SlotInvite.status == InviteStatus.INVITED
        )
        if self.db.scalar(waiting.limit(1)) is not None:
            return None
        created = insert_ignoring_conflict(
            self.db,
            SlotInvite,
            {
                "team_id": team_id,
                "topic_id": topic_id,
                "expert_id": expert_id,
                "status": InviteStatus.INVITED,
                "created_at": now,
            },
        )
        if not created:
            return None
        return self.db.scalar(
            select(SlotInvite).where(SlotInvite.topic_id == topic_id, SlotInvite.expert_id == expert_id)
        )

    def get_invite(self, team_id: str, invite_id: int) -> SlotInvite | None:
        return self.db.scalar(select(SlotInvite).where(SlotInvite.team_id == team_id, SlotInvite.id == invite_id))

    def answer(self, invite: SlotInvite, to: InviteStatus, session_id: int | None = None) -> bool:
        """Move an invitation on from INVITED, once."""
        result = self.db.execute(
            update(SlotInvite)
            .where(SlotInvite.id == invite.id, SlotInvite.status == InviteStatus.INVITED)
            .values(status=to, session_id=session_id),
            execution_options={"synchronize_session": False},
        )
        return rowcount(result) == 1

    def expire_invites(self, before: datetime) -> int:
        result = self.db.execute(
            update(SlotInvite)
            .where(SlotInvite.status == InviteStatus.INVITED, SlotInvite.created_at <= before)
            .values(status=InviteStatus.EXPIRED)
        )
        return rowcount(result)

    def open_slot(
        self, invite: SlotInvite, starts_at: datetime, duration_min: int, capacity: int, now: datetime
    ) -> LearningSession:
        slot = LearningSession(
            team_id=invite.team_id,
            kind=SessionKind.SLOT,
            topic_id=invite.topic_id,
            host_id=invite.expert_id,
            starts_at=starts_at,
            duration_min=duration_min,
            capacity=capacity,
            created_at=now,
        )
        self.db.add(slot)
        self.db.flush()
        return slot

    def get(self, team_id: str, slot_id: int, *, lock: bool = False) -> LearningSession | None:
        query = select(LearningSession).where(
            LearningSession.team_id == team_id,
            LearningSession.id == slot_id,
            LearningSession.kind == SessionKind.SLOT,
        )
        slot = self.db.scalar(query)
        if slot is not None and lock:
            # A no-op UPDATE holds the row on PostgreSQL and takes SQLite's write lock: count-then-join cannot race.
            self.db.execute(
                update(LearningSession).where(LearningSession.id == slot.id).values(capacity=LearningSession.capacity),
                execution_options={"synchronize_session": False},
            )
        return slot

    def count(self, slot: LearningSession) -> int:
        query = select(func.count()).where(SessionParticipant.session_id == slot.id)
        return int(self.db.scalar(query) or 0)

    def join(self, slot: LearningSession, member: Member, now: datetime) -> bool:
        return insert_ignoring_conflict(
            self.db, SessionParticipant, {"session_id": slot.id, "member_id": member.id, "joined_at": now}
        )

    def leave(self, slot: LearningSession, member: Member) -> bool:
        result = self.db.execute(
            delete(SessionParticipant).where(
                SessionParticipant.session_id == slot.id, SessionParticipant.member_id == member.id
            )
        )
        return rowcount(result) == 1

    def announced(self, slot: LearningSession, channel: str, ts: str) -> None:
        slot.channel_id, slot.message_ts = channel, ts

    def waiting_learners(self, team_id: str, topic_id: int, limit: int) -> Sequence[Member]:
        """Members with an open need on the topic and no seat in a slot on it, oldest need first."""
        return self.db.scalars(
            select(Member)
            .join(Need, and_(Need.member_id == Member.id, Need.topic_id == topic_id))
            .where(
                Need.team_id == team_id,
                Need.status == NeedStatus.OPEN,
                Member.active,
                _unseated(),
            )
            .order_by(Need.created_at, Need.id)
            .limit(limit)
        ).all()
