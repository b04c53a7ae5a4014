"""The insights dashboard's queries: each is one SQL aggregate over a tenant and a window, so a 100,000-member
workspace answers in well under a second (bench/insights.py measures it against loading the rows).

Opted-out people are left out everywhere; a cancelled session counts nowhere (NOT_CANCELLED).
Learners come back as counts only: no query here returns a learner's id or name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import distinct_on

from bot.domain import OPEN_MATCH, NeedStatus
from store.models import Kudos, LearningSession, Match, Member, Need, Offer, SessionParticipant, Topic
from store.repos.insights_flow import FlowQueries, week_of
from store.repos.reports import NOT_CANCELLED

SEEN = and_(Member.active, ~Member.opted_out, ~Member.is_bot)
WEEK = timedelta(days=7)


class InsightsRepo(FlowQueries):
    """Skill gaps, the flow from ask to session (FlowQueries, in store/repos/insights_flow.py), participation and
    teachers, for one tenant and window."""

    # -- skill gaps ---------------------------------------------------------------------------------------------
    def demand(self, team_id: str, limit: int) -> list[tuple[int, str, int]]:
        """(topic id, label, learners waiting) for the most wanted topics: open needs of people not opted out.

        Counted per topic from ix_need_team_id_status_topic_id_member_id alone, leaving out the few members who are
        not seen rather than looking up each need's member; labels are read for the grouped topics only. A member
        has one open need per topic at most (uq_need_member_id_topic_id_live), so needs count learners."""
        waiting = (
            select(Need.topic_id, func.count().label("waiting"))
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Need.member_id.not_in(unseen(team_id)))
            .where(*self._theirs(team_id, Need.member_id))
            .group_by(Need.topic_id)
            .subquery()
        )
        rows = self.db.execute(
            select(Topic.id, Topic.label, waiting.c.waiting)
            .join(waiting, waiting.c.topic_id == Topic.id)
            .order_by(waiting.c.waiting.desc(), Topic.label)
            .limit(limit)
        ).all()
        return [(topic_id, label, int(count)) for topic_id, label, count in rows]

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
            .where(
                Offer.team_id == team_id, Offer.topic_id.in_(list(topic_ids)), Offer.active, SEEN, *self._mine(Member)
            )
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
            .where(*self._theirs(team_id, LearningSession.host_id))
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
            .where(*self._mine(Member))
        ).all()
        return [(topic, created) for topic, created in rows]

    def waiting(self, team_id: str) -> tuple[int, datetime | None]:
        """(open needs of people not opted out, the `created_at` of the one at the median wait): the median is
        found by the database (nearest rank: the ceil(n/2)-th longest-waiting… counted from the newest), so the
        rows of 50,000 open needs never come back; both read ix_need_team_id_status_created_at_member_id alone."""
        open_needs = (
            Need.team_id == team_id,
            Need.status == NeedStatus.OPEN,
            Need.member_id.not_in(unseen(team_id)),
            *self._theirs(team_id, Need.member_id),
        )
        count = int(self.db.scalar(select(func.count()).select_from(Need).where(*open_needs)) or 0)
        if not count:
            return 0, None
        median = self.db.scalar(
            select(Need.created_at)
            .where(*open_needs)
            .order_by(Need.created_at.desc())
            .offset((count + 1) // 2 - 1)
            .limit(1)
        )
        return count, median

    def sessions_held(self, team_id: str, start: datetime, end: datetime) -> int:
        """Sessions held in the window by hosts not opted out (what `weekly`'s sessions add up to)."""
        found = self.db.scalar(
            select(func.count())
            .select_from(LearningSession)
            .where(*self._held(team_id, start, end), *self._kept(team_id, LearningSession.host_id))
        )
        return int(found or 0)

    # -- participation ------------------------------------------------------------------------------------------
    def weekly(self, team_id: str, start: datetime, end: datetime) -> dict[str, dict[int, int]]:
        """Per week: distinct learners (asked or joined a session), distinct teachers (hosted one held), sessions
        held, kudos and endorsements (kudos given for a session)."""
        session_week = week_of(LearningSession.starts_at, start, self.dialect)
        held = self._held(team_id, start, end)
        sessions = self.db.execute(
            select(session_week, func.count(), func.count(distinct(LearningSession.host_id)))
            .where(*held, *self._kept(team_id, LearningSession.host_id))
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
            .where(*self._kept(team_id, learners_union.c.who))
            .group_by(learners_union.c.week)
        ).all()
        kudos = self._kudos_by_week(team_id, start, end)
        return {
            "learners": {int(w): n for w, n in learners},
            "teachers": {int(w): t for w, _, t in sessions},
            "sessions": {int(w): n for w, n, _ in sessions},
            "kudos": {w: n for w, (n, _) in kudos.items() if n},
            "endorsements": {w: e for w, (_, e) in kudos.items() if e},
        }

    def _kudos_by_week(self, team_id: str, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
        """week → (kudos, endorsements) received by people not opted out. A million kudos are too many to bucket
        row by row (a week computed and a member joined per row took 0.9 s): each week is a count over a range of
        ix_kudos_team_id_created_at_topic_id, read from the index alone, less the few kudos of opted-out receivers
        (found through ix_kudos_team_id_receiver_id). One workspace of an org counts its people's kudos directly."""
        if self.workspace is not None:
            return self._kudos_of_workspace(team_id, start, end)
        weeks = []
        for week in range(max(1, math.ceil((end - start) / timedelta(days=7)))):
            low = start + timedelta(days=7 * week)
            weeks.append(
                select(literal(week), func.count(), func.count(Kudos.topic_id)).where(
                    Kudos.team_id == team_id, Kudos.created_at >= low, Kudos.created_at < min(end, low + WEEK)
                )
            )
        found = {int(w): (int(n), int(e)) for w, n, e in self.db.execute(union_all(*weeks)).all()}
        opted_out = select(Member.id).where(Member.team_id == team_id, Member.opted_out)
        bucket = week_of(Kudos.created_at, start, self.dialect)
        left_out = self.db.execute(
            select(bucket, func.count(), func.count(Kudos.topic_id))
            .where(Kudos.team_id == team_id, Kudos.receiver_id.in_(opted_out))
            .where(Kudos.created_at >= start, Kudos.created_at < end)
            .group_by(bucket)
        ).all()
        for w, n, e in left_out:
            kudos, endorsed = found.get(int(w), (0, 0))
            found[int(w)] = (kudos - int(n), endorsed - int(e))
        return found

    def _kudos_of_workspace(self, team_id: str, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
        """week → (kudos, endorsements) received by one workspace's people not opted out."""
        bucket = week_of(Kudos.created_at, start, self.dialect)
        rows = self.db.execute(
            select(bucket, func.count(), func.count(Kudos.topic_id))
            .join(Member, Member.id == Kudos.receiver_id)
            .where(Kudos.team_id == team_id, Kudos.created_at >= start, Kudos.created_at < end)
            .where(~Member.opted_out, *self._mine(Member))
            .group_by(bucket)
        ).all()
        return {int(w): (int(n), int(e)) for w, n, e in rows}

    def newcomers(self, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """(new teachers, first-time learners): people whose first offer, or first need, falls in the window. Each
        member's first is read from ix_offer_team_id_member_id_created_at (and need's) alone, in order: without
        them, grouping 300,000 offers took 0.5 s; asking "none before the window" per offer, 1.2 s for a year."""
        ours = (~Member.opted_out, *self._mine(Member))
        found = []
        for model in (Offer, Need):
            first = self._firsts(model, team_id, start, end)
            found.append(int(self.db.scalar(select(func.count()).where(Member.id.in_(first), *ours)) or 0))
        return found[0], found[1]

    def _firsts(self, model: type[Offer] | type[Need], team_id: str, start: datetime, end: datetime) -> Any:
        """The members whose first row of `model` (an offer or a need) falls in the window."""
        if self.dialect == "postgresql":
            # DISTINCT ON walks the index in order, keeping each member's first: PostgreSQL hashed 300,000 offers for
            # the GROUP BY below instead (0.4 s against 0.2 s).
            firsts = (
                select(model.member_id, model.created_at)
                .where(model.team_id == team_id)
                .ext(distinct_on(model.member_id))
                .order_by(model.member_id, model.created_at)
                .subquery()
            )
            return select(firsts.c.member_id).where(firsts.c.created_at >= start, firsts.c.created_at < end)
        return (
            select(model.member_id)
            .where(model.team_id == team_id)
            .group_by(model.member_id)
            .having(func.min(model.created_at) >= start, func.min(model.created_at) < end)
        )

    def took_part(self, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
        """(members who asked, taught, joined a session or gave or got kudos in the window; members in all).

        Each member is looked up once: in the few thousand people of the window's needs and sessions, or else for
        one kudos given in the window (ix_kudos_giver_id_created_at). A union of every giver of 250,000 kudos,
        made distinct, took 0.5 s."""
        held = self._held(team_id, start, end)
        asked_or_met = union_all(
            select(Need.member_id).where(Need.team_id == team_id, Need.created_at >= start, Need.created_at < end),
            select(LearningSession.host_id).where(*held),
            select(SessionParticipant.member_id)
            .join(LearningSession, LearningSession.id == SessionParticipant.session_id)
            .where(*held),
        )
        # Their first kudos given since the window opened, by one probe of the index: an EXISTS here PostgreSQL
        # answers by hashing every giver of the window's 500,000 kudos (0.5 s against 0.2 s).
        gave = (
            select(Kudos.created_at)
            .where(Kudos.giver_id == Member.id, Kudos.created_at >= start)
            .order_by(Kudos.created_at)
            .limit(1)
            .scalar_subquery()
            < end
        )
        ours = (Member.team_id == team_id, SEEN, *self._mine(Member))
        active = self.db.scalar(select(func.count()).where(*ours, or_(Member.id.in_(asked_or_met), gave)))
        members = self.db.scalar(select(func.count()).where(*ours))
        return int(active or 0), int(members or 0)

    def _kept(self, team_id: str, member_id: Any) -> tuple[ColumnElement[bool], ...]:
        """The member id in `member_id` is not of someone who opted out (nor, filtered, of another workspace).
        Checked against the short list of those who opted out (one pass over the members): joining every row to its
        member hashed all 100,000 members for each weekly count on PostgreSQL. (An index on opted_out made SQLite
        read every member through it, slower than the table.)"""
        opted_out = select(Member.id).where(Member.team_id == team_id, Member.opted_out)
        return (member_id.not_in(opted_out), *self._theirs(team_id, member_id))

    # -- people who teach ---------------------------------------------------------------------------------------
    def teachers(self, team_id: str, start: datetime, end: datetime) -> list[tuple[int, str, str, int, int]]:
        """(member id, user id, name, sessions held, endorsements received) of every host of a session held in the
        window, most sessions first."""
        # Endorsements per receiver, grouped once: a count per host correlated on receiver_id read every kudos of
        # a much-thanked host (0.2 s for the 4 weeks, 0.9 s for the year).
        endorsed = (
            select(Kudos.receiver_id, func.count().label("endorsed"))
            .where(
                Kudos.team_id == team_id,
                Kudos.topic_id.is_not(None),
                Kudos.created_at >= start,
                Kudos.created_at < end,
            )
            .group_by(Kudos.receiver_id)
            .subquery()
        )
        # Sessions counted per host first, then the hosts' rows found: joining every session to its member hashed
        # all 100,000 members on PostgreSQL.
        hosted = (
            select(LearningSession.host_id, func.count().label("held"))
            .where(*self._held(team_id, start, end))
            .group_by(LearningSession.host_id)
            .subquery()
        )
        rows = self.db.execute(
            select(Member.id, Member.user_id, Member.display_name, hosted.c.held, endorsed.c.endorsed)
            .join(hosted, hosted.c.host_id == Member.id)
            .outerjoin(endorsed, endorsed.c.receiver_id == Member.id)
            .where(SEEN, *self._mine(Member))
            .order_by(hosted.c.held.desc(), Member.display_name)
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


def unseen(team_id: str) -> Any:
    """The tenant's members the dashboard leaves out (inactive, opted out, bots): a few percent, so a need is
    checked against this short list rather than its member's row looked up."""
    return select(Member.id).where(Member.team_id == team_id, ~SEEN)
