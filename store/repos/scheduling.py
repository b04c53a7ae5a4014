"""Repositories of the scheduler's due work. Every "do it once" is a conditional UPDATE or a unique key, so two
schedulers (or one restarted half-way) can both look and only one acts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from bot.domain import MatchStatus
from store.models import DigestRun, Kudos, LearningSession, Match, Member, SessionParticipant, Workspace
from store.sql import insert_ignoring_conflict, rowcount


def _served(team_column: Any) -> ColumnElement[bool]:
    """Only workspaces the app is still installed in: an uninstalled one gets no scheduled messages."""
    return team_column.in_(select(Workspace.team_id).where(Workspace.uninstalled_at.is_(None)))


# A claim nobody finished is retried after this long, doubling per attempt (a Slack outage is not hammered).
LEASE = timedelta(minutes=5)
MAX_LEASE = timedelta(hours=2)


class DigestRunRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, team_id: str, iso_year: int, iso_week: int) -> DigestRun | None:
        return self.db.scalar(
            select(DigestRun).where(
                DigestRun.team_id == team_id, DigestRun.iso_year == iso_year, DigestRun.iso_week == iso_week
            )
        )

    def claim(
        self,
        team_id: str,
        iso_year: int,
        iso_week: int,
        now: datetime,
        *,
        force: bool = False,
        again_if_nothing: bool = False,
    ) -> DigestRun | None:
        """Take this week's digest to post; None when it is posted, failed for good, or someone holds the claim.
        `again_if_nothing`: a week done with nothing to report (posted_at without a message) may be taken again.

        The caller commits before posting, so every other process sees the claim.
        """
        insert_ignoring_conflict(
            self.db,
            DigestRun,
            {"team_id": team_id, "iso_year": iso_year, "iso_week": iso_week, "attempts": 0, "created_at": now},
        )
        run = self.get(team_id, iso_year, iso_week)
        assert run is not None
        if not force:
            nothing = run.posted_at is not None and run.message_ts is None
            if (run.posted_at is not None and not (again_if_nothing and nothing)) or run.error is not None:
                return None
            if run.claimed_at is not None and run.claimed_at > now - min(
                LEASE * 2 ** max(run.attempts - 1, 0), MAX_LEASE
            ):
                return None
        # Optimistic: the attempt count we read must still be there, so of two claimers exactly one wins.
        won = self.db.execute(
            update(DigestRun)
            .where(DigestRun.id == run.id, DigestRun.attempts == run.attempts)
            # A week done with nothing to report, taken again (on demand): not done until this attempt posts.
            .values(claimed_at=now, attempts=DigestRun.attempts + 1, error=None)
            .values(**({"posted_at": None} if run.message_ts is None else {})),
            execution_options={"synchronize_session": False},
        )
        if rowcount(won) != 1:
            return None
        self.db.refresh(run)
        return run

    def posted(self, run_id: int, channel: str, ts: str, now: datetime) -> None:
        self.db.execute(
            update(DigestRun).where(DigestRun.id == run_id).values(channel_id=channel, message_ts=ts, posted_at=now)
        )

    def nothing_to_report(self, run_id: int, now: datetime) -> None:
        """Done with no message (nothing to report); a digest posted earlier this week keeps its record. No attempt
        or claim is left outstanding, so taking the week again later is not mistaken for a crashed post."""
        self.db.execute(
            update(DigestRun)
            .where(DigestRun.id == run_id, DigestRun.message_ts.is_(None))
            .values(posted_at=now, channel_id=None, attempts=0, claimed_at=None)
        )

    def failed(self, run_id: int, channel: str | None, error: str) -> bool:
        """Record why Slack refused it for good this week; True when last week's run did not fail the same way."""
        run = self.db.get_one(DigestRun, run_id)
        run.channel_id, run.error = channel, error[:64]
        previous = self.db.scalar(
            select(DigestRun)
            .where(DigestRun.team_id == run.team_id, DigestRun.id != run.id, DigestRun.created_at < run.created_at)
            .order_by(DigestRun.created_at.desc(), DigestRun.id.desc())
            .limit(1)
        )
        return previous is None or previous.error != run.error or previous.channel_id != channel

    def latest(self, team_id: str) -> DigestRun | None:
        return self.db.scalar(
            select(DigestRun)
            .where(DigestRun.team_id == team_id)
            .order_by(DigestRun.iso_year.desc(), DigestRun.iso_week.desc())
            .limit(1)
        )


class DueRepo:
    """Sessions, asks and kudos whose moment has come."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def starting(self, now: datetime, within: timedelta) -> Sequence[LearningSession]:
        """Sessions starting in the next `within` that have had no reminder."""
        return self.db.scalars(
            select(LearningSession)
            .where(
                LearningSession.starts_at > now,
                LearningSession.starts_at <= now + within,
                LearningSession.reminder_sent_at.is_(None),
                LearningSession.cancelled_at.is_(None),
                _served(LearningSession.team_id),
            )
            .order_by(LearningSession.starts_at, LearningSession.id)
        ).all()

    def ended(self, now: datetime, after: timedelta, horizon: timedelta) -> Sequence[LearningSession]:
        """Sessions that started at least `after` ago (but not before `horizon`) and have had no follow-up.

        "Just chat" sessions have no time: their booking time stands in. The caller adds each one's length.
        """
        timed = and_(LearningSession.starts_at <= now - after, LearningSession.starts_at > now - horizon)
        untimed = and_(
            LearningSession.starts_at.is_(None),
            LearningSession.created_at <= now - after,
            LearningSession.created_at > now - horizon,
        )
        return self.db.scalars(
            select(LearningSession)
            .where(
                or_(timed, untimed),
                LearningSession.followup_sent_at.is_(None),
                LearningSession.cancelled_at.is_(None),
                _served(LearningSession.team_id),
            )
            .order_by(LearningSession.id)
        ).all()

    def mark_reminded(self, booked: LearningSession, now: datetime) -> bool:
        """Claim the reminder; False when another scheduler already sent it."""
        return self._mark(booked, "reminder_sent_at", now)

    def mark_followed_up(self, booked: LearningSession, now: datetime) -> bool:
        return self._mark(booked, "followup_sent_at", now)

    def _mark(self, booked: LearningSession, name: str, now: datetime) -> bool:
        result = self.db.execute(
            update(LearningSession)
            .where(LearningSession.id == booked.id, getattr(LearningSession, name).is_(None))
            .values({name: now}),
            execution_options={"synchronize_session": False},
        )
        return rowcount(result) == 1

    def people(self, booked: LearningSession) -> tuple[Member, list[Member]]:
        """The host and the participants of a session."""
        host = self.db.get_one(Member, booked.host_id)
        joined = self.db.scalars(
            select(Member)
            .join(SessionParticipant, SessionParticipant.member_id == Member.id)
            .where(SessionParticipant.session_id == booked.id)
            .order_by(SessionParticipant.joined_at, Member.id)
        ).all()
        return host, list(joined)

    def unanswered(self, before: datetime, limit: int = 100) -> Sequence[Match]:
        """Asks the expert has not answered since `before` (offers wait for the learner, who is not re-routed)."""
        return self.db.scalars(
            select(Match)
            .where(
                Match.status == MatchStatus.PROPOSED,
                Match.created_at <= before,
                ~Match.offered_by_expert,
                _served(Match.team_id),
            )
            .order_by(Match.created_at, Match.id)
            .limit(limit)
        ).all()

    def untold_kudos(self, before: datetime, limit: int = 500) -> list[tuple[str, str]]:
        """(team, receiver user id) with kudos nobody told them about, older than the batching window."""
        rows = self.db.execute(
            select(Kudos.team_id, Member.user_id)
            .join(Member, Member.id == Kudos.receiver_id)
            .where(Kudos.notified_at.is_(None), Kudos.created_at < before, _served(Kudos.team_id))
            .group_by(Kudos.team_id, Member.user_id)
            .limit(limit)
        ).all()
        return [(team, user) for team, user in rows]
