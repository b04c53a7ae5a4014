"""When the data was last written: the console trial's clock, restarted, goes on from there (bot/trial/clock.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import (
    DigestRun,
    Kudos,
    LearningSession,
    Match,
    Member,
    Need,
    Offer,
    ProcessedEvent,
    SessionParticipant,
    SlotInvite,
    Topic,
    Workspace,
)

# Every column that records when something happened (read from the app's clock as it happened). Times the data
# is about (a session's start, a proposed time, the end of someone's Slack status) are not among them: a session
# booked for next week is no sign that the clock reached next week.
RECORDED = (
    Workspace.created_at,
    Member.created_at,
    Member.refreshed_at,
    Topic.created_at,
    Offer.updated_at,
    Need.created_at,
    Need.closed_at,
    Match.created_at,
    Match.decided_at,
    LearningSession.created_at,
    LearningSession.reminder_sent_at,
    LearningSession.followup_sent_at,
    LearningSession.cancelled_at,
    SessionParticipant.joined_at,
    Kudos.created_at,
    Kudos.notified_at,
    DigestRun.posted_at,
    DigestRun.claimed_at,
    SlotInvite.created_at,
    ProcessedEvent.received_at,
)


class TimelineRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def latest(self) -> datetime | None:
        """The latest moment anything was recorded, across every workspace; None for an empty database."""
        row = self.db.execute(select(*(select(func.max(column)).scalar_subquery() for column in RECORDED))).one()
        return max((when for when in row if when is not None), default=None)
