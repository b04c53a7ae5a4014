"""Reports across the aggregates: the counts shown beside people, the App Home (and forgetting a member who
leaves, which it offers), the export and the weekly digest. Each is one aggregate query, so a 100k-member workspace
stays fast."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, aliased

from bot.domain import MatchStatus, NeedStatus, SessionKind
from store.models import Kudos, LearningSession, Match, Member, Need, Offer, SessionParticipant, Topic, Workspace
from store.repos.learning import OPEN_MATCH

# A session called off never happened: it counts nowhere (the digest, Home, the export, the insights).
NOT_CANCELLED = LearningSession.cancelled_at.is_(None)


class StatsRepo:
    """Counts shown beside people: kudos received, open matches."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def kudos_received(self, team_id: str, member_ids: Sequence[int]) -> dict[int, int]:
        if not member_ids:
            return {}
        rows = self.db.execute(
            select(Kudos.receiver_id, func.count())
            .where(Kudos.team_id == team_id, Kudos.receiver_id.in_(member_ids))  # team first: its index
            .group_by(Kudos.receiver_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()

    def open_matches(self, team_id: str, member_ids: Sequence[int]) -> dict[int, int]:
        if not member_ids:
            return {}
        rows = self.db.execute(
            select(Match.expert_id, func.count())
            .where(
                Match.team_id == team_id,
                Match.expert_id.in_(member_ids),
                Match.status.in_(OPEN_MATCH),
            )
            .group_by(Match.expert_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()


def _topic_counts(session: Session, statement: Select[str, int], limit: int) -> list[tuple[str, int]]:
    """(topic label, count) for a `select(Topic.label, func.count())` with its joins and filters, top first."""
    rows = session.execute(
        statement.group_by(Topic.id, Topic.label).order_by(func.count().desc(), Topic.label).limit(limit)
    ).all()
    return [(label, count) for label, count in rows]


class HomeRepo:
    """What the App Home shows beyond the member's own topics and needs."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def kudos_received_since(self, member: Member, since: datetime) -> int:
        query = select(func.count()).where(Kudos.receiver_id == member.id, Kudos.created_at >= since)
        return int(self.db.scalar(query) or 0)

    def upcoming_sessions(self, member: Member, now: datetime, limit: int = 5) -> list[tuple[LearningSession, str]]:
        """Sessions this member hosts or joins that start after `now`, with their topic label."""
        joined = select(SessionParticipant.session_id).where(SessionParticipant.member_id == member.id)
        rows = self.db.execute(
            select(LearningSession, Topic.label)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.starts_at > now,
                (LearningSession.host_id == member.id) | LearningSession.id.in_(joined),
                NOT_CANCELLED,
            )
            .order_by(LearningSession.starts_at)
            .limit(limit)
        ).all()
        return [(row[0], row[1]) for row in rows]

    def most_taught(self, team_id: str, limit: int = 5) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Offer, Offer.topic_id == Topic.id)
            .join(Member, Member.id == Offer.member_id)
            .where(Offer.team_id == team_id, Offer.active, Member.active, ~Member.opted_out),
            limit,
        )

    def most_wanted(self, team_id: str, limit: int = 5) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Need, Need.topic_id == Topic.id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN),
            limit,
        )

    def counterparts(
        self, member: Member, now: datetime
    ) -> list[tuple[str, str, datetime | None, str | None, str | None, str, str]]:
        """Who loses something if this member leaves: the other person of each open match or upcoming pair
        session, and the learners of each upcoming slot they host, as (user id, topic, start, DM channel, DM ts,
        what the reader is: "learner" or "teacher", what they lose: "session", "request", "offer" or "slot").
        The DM is the Accept/Decline message still waiting on the other person, if any."""
        learner = aliased(Member)
        expert = aliased(Member)
        session_start = select(LearningSession.starts_at).where(LearningSession.match_id == Match.id).scalar_subquery()
        rows = self.db.execute(
            select(learner.id, learner.user_id, expert.id, expert.user_id, Topic.label, session_start, Match)
            .join(Need, Need.id == Match.need_id)
            .join(learner, learner.id == Need.member_id)
            .join(expert, expert.id == Match.expert_id)
            .join(Topic, Topic.id == func.coalesce(Match.topic_id, Need.topic_id))
            .where(
                (Need.member_id == member.id) | (Match.expert_id == member.id),
                Match.status.in_((MatchStatus.PROPOSED, MatchStatus.ACCEPTED)),
            )
        ).all()
        found = []
        for learner_id, learner_user, _, expert_user, label, starts, match in rows:
            if starts is not None and starts <= now:
                continue  # over already: nothing of theirs is lost
            other = expert_user if learner_id == member.id else learner_user
            # While proposed, the Accept/Decline message waits with whoever did not start the match.
            decider = learner_user if match.offered_by_expert else expert_user
            pending = match.status == MatchStatus.PROPOSED and other == decider
            reader = "learner" if other == learner_user else "teacher"
            lost = (
                "session" if match.status == MatchStatus.ACCEPTED else "offer" if match.offered_by_expert else "request"
            )
            dm = (match.dm_channel, match.dm_ts) if pending else (None, None)
            found.append((other, label, starts, *dm, reader, lost))
        slots = self.db.execute(
            select(Member.user_id, Topic.label, LearningSession.starts_at)
            .join(SessionParticipant, SessionParticipant.session_id == LearningSession.id)
            .join(Member, Member.id == SessionParticipant.member_id)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.host_id == member.id,
                LearningSession.kind == SessionKind.SLOT,
                LearningSession.starts_at > now,
                NOT_CANCELLED,
            )
        ).all()
        found += [(user, label, starts, None, None, "learner", "slot") for user, label, starts in slots]
        return found

    def forget_member(self, member: Member) -> None:
        """Delete the member and, through ON DELETE rules, their offers, needs, matches, sessions and kudos
        received; kudos they gave keep counting for the receiver but no longer name them."""
        self.db.execute(delete(Member).where(Member.id == member.id), execution_options={"synchronize_session": False})
        self.db.expunge(member)


class ExportRepo:
    """The skills matrix and open needs of a workspace, streamed for large workspaces."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def teams(self) -> list[str]:
        return list(self.db.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))

    def count(self, team_id: str) -> int:
        offers = select(func.count()).select_from(Offer).join(Member, Member.id == Offer.member_id)
        offers = offers.where(Offer.team_id == team_id, Offer.active, Member.active, ~Member.opted_out)
        needs = select(func.count()).select_from(Need).join(Member, Member.id == Need.member_id)
        needs = needs.where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Member.active, ~Member.opted_out)
        return int(self.db.scalar(offers) or 0) + int(self.db.scalar(needs) or 0)

    def rows(self, team_id: str, batch: int = 2000) -> Iterator[tuple[str, str, str, str, str, str, int]]:
        """(kind, user id, name, topic, level, since, kudos received) for every active offer, then open need."""
        kudos = (
            select(Kudos.receiver_id, func.count().label("n"))
            .where(Kudos.team_id == team_id)
            .group_by(Kudos.receiver_id)
            .subquery()
        )
        visible = (Member.active, ~Member.opted_out)
        offers = (
            select(Member.user_id, Member.display_name, Topic.label, Offer.level, Offer.created_at, kudos.c.n)
            .join(Member, Member.id == Offer.member_id)
            .join(Topic, Topic.id == Offer.topic_id)
            .outerjoin(kudos, kudos.c.receiver_id == Member.id)
            .where(Offer.team_id == team_id, Offer.active, *visible)
            .order_by(Member.display_name, Member.user_id, Topic.label)
        )
        for user_id, name, topic, level, since, received in self.db.execute(
            offers, execution_options={"yield_per": batch}
        ):
            yield (
                "teaches",
                user_id,
                name,
                topic,
                level.value if level else "",
                since.date().isoformat(),
                received or 0,
            )
        needs = (
            select(Member.user_id, Member.display_name, Topic.label, Need.created_at, kudos.c.n)
            .join(Member, Member.id == Need.member_id)
            .join(Topic, Topic.id == Need.topic_id)
            .outerjoin(kudos, kudos.c.receiver_id == Member.id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, *visible)
            .order_by(Member.display_name, Member.user_id, Topic.label)
        )
        for user_id, name, topic, since, received in self.db.execute(needs, execution_options={"yield_per": batch}):
            yield ("wants", user_id, name, topic, "", since.date().isoformat(), received or 0)


class DigestRepo:
    """The weekly digest's queries; each is one aggregate, so a 100k-member workspace stays fast."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def wanted_untaught(self, team_id: str, limit: int) -> list[tuple[str, int]]:
        taught = (
            select(Offer.id)
            .join(Member, Member.id == Offer.member_id)
            .where(Offer.topic_id == Topic.id, Offer.active, Member.active, ~Member.opted_out, ~Member.paused)
        )
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Need, Need.topic_id == Topic.id)
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Member.active, ~taught.exists()),
            limit,
        )

    def new_experts(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Offer, Offer.topic_id == Topic.id)
            .join(Member, Member.id == Offer.member_id)
            .where(
                Offer.team_id == team_id,
                Offer.active,
                Offer.created_at >= start,
                Offer.created_at < end,
                Member.active,
                ~Member.opted_out,
            ),
            limit,
        )

    def sessions_between(self, team_id: str, start: datetime, end: datetime) -> int:
        query = select(func.count()).where(
            LearningSession.team_id == team_id,
            LearningSession.starts_at >= start,
            LearningSession.starts_at < end,
            NOT_CANCELLED,
        )
        return int(self.db.scalar(query) or 0)

    def upcoming(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, datetime]]:
        rows = self.db.execute(
            select(Topic.label, LearningSession.starts_at)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.team_id == team_id,
                LearningSession.starts_at >= start,
                LearningSession.starts_at < end,
                NOT_CANCELLED,
            )
            .order_by(LearningSession.starts_at, LearningSession.id)
            .limit(limit)
        ).all()
        return [(label, starts) for label, starts in rows if starts is not None]

    def teachers(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, str]]:
        """(host user id, topic) of sessions held in the window, one line per host: the digest's shout-outs."""
        return _people_ranked(
            self.db,
            select(Member.user_id, func.min(Topic.label))
            .join(LearningSession, LearningSession.host_id == Member.id)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.team_id == team_id,
                LearningSession.starts_at >= start,
                LearningSession.starts_at < end,
                NOT_CANCELLED,
            ),
            limit,
        )

    def leaderboard(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, int]]:
        """Most thanked last week; opted-out members are never named."""
        return _people_ranked(
            self.db,
            select(Member.user_id, func.count())
            .join(Kudos, Kudos.receiver_id == Member.id)
            .where(Kudos.team_id == team_id, Kudos.created_at >= start, Kudos.created_at < end),
            limit,
        )


def _people_ranked(session: Session, statement: Select[str, Any], limit: int) -> list[tuple[str, Any]]:
    """(user id, value) for a `select(Member.user_id, …)`, most rows first; opted-out members are never named."""
    rows = session.execute(
        statement.where(Member.active, ~Member.opted_out)
        .group_by(Member.id, Member.user_id)
        .order_by(func.count().desc(), Member.user_id)
        .limit(limit)
    ).all()
    return [(user_id, value) for user_id, value in rows]
