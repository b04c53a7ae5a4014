"""The learning aggregate: needs (what someone wants to learn), matches (a need put to an expert) and the
learning sessions booked for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ValuesBase

from bot.domain import LIVE_NEED, OPEN_MATCH, MatchStatus, NeedStatus, SessionKind
from store.models import LIVE_NEED_SQL, LearningSession, Match, Member, Need, SessionParticipant
from store.repos._prebuilt import _MATCHES, _NEEDS, _Read, _Write
from store.repos.people import HasId, Someone
from store.sql import Now, insert_ignoring_conflict, rowcount

__all__ = ["LIVE_NEED", "OPEN_MATCH", "MatchRepo", "NeedRepo", "SessionRepo"]


# The live-need condition written as the unique partial index's own (a status bound as a parameter could be
# anything, so SQLite would read the member's needs by status instead).
_LIVE_NEED_ID = _Read(
    select(_NEEDS.c.id).where(
        _NEEDS.c.member_id == bindparam("member"), _NEEDS.c.topic_id == bindparam("topic"), text(LIVE_NEED_SQL)
    )
)


def _need_insert(dialect: str) -> ValuesBase:
    """NeedRepo.declare's statement for this backend."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = ("team_id", "member_id", "topic_id", "raw_text", "status", "created_at")
    return (
        insert(_NEEDS)
        .values({name: bindparam(f"v_{name}") for name in columns})
        .on_conflict_do_nothing(index_elements=["member_id", "topic_id"], index_where=text(LIVE_NEED_SQL))
        .returning(_NEEDS.c.id)
    )


_NEED_INSERT = _Write(_need_insert)


class NeedRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def declare(self, member: Someone, topic: HasId, raw_text: str) -> tuple[int, bool]:
        """Save a need; declaring the same topic again returns the live one's id and False."""
        values = {
            "v_team_id": member.team_id,
            "v_member_id": member.id,
            "v_topic_id": topic.id,
            "v_raw_text": raw_text,
            "v_status": NeedStatus.OPEN,
            "v_created_at": self.now(),
        }
        # RETURNING gives the new id in the same statement; nothing comes back when the need was live already.
        created = _NEED_INSERT.run(self.db, values).scalar()
        if created is not None:
            return int(created), True
        existing = self.live_id(member, topic.id)
        assert existing is not None
        return existing, False

    def live_id(self, member: Someone, topic_id: int) -> int | None:
        """The id of the member's open or matched need on this topic, if any (a light query: /learn runs it)."""
        row = _LIVE_NEED_ID.first(self.db, {"member": member.id, "topic": topic_id})
        return int(row[0]) if row is not None else None

    def get(self, team_id: str, need_id: int) -> Need | None:
        return self.db.scalar(select(Need).where(Need.team_id == team_id, Need.id == need_id))

    def mark_matched(self, need: Need) -> None:
        if need.status == NeedStatus.OPEN:
            need.status = NeedStatus.MATCHED

    def live_for_member(self, member: Member) -> Sequence[Need]:
        return self.db.scalars(self._live().where(Need.member_id == member.id).order_by(Need.created_at, Need.id)).all()

    def close(self, member: Member, topic_ids: Iterable[int], status: NeedStatus) -> int:
        """Mark the member's live needs on these topics done or cancelled; returns how many."""
        result = self.db.execute(
            update(Need)
            .where(Need.member_id == member.id, Need.topic_id.in_(list(topic_ids)), Need.status.in_(LIVE_NEED))
            .values(status=status, closed_at=self.now())
        )
        return rowcount(result)

    def cancel_all(self, member: Member) -> int:
        """Cancel every live need of this member."""
        result = self.db.execute(
            update(Need)
            .where(Need.member_id == member.id, Need.status.in_(LIVE_NEED))
            .values(status=NeedStatus.CANCELLED, closed_at=self.now())
        )
        return rowcount(result)

    def open_for_topics(self, team_id: str, topic_ids: Sequence[int], exclude_member: int) -> Sequence[Need]:
        """Open needs on these topics, oldest first, excluding one member's own."""
        if not topic_ids:
            return []
        return self.db.scalars(
            select(Need)
            .join(Need.member)
            .where(
                Need.team_id == team_id,
                Need.topic_id.in_(topic_ids),
                Need.status == NeedStatus.OPEN,
                Need.member_id != exclude_member,
                Member.active,
                ~Member.opted_out,
            )
            .order_by(Need.created_at, Need.id)
        ).all()

    def _live(self) -> Select[Need]:
        return select(Need).where(Need.status.in_(LIVE_NEED))


_EXPERTS_OF_NEED = _Read(select(_MATCHES.c.expert_id).where(_MATCHES.c.need_id == bindparam("need")))


class MatchRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def propose(self, need: Need, expert: Member, topic_id: int | None, *, by_expert: bool) -> tuple[Match, bool]:
        """A proposed match; asking the same expert for the same need again returns the first one and False."""
        created = insert_ignoring_conflict(
            self.db,
            Match,
            {
                "team_id": need.team_id,
                "need_id": need.id,
                "expert_id": expert.id,
                "topic_id": topic_id,
                "status": MatchStatus.PROPOSED,
                "offered_by_expert": by_expert,
                "created_at": self.now(),
            },
        )
        match = self.between(need, expert)
        assert match is not None
        return match, created

    def between(self, need: Need, expert: Member) -> Match | None:
        """The match of this need with this expert, whatever its status."""
        return self.db.scalar(select(Match).where(Match.need_id == need.id, Match.expert_id == expert.id))

    def get(self, team_id: str, match_id: int) -> Match | None:
        return self.db.scalar(select(Match).where(Match.team_id == team_id, Match.id == match_id))

    def decide(self, match: Match, *, expected: MatchStatus, to: MatchStatus) -> bool:
        """Move a match on only from `expected`: a second click, or a click on a stale message, changes nothing."""
        result = self.db.execute(
            update(Match)
            .where(Match.id == match.id, Match.status == expected)
            # When the expert first answered: a later step (done, cancelled) must not move it, or "time to a
            # first answer" would read as the time to the end.
            .values(status=to, decided_at=func.coalesce(Match.decided_at, self.now()))
            .execution_options(synchronize_session=False)
        )
        changed = rowcount(result) == 1
        if changed:
            self.db.refresh(match)
        return changed

    def expire_pending(self, member: Member) -> int:
        """Proposals still waiting on or from this member will never be answered now."""
        mine = select(Need.id).where(Need.member_id == member.id)
        result = self.db.execute(
            update(Match)
            .where(Match.status == MatchStatus.PROPOSED, (Match.expert_id == member.id) | Match.need_id.in_(mine))
            .values(status=MatchStatus.EXPIRED, decided_at=self.now())
        )
        return rowcount(result)

    def remember_message(self, match: Match, channel: str, ts: str) -> None:
        match.dm_channel, match.dm_ts = channel, ts

    def experts_of_need(self, need_id: int) -> set[int]:
        """Everyone already asked or offering for this need, whatever came of it."""
        return {expert for (expert,) in _EXPERTS_OF_NEED.rows(self.db, {"need": need_id})}


class SessionRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def starts_between(self, start: datetime, end: datetime) -> list[datetime]:
        """When sessions and slots start in this window, every workspace (the console's clock stops there before
        each, for its reminder; a cancelled one has none)."""
        query = select(LearningSession.starts_at).where(
            LearningSession.starts_at > start, LearningSession.starts_at <= end, LearningSession.cancelled_at.is_(None)
        )
        return [when for when in self.db.scalars(query) if when is not None]

    def book(self, match: Match, starts_at: datetime | None, duration_min: int | None) -> tuple[LearningSession, bool]:
        """The session of an accepted match (one per match: the unique key makes a double submit harmless)."""
        created = insert_ignoring_conflict(
            self.db,
            LearningSession,
            {
                "team_id": match.team_id,
                "kind": SessionKind.PAIR,
                "match_id": match.id,
                "topic_id": match.topic_id or match.need.topic_id,
                "host_id": match.expert_id,
                "starts_at": starts_at,
                "duration_min": duration_min,
                "created_at": self.now(),
            },
        )
        booked = self.db.scalars(select(LearningSession).where(LearningSession.match_id == match.id)).one()
        if created:
            insert_ignoring_conflict(
                self.db,
                SessionParticipant,
                {"session_id": booked.id, "member_id": match.need.member_id, "joined_at": self.now()},
            )
        return booked, created

    def has_participant(self, booked: LearningSession, user_id: str) -> bool:
        query = (
            select(SessionParticipant.member_id)
            .join(Member, Member.id == SessionParticipant.member_id)
            .where(SessionParticipant.session_id == booked.id, Member.user_id == user_id)
        )
        return self.db.scalar(query) is not None

    def for_match(self, match_id: int) -> LearningSession | None:
        return self.db.scalar(select(LearningSession).where(LearningSession.match_id == match_id))

    def get(self, team_id: str, session_id: int) -> LearningSession | None:
        return self.db.scalar(
            select(LearningSession).where(LearningSession.team_id == team_id, LearningSession.id == session_id)
        )
