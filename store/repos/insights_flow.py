"""The insights' flow from ask to session: the funnel, the waits and the weekly asks, as SQL aggregates over one
tenant and window. InsightsRepo (store/repos/insights.py) takes these queries on; they live apart to keep each
module short.

Opted-out learners are left out; a cancelled session counts nowhere (NOT_CANCELLED); no learner comes back by name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from bot.domain import SESSION_TS, MatchStatus
from store.models import Kudos, LearningSession, Match, Member, Need
from store.repos.reports import NOT_CANCELLED

# As the partial index says it, in words (a bound parameter would not match it).
FOLLOW_UP_KUDOS = Kudos.message_ts.like(literal_column(f"'{SESSION_TS}%'"))
# An ask that was answered yes, whatever became of it after (done, or its session called off).
ACCEPTED = (MatchStatus.ACCEPTED, MatchStatus.DONE, MatchStatus.CANCELLED)


def week_of(column: Any, start: datetime, dialect: str) -> ColumnElement[int]:
    """The 0-based week of `column` counted from `start`, computed by the database (no rows come back)."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column - literal(start)) / 604800), Integer)
    # SQLite keeps UTC datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text, which julianday() reads.
    return cast((func.julianday(column) - func.julianday(literal(start.strftime("%Y-%m-%d %H:%M:%S")))) / 7, Integer)


def seconds_between(earlier: Any, later: Any, dialect: str) -> ColumnElement[float]:
    """`later - earlier` in seconds, computed by the database."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float)  # numeric since PostgreSQL 14
    # julianday() keeps about 20 µs of precision at today's dates: far below the tenth of an hour the page shows.
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


class FlowQueries:
    """Needs declared in a window and how far each got.

    `workspace`: one workspace of an Enterprise Grid org (its members' numbers only: needs of its learners, offers
    and sessions of its teachers, kudos its people received); None for the whole tenant."""

    def __init__(self, db: Session, workspace: str | None = None) -> None:
        self.db = db
        self.workspace = workspace
        self.dialect = db.get_bind().dialect.name
        if self.dialect == "postgresql":
            # For this transaction only. These aggregates are costed high enough for PostgreSQL to compile them
            # (JIT): at 100,000 members that took 0.4 s of took_part()'s 0.74 s, more than it saved. And grouping
            # 300,000 offers by member spilled to disk with the default 4 MB of work_mem (0.2 s).
            db.execute(text("SET LOCAL jit = off"))
            db.execute(text("SET LOCAL work_mem = '32MB'"))

    def funnel(self, team_id: str, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
        """Needs declared in the window, and how far each got: accepted, a time agreed, held, "it helped"; with the
        declines, re-routes and cancellations on the way. "It helped" is the follow-up's own answer to "Did it
        help?" after a held session: the learner gave the teacher kudos from it, or marked the need done (which
        only that button does: the match becomes done).

        The window's matches are read once, each with its session (a match has one at most), and folded per need;
        six subqueries correlated on every need of a year took 0.6 s."""
        booked = and_(LearningSession.starts_at.is_not(None), NOT_CANCELLED)

        def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
            return func.max(case((condition, 1), else_=0))

        def tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
            return func.sum(case((condition, 1), else_=0))

        asked = aliased(Need)
        thanked = (
            select(Kudos.id)
            .where(
                Kudos.team_id == team_id,
                FOLLOW_UP_KUDOS,  # ix_kudos_team_id_giver_id_follow_up: never the million others
                Kudos.giver_id == asked.member_id,
                Kudos.message_ts == literal(SESSION_TS) + cast(LearningSession.id, String),
            )
            .exists()
        )
        held = and_(booked, LearningSession.starts_at <= now)
        per_need = (
            select(
                Match.need_id.label("need_id"),
                flag(Match.status.in_(ACCEPTED)).label("accepted"),
                flag(booked).label("agreed"),
                flag(held).label("held"),
                flag(and_(held, or_(Match.status == MatchStatus.DONE, thanked))).label("helped"),
                tally(Match.status == MatchStatus.DECLINED).label("declined"),
                tally(Match.status == MatchStatus.EXPIRED).label("rerouted"),
                flag(LearningSession.cancelled_at.is_not(None)).label("cancelled"),
            )
            .join(asked, asked.id == Match.need_id)
            .outerjoin(LearningSession, LearningSession.match_id == Match.id)
            .where(asked.team_id == team_id, asked.created_at >= start, asked.created_at < end)
            .group_by(Match.need_id)
            .subquery()
        )
        c = per_need.c
        row = self.db.execute(
            select(
                func.count(Need.id),
                func.sum(c.accepted),
                func.sum(c.agreed),
                func.sum(c.held),
                func.sum(c.helped),
                func.sum(c.declined),
                func.sum(c.rerouted),
                func.sum(c.cancelled),
            )
            .join(Member, Member.id == Need.member_id)
            .outerjoin(per_need, c.need_id == Need.id)
            .where(*self._asked_in(team_id, start, end))
        ).one()
        names = ("asks", "accepted", "agreed", "held", "helped", "declined", "rerouted", "cancelled")
        return {name: int(value or 0) for name, value in zip(names, row, strict=True)}

    def first_answers(self, team_id: str, start: datetime, end: datetime) -> list[float]:
        """Seconds from asking to the first yes or no from an expert, for each need of the window that got one.
        The database subtracts: thousands of datetime pairs read back cost more than their subtraction."""
        first = func.min(Match.decided_at)
        answered = (
            select(seconds_between(Need.created_at, first, self.dialect))
            .join(Match, Match.need_id == Need.id)
            .join(Member, Member.id == Need.member_id)
            .where(
                *self._asked_in(team_id, start, end),
                Match.status.in_((*ACCEPTED, MatchStatus.DECLINED)),
                Match.decided_at.is_not(None),
            )
            .group_by(Need.id, Need.created_at)
        )
        return [float(wait) for wait in self.db.scalars(answered) if wait is not None]

    def first_sessions(self, team_id: str, start: datetime, end: datetime) -> list[float]:
        """Seconds from asking to the start of its first session, for each need of the window that got one."""
        first = func.min(LearningSession.starts_at)
        waits = self.db.scalars(
            select(seconds_between(Need.created_at, first, self.dialect))
            .join(Match, Match.need_id == Need.id)
            .join(LearningSession, LearningSession.match_id == Match.id)
            .join(Member, Member.id == Need.member_id)
            .where(
                *self._asked_in(team_id, start, end),
                LearningSession.starts_at.is_not(None),
                NOT_CANCELLED,
            )
            .group_by(Need.id, Need.created_at)
        )
        return [float(wait) for wait in waits if wait is not None]

    def asks_by_week(self, team_id: str, start: datetime, end: datetime) -> dict[int, int]:
        """week → needs declared."""
        week = week_of(Need.created_at, start, self.dialect)
        rows = self.db.execute(
            select(week, func.count())
            .join(Member, Member.id == Need.member_id)
            .where(*self._asked_in(team_id, start, end))
            .group_by(week)
        ).all()
        return {int(w): n for w, n in rows}

    def _asked_in(self, team_id: str, start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
        """Needs declared in the window by people who have not opted out (of this workspace, when filtered); the
        query joins the need's Member."""
        return (
            Need.team_id == team_id,
            Need.created_at >= start,
            Need.created_at < end,
            ~Member.opted_out,
            *self._mine(Member),
        )

    def _mine(self, member: Any) -> tuple[ColumnElement[bool], ...]:
        """For one workspace of an org: `member` (a Member joined to the query) is one of its people."""
        return () if self.workspace is None else (member.workspace_id == self.workspace,)

    def _theirs(self, team_id: str, column: Any) -> tuple[ColumnElement[bool], ...]:
        """For one workspace of an org: the member id in `column` is one of its people (ix_member_team_id_workspace_id);
        nothing for the whole tenant, so its queries stay as they are."""
        if self.workspace is None:
            return ()
        people = select(Member.id).where(Member.team_id == team_id, Member.workspace_id == self.workspace)
        return (column.in_(people),)
