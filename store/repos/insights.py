"""The insights dashboard's queries: each is one SQL aggregate over a tenant and a window, so a 100,000-member
workspace answers in well under a second (bench/insights.py measures it against loading the rows).

Opted-out people are left out everywhere; a cancelled session counts nowhere (NOT_CANCELLED).
Learners come back as counts only: no query here returns a learner's id or name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from bot.domain import OPEN_MATCH, MatchStatus, NeedStatus
from store.models import Kudos, LearningSession, Match, Member, Need, Offer, SessionParticipant, Topic
from store.repos.reports import NOT_CANCELLED

# An ask that was answered yes, whatever became of it after (done, or its session called off).
ACCEPTED = (MatchStatus.ACCEPTED, MatchStatus.DONE, MatchStatus.CANCELLED)
SEEN = and_(Member.active, ~Member.opted_out, ~Member.is_bot)


def week_of(column: Any, start: datetime, dialect: str) -> ColumnElement[int]:
    """The 0-based week of `column` counted from `start`, computed by the database (no rows come back)."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column - literal(start)) / 604800), Integer)
    # SQLite keeps UTC datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' text, which julianday() reads.
    return cast((func.julianday(column) - func.julianday(literal(start.strftime("%Y-%m-%d %H:%M:%S")))) / 7, Integer)


class InsightsRepo:
    """Skill gaps, the flow from ask to session, participation and teachers, for one tenant and window."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.dialect = db.get_bind().dialect.name

    # -- skill gaps ---------------------------------------------------------------------------------------------
    def demand(self, team_id: str, limit: int) -> list[tuple[int, str, int]]:
        """(topic id, label, learners waiting) for the most wanted topics: open needs of people not opted out."""
        rows = self.db.execute(
            select(Topic.id, Topic.label, func.count(distinct(Need.member_id)))
            .join(Need, Need.topic_id == Topic.id)
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, SEEN)
            .group_by(Topic.id, Topic.label)
            .order_by(func.count(distinct(Need.member_id)).desc(), Topic.label)
            .limit(limit)
        ).all()
        return [(topic_id, label, waiting) for topic_id, label, waiting in rows]

    def supply(self, team_id: str, topic_ids: Sequence[int], capacity: int) -> dict[int, tuple[int, int, int]]:
        """topic id → (teachers active, teachers paused, active teachers at capacity) for those topics."""
        if not topic_ids:
            return {}
        busy = (
            select(Match.expert_id)
            .where(Match.team_id == team_id, Match.status.in_(OPEN_MATCH))
            .group_by(Match.expert_id)
            .having(func.count() >= capacity)
        )
        rows = self.db.execute(
            select(
                Offer.topic_id,
                func.sum(case((~Member.paused, 1), else_=0)),
                func.sum(case((Member.paused, 1), else_=0)),
                func.sum(case((and_(~Member.paused, Member.id.in_(busy)), 1), else_=0)),
            )
            .join(Member, Member.id == Offer.member_id)
            .where(Offer.team_id == team_id, Offer.topic_id.in_(list(topic_ids)), Offer.active, SEEN)
            .group_by(Offer.topic_id)
        ).all()
        return {topic: (int(active or 0), int(paused or 0), int(full or 0)) for topic, active, paused, full in rows}

    def held_by_topic(self, team_id: str, topic_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, int]:
        """topic id → sessions held in the window."""
        if not topic_ids:
            return {}
        rows = self.db.execute(
            select(LearningSession.topic_id, func.count())
            .where(*self._held(team_id, start, end), LearningSession.topic_id.in_(list(topic_ids)))
            .group_by(LearningSession.topic_id)
        ).all()
        return {int(topic): int(count) for topic, count in rows}

    def waiting_since(self, team_id: str, topic_ids: Sequence[int]) -> list[tuple[int, datetime]]:
        """(topic id, created) of each open need of those topics: their median wait is read from these."""
        if not topic_ids:
            return []
        rows = self.db.execute(
            select(Need.topic_id, Need.created_at)
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Need.topic_id.in_(list(topic_ids)), SEEN)
        ).all()
        return [(topic, created) for topic, created in rows]

    # -- the flow -----------------------------------------------------------------------------------------------
    def funnel(self, team_id: str, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
        """Needs declared in the window, and how far each got: accepted, a time agreed, held, "it helped" (the
        learner marked it done after a session); with the declines, re-routes and cancellations on the way."""

        def some(*conditions: Any) -> ColumnElement[int]:
            found = select(Match.id).where(Match.need_id == Need.id, *conditions).exists()
            return func.sum(case((found, 1), else_=0))

        booked = (LearningSession.match_id == Match.id, LearningSession.starts_at.is_not(None), NOT_CANCELLED)
        agreed = select(LearningSession.id).where(*booked).exists()
        held = select(LearningSession.id).where(*booked, LearningSession.starts_at <= now).exists()
        cancelled = select(LearningSession.id).where(
            LearningSession.match_id == Match.id, LearningSession.cancelled_at.is_not(None)
        )
        row = self.db.execute(
            select(
                func.count(Need.id),
                some(Match.status.in_(ACCEPTED)),
                some(agreed),
                some(held),
                func.sum(case((and_(Need.status == NeedStatus.CLOSED, held_need(held)), 1), else_=0)),
                self._matches(MatchStatus.DECLINED),
                self._matches(MatchStatus.EXPIRED),
                some(cancelled.exists()),
            )
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.created_at >= start, Need.created_at < end, ~Member.opted_out)
        ).one()
        names = ("asks", "accepted", "agreed", "held", "helped", "declined", "rerouted", "cancelled")
        return {name: int(value or 0) for name, value in zip(names, row, strict=True)}

    def _matches(self, status: MatchStatus) -> Any:
        """How many matches of the row's need ended in `status` (a scalar subquery, summed over needs)."""
        count = select(func.count()).where(Match.need_id == Need.id, Match.status == status).scalar_subquery()
        return func.sum(count)

    def first_answers(self, team_id: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """(asked, first yes or no from an expert) for each need of the window that got an answer."""
        answered = (
            select(Need.created_at, func.min(Match.decided_at))
            .join(Match, Match.need_id == Need.id)
            .join(Member, Member.id == Need.member_id)
            .where(
                Need.team_id == team_id,
                Need.created_at >= start,
                Need.created_at < end,
                ~Member.opted_out,
                Match.status.in_((*ACCEPTED, MatchStatus.DECLINED)),
                Match.decided_at.is_not(None),
            )
            .group_by(Need.id, Need.created_at)
        )
        return [(asked, first) for asked, first in self.db.execute(answered).all() if first is not None]

    def first_sessions(self, team_id: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """(asked, start of its first session) for each need of the window that got one."""
        rows = self.db.execute(
            select(Need.created_at, func.min(LearningSession.starts_at))
            .join(Match, Match.need_id == Need.id)
            .join(LearningSession, LearningSession.match_id == Match.id)
            .join(Member, Member.id == Need.member_id)
            .where(
                Need.team_id == team_id,
                Need.created_at >= start,
                Need.created_at < end,
                ~Member.opted_out,
                LearningSession.starts_at.is_not(None),
                NOT_CANCELLED,
            )
            .group_by(Need.id, Need.created_at)
        ).all()
        return [(asked, first) for asked, first in rows if first is not None]

    def asks_by_week(self, team_id: str, start: datetime, end: datetime) -> dict[int, int]:
        """week → needs declared."""
        week = week_of(Need.created_at, start, self.dialect)
        rows = self.db.execute(
            select(week, func.count())
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.created_at >= start, Need.created_at < end, ~Member.opted_out)
            .group_by(week)
        ).all()
        return {int(w): n for w, n in rows}

    # -- participation ------------------------------------------------------------------------------------------
    def weekly(self, team_id: str, start: datetime, end: datetime) -> dict[str, dict[int, int]]:
        """Per week: distinct learners (asked or joined a session), distinct teachers (hosted one held), sessions
        held, kudos and endorsements (kudos given for a session)."""
        session_week = week_of(LearningSession.starts_at, start, self.dialect)
        held = self._held(team_id, start, end)
        host = aliased(Member)
        sessions = self.db.execute(
            select(session_week, func.count(), func.count(distinct(LearningSession.host_id)))
            .join(host, host.id == LearningSession.host_id)
            .where(*held, ~host.opted_out)
            .group_by(session_week)
        ).all()
        learners_union = union_all(
            select(Need.member_id.label("who"), week_of(Need.created_at, start, self.dialect).label("week")).where(
                Need.team_id == team_id, Need.created_at >= start, Need.created_at < end
            ),
            select(SessionParticipant.member_id.label("who"), session_week.label("week"))
            .join(LearningSession, LearningSession.id == SessionParticipant.session_id)
            .where(*held, SessionParticipant.member_id != LearningSession.host_id),
        ).subquery()
        learners = self.db.execute(
            select(learners_union.c.week, func.count(distinct(learners_union.c.who)))
            .join(Member, Member.id == learners_union.c.who)
            .where(~Member.opted_out)
            .group_by(learners_union.c.week)
        ).all()
        kudos_week = week_of(Kudos.created_at, start, self.dialect)
        kudos = self.db.execute(
            select(kudos_week, func.count(), func.count(Kudos.topic_id))
            .join(Member, Member.id == Kudos.receiver_id)
            .where(Kudos.team_id == team_id, Kudos.created_at >= start, Kudos.created_at < end, ~Member.opted_out)
            .group_by(kudos_week)
        ).all()
        return {
            "learners": {int(w): n for w, n in learners},
            "teachers": {int(w): t for w, _, t in sessions},
            "sessions": {int(w): n for w, n, _ in sessions},
            "kudos": {int(w): n for w, n, _ in kudos},
            "endorsements": {int(w): e for w, _, e in kudos},
        }

    def newcomers(self, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """(new teachers, first-time learners): people whose first offer, or first need, falls in the window."""
        first_offer = (select(Offer.member_id).where(Offer.team_id == team_id).group_by(Offer.member_id)).having(
            func.min(Offer.created_at) >= start, func.min(Offer.created_at) < end
        )
        first_need = (select(Need.member_id).where(Need.team_id == team_id).group_by(Need.member_id)).having(
            func.min(Need.created_at) >= start, func.min(Need.created_at) < end
        )
        teachers = self.db.scalar(select(func.count()).where(Member.id.in_(first_offer), ~Member.opted_out))
        learners = self.db.scalar(select(func.count()).where(Member.id.in_(first_need), ~Member.opted_out))
        return int(teachers or 0), int(learners or 0)

    def took_part(self, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """(members who asked, taught, joined a session or gave or got kudos in the window; members in all)."""
        held = self._held(team_id, start, end)
        who = union_all(
            select(Need.member_id.label("who")).where(
                Need.team_id == team_id, Need.created_at >= start, Need.created_at < end
            ),
            select(LearningSession.host_id.label("who")).where(*held),
            select(SessionParticipant.member_id.label("who"))
            .join(LearningSession, LearningSession.id == SessionParticipant.session_id)
            .where(*held),
            select(Kudos.giver_id.label("who")).where(
                Kudos.team_id == team_id, Kudos.created_at >= start, Kudos.created_at < end
            ),
        ).subquery()
        active = self.db.scalar(
            select(func.count(distinct(who.c.who))).join(Member, Member.id == who.c.who).where(SEEN)
        )
        members = self.db.scalar(select(func.count()).where(Member.team_id == team_id, SEEN))
        return int(active or 0), int(members or 0)

    # -- people who teach ---------------------------------------------------------------------------------------
    def teachers(self, team_id: str, start: datetime, end: datetime) -> list[tuple[int, str, str, int, int]]:
        """(member id, user id, name, sessions held, endorsements received) of every host of a session held in the
        window, most sessions first."""
        endorsed = (
            select(func.count())
            .where(
                Kudos.receiver_id == Member.id,
                Kudos.topic_id.is_not(None),
                Kudos.created_at >= start,
                Kudos.created_at < end,
            )
            .scalar_subquery()
        )
        rows = self.db.execute(
            select(Member.id, Member.user_id, Member.display_name, func.count(LearningSession.id), endorsed)
            .join(LearningSession, LearningSession.host_id == Member.id)
            .where(*self._held(team_id, start, end), SEEN)
            .group_by(Member.id, Member.user_id, Member.display_name)
            .order_by(func.count(LearningSession.id).desc(), Member.display_name)
        ).all()
        return [(mid, uid, name, held, int(e or 0)) for mid, uid, name, held, e in rows]

    def topics_taught(self, member_ids: Sequence[int]) -> dict[int, list[str]]:
        """member id → labels of the topics they teach now."""
        if not member_ids:
            return {}
        rows = self.db.execute(
            select(Offer.member_id, Topic.label)
            .join(Topic, Topic.id == Offer.topic_id)
            .where(Offer.member_id.in_(list(member_ids)), Offer.active)
            .order_by(Topic.label)
        ).all()
        found: dict[int, list[str]] = {}
        for member_id, label in rows:
            found.setdefault(member_id, []).append(label)
        return found

    def _held(self, team_id: str, start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
        """A session of the tenant that took place in the window (`end` is never after now: held means over)."""
        return (
            LearningSession.team_id == team_id,
            LearningSession.starts_at >= start,
            LearningSession.starts_at < end,
            NOT_CANCELLED,
        )


def held_need(held: Any) -> ColumnElement[bool]:
    """A need one of whose matches had a session that took place."""
    return select(Match.id).where(Match.need_id == Need.id, held).exists()
