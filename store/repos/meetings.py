"""Repository of meeting times: a time one person picked and the other is asked to confirm, the sessions that
make someone busy, and moving or cancelling a booked session. Every change that a second click could repeat is a
conditional UPDATE: only the first one changes a row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.domain import MatchStatus, NeedStatus
from store.models import LearningSession, Match, Member, Need, SessionParticipant
from store.sql import rowcount

Interval = tuple[datetime, datetime]
UNTIMED_LENGTH = 30  # minutes a session booked without a length keeps its people busy


class MeetingRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def busy(
        self, member_ids: Sequence[int], start: datetime, end: datetime, *, besides: int | None = None
    ) -> dict[int, list[Interval]]:
        """When each member is in another session (hosting or taking part) between `start` and `end`."""
        window = (
            LearningSession.starts_at.is_not(None),
            LearningSession.starts_at < end,
            LearningSession.starts_at > start - timedelta(days=1),
            LearningSession.cancelled_at.is_(None),
            LearningSession.id != (besides or 0),
        )
        hosted = select(LearningSession.host_id, LearningSession.starts_at, LearningSession.duration_min).where(
            LearningSession.host_id.in_(member_ids), *window
        )
        joined = (
            select(SessionParticipant.member_id, LearningSession.starts_at, LearningSession.duration_min)
            .join(LearningSession, LearningSession.id == SessionParticipant.session_id)
            .where(SessionParticipant.member_id.in_(member_ids), *window)
        )
        found: dict[int, list[Interval]] = defaultdict(list)
        for member_id, starts_at, minutes in [*self.db.execute(hosted), *self.db.execute(joined)]:
            found[member_id].append((starts_at, starts_at + timedelta(minutes=minutes or UNTIMED_LENGTH)))
        return found

    def propose(self, match: Match, by: int, starts_at: datetime, minutes: int, others: Sequence[datetime]) -> None:
        """`by` picked a time: it waits for the other person's yes (a newer pick replaces an older one)."""
        match.proposed_at, match.proposed_minutes, match.proposed_by_id = starts_at, minutes, by
        match.proposed_options = ",".join(str(int(when.timestamp())) for when in others[:5]) or None

    def take_proposal(self, match: Match, starts_at: datetime) -> bool:
        """Consume the pending proposal, if `starts_at` is one of its times; False when it was taken already."""
        if match.proposed_at is None or starts_at not in proposed_times(match):
            return False
        result = self.db.execute(
            update(Match)
            .where(Match.id == match.id, Match.proposed_at == match.proposed_at)
            .values(proposed_at=None, proposed_options=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def move(self, booked: LearningSession, starts_at: datetime, minutes: int) -> None:
        """A session moved: a new invitation (SEQUENCE + 1), and its reminder and follow-up are due again. A "just
        chat" session given its first time had no invitation: its first one is new (SEQUENCE stays 0)."""
        if booked.starts_at is not None:
            booked.sequence += 1
        booked.starts_at, booked.duration_min = starts_at, minutes
        booked.reminder_sent_at = booked.followup_sent_at = None

    def reopen_needs_helped_by(self, expert: Member) -> int:
        """The needs this expert accepted to help with, open again: the expert is leaving, and a need left
        "matched" with nobody would never be matched again."""
        helped = select(Match.need_id).where(Match.expert_id == expert.id, Match.status == MatchStatus.ACCEPTED)
        result = self.db.execute(
            update(Need)
            .where(Need.id.in_(helped), Need.status == NeedStatus.MATCHED)
            .values(status=NeedStatus.OPEN)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    def cancel(self, booked: LearningSession, reason: str | None, now: datetime) -> bool:
        """Call a session off, once; its match no longer takes the expert's room."""
        result = self.db.execute(
            update(LearningSession)
            .where(LearningSession.id == booked.id, LearningSession.cancelled_at.is_(None))
            .values(cancelled_at=now, cancel_reason=reason, sequence=LearningSession.sequence + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            return False
        if booked.match_id is not None:
            self.db.execute(
                update(Match)
                .where(Match.id == booked.match_id)
                .values(
                    status=MatchStatus.CANCELLED,
                    decided_at=func.coalesce(Match.decided_at, now),  # the first answer's time stays
                    proposed_at=None,
                    proposed_options=None,
                )
                .execution_options(synchronize_session=False)
            )
        self.db.refresh(booked)
        return True


def proposed_times(match: Match) -> list[datetime]:
    """The picked time first, then the other free times offered with it."""
    if match.proposed_at is None:
        return []
    others = [datetime.fromtimestamp(int(part), UTC) for part in (match.proposed_options or "").split(",") if part]
    return [match.proposed_at, *others]
