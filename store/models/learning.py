"""Needs, their matches with experts, and the sessions booked from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain import MatchStatus, NeedStatus, SessionKind
from store.models.base import Base, Created, Id, TeamId, enum_of
from store.models.catalog import Topic
from store.models.people import Member

# A member has at most one live need per topic: declaring it twice is a no-op. Literal SQL, also in the upsert's
# ON CONFLICT: with bound parameters there, PostgreSQL cannot match the partial index once psycopg prepares
# the statement (its fifth run on a connection), and every /learn after that fails.
LIVE_NEED_SQL = "status IN ('open', 'matched')"


class Need(Base):
    """A member wants to learn a topic."""

    __tablename__ = "need"
    __table_args__ = (
        Index(
            "uq_need_member_id_topic_id_live",
            "member_id",
            "topic_id",
            unique=True,
            sqlite_where=text(LIVE_NEED_SQL),
            postgresql_where=text(LIVE_NEED_SQL),
        ),
        Index("ix_need_team_id_topic_id_status", "team_id", "topic_id", "status"),
        Index("ix_need_member_id_status", "member_id", "status"),
        Index("ix_need_team_id_created_at", "team_id", "created_at"),  # the insights' window of asks
        # The insights, from the index alone: each member's first need (first-time learners); learners waiting,
        # per topic and by how long.
        Index("ix_need_team_id_member_id_created_at", "team_id", "member_id", "created_at"),
        Index("ix_need_team_id_status_topic_id_member_id", "team_id", "status", "topic_id", "member_id"),
        Index("ix_need_team_id_status_created_at_member_id", "team_id", "status", "created_at", "member_id"),
    )

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    raw_text: Mapped[str] = mapped_column(String(300))
    status: Mapped[NeedStatus] = mapped_column(enum_of(NeedStatus), default=NeedStatus.OPEN)
    created_at: Mapped[Created]
    closed_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(lazy="joined", innerjoin=True)
    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)


class Match(Base):
    """A need paired with an expert, from proposal to done."""

    __tablename__ = "match"
    __table_args__ = (
        UniqueConstraint("need_id", "expert_id"),
        Index("ix_match_team_id_expert_id_status", "team_id", "expert_id", "status"),
        Index("ix_match_status_created_at", "status", "created_at"),  # unanswered asks, for re-routing
    )

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    # The expert's topic the need was matched to: a confirmed match teaches the alias need text → this topic.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    status: Mapped[MatchStatus] = mapped_column(enum_of(MatchStatus), default=MatchStatus.PROPOSED)
    offered_by_expert: Mapped[bool] = mapped_column(Boolean, default=False)
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    dm_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[Created]
    decided_at: Mapped[datetime | None]
    # A time picked by one person and waiting for the other's yes: to book, or to move a booked session.
    proposed_at: Mapped[datetime | None]
    proposed_minutes: Mapped[int | None]
    proposed_options: Mapped[str | None] = mapped_column(String(200))  # other free starts, epoch seconds
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))

    need: Mapped[Need] = relationship(lazy="joined", innerjoin=True)
    expert: Mapped[Member] = relationship(lazy="joined", innerjoin=True, foreign_keys=[expert_id])
    topic: Mapped[Topic | None] = relationship(lazy="joined")


class LearningSession(Base):
    """A booked 1:1 session (from a match) or an open group slot."""

    __tablename__ = "learning_session"
    __table_args__ = (
        Index("ix_learning_session_team_id_starts_at", "team_id", "starts_at"),
        # The scheduler looks across workspaces for sessions about to start or just over.
        Index("ix_learning_session_starts_at", "starts_at"),
    )

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    kind: Mapped[SessionKind] = mapped_column(enum_of(SessionKind), default=SessionKind.PAIR)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), unique=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    host_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime | None]
    duration_min: Mapped[int | None]
    capacity: Mapped[int | None]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reminder_sent_at: Mapped[datetime | None]
    followup_sent_at: Mapped[datetime | None]
    # The calendar invitation's SEQUENCE: one more with each move, and for the cancellation.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[Created]


class SessionParticipant(Base):
    """A member taking part in a session (learners of a pair, joiners of a slot)."""

    __tablename__ = "session_participant"

    session_id: Mapped[int] = mapped_column(ForeignKey("learning_session.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[Created]
