"""Typed SQLAlchemy 2 models for every entity (docs/ARCHITECTURE.md, data model); every row carries its team_id."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# The store's one import from bot/: the domain's enums live below every layer so views and forms need no store.
from bot.domain import SESSION_TS, InviteStatus, Level, MatchStatus, NeedStatus, SessionKind


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# How far the console trial's `/time` has moved the clock; nothing else moves it (tests use time-machine).
_clock_ahead = timedelta()


def utcnow() -> datetime:
    """The current time, aware, in UTC (time-machine moves it in tests, `/time` in the console trial)."""
    return datetime.now(UTC) + _clock_ahead


def move_clock(by: timedelta) -> None:
    """Move this process's clock ahead: the console trial's `/time +2d`, to see what falls due."""
    global _clock_ahead
    _clock_ahead += by


# Constraint names are fixed so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TeamId = Annotated[str, mapped_column(String(32), index=False)]
SlackId = Annotated[str, mapped_column(String(32))]
Created = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
Id = Annotated[int, mapped_column(Integer, primary_key=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, date: Date}  # noqa: RUF012


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings (no PostgreSQL ENUM type): adding a value needs no type migration.
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Workspace(Base):
    """A tenant (an installed workspace, or an Enterprise Grid org installed org-wide) and the settings its admins
    chose (None = environment default). A workspace of an org-wide install has a row too, with `enterprise_id`
    set: only its digest channel and timezone are read from it; everything else is the org's."""

    __tablename__ = "workspace"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # T… or, for an org-wide install, E…
    enterprise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # On an org's row: "org" (one digest, in the org's learning channel) or "workspace" (one per workspace).
    digest_scope: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    learning_channel: Mapped[str | None] = mapped_column(String(32))
    digest_weekday: Mapped[int | None]
    digest_time: Mapped[str | None] = mapped_column(String(5))
    timezone: Mapped[str | None] = mapped_column(String(64))
    kudos_emoji: Mapped[str | None] = mapped_column(String(200))
    kudos_daily_limit: Mapped[int | None]
    kudos_pair_weekly_limit: Mapped[int | None]
    # Set by app_uninstalled / tokens_revoked: the scheduler leaves the workspace alone until it is reinstalled.
    uninstalled_at: Mapped[datetime | None]
    # The shipped vocabulary its topics were last put under their one name with (see bot/services/reconcile.py).
    vocabulary: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[Created]


class Member(Base):
    """A Slack user of a workspace, refreshed from users.info."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_member_team_id_workspace_id", "team_id", "workspace_id"),  # the insights' workspace filter
    )

    id: Mapped[Id]
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("workspace.team_id", ondelete="CASCADE"))
    user_id: Mapped[SlackId]
    # The person's own workspace (users.info's `team_id`): in an org-wide install, which of the org's it is.
    workspace_id: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    status_emoji: Mapped[str | None] = mapped_column(String(100))
    status_text: Mapped[str | None] = mapped_column(String(200))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    kudos_dm: Mapped[bool] = mapped_column(Boolean, default=True)
    # The day (workspace timezone) a kudos limit last stopped this giver: they are told once, not every time.
    kudos_limit_noticed_on: Mapped[date | None]
    refreshed_at: Mapped[datetime | None]
    # Days and hours to meet in, as bot.calendar.hours writes them ("mon-fri 09:00-17:00"); None: that default.
    working_hours: Mapped[str | None] = mapped_column(String(64))
    status_expires_at: Mapped[datetime | None]  # when their Slack status (a vacation, say) runs out
    created_at: Mapped[Created]


class Topic(Base):
    """A canonical topic of a workspace; `name` is the normalised key, `label` what people typed first."""

    __tablename__ = "topic"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    name: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[Created]


class TopicAlias(Base):
    """A workspace-learned alias (`k8s` → kubernetes), on top of the shipped alias table."""

    __tablename__ = "topic_alias"
    __table_args__ = (UniqueConstraint("team_id", "alias"),)

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    alias: Mapped[str] = mapped_column(String(100))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    created_at: Mapped[Created]


class AliasChoice(Base):
    """What one person said their words mean, by a "did you mean…?" click: theirs at once, the workspace's alias
    once uncontested."""

    __tablename__ = "alias_choice"
    __table_args__ = (UniqueConstraint("team_id", "alias", "member_id"),)

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    alias: Mapped[str] = mapped_column(String(100))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    created_at: Mapped[Created]


class Offer(Base):
    """A member teaches a topic."""

    __tablename__ = "offer"
    __table_args__ = (
        UniqueConstraint("member_id", "topic_id"),
        Index("ix_offer_team_id_topic_id_id", "team_id", "topic_id", "id"),  # see experts_for
        # The insights' new teachers: each member's first offer, read from the index alone.
        Index("ix_offer_team_id_member_id_created_at", "team_id", "member_id", "created_at"),
    )

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    level: Mapped[Level | None] = mapped_column(_enum(Level))
    note: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Created]
    updated_at: Mapped[Created]

    member: Mapped[Member] = relationship(lazy="joined", innerjoin=True)
    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)


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
    status: Mapped[NeedStatus] = mapped_column(_enum(NeedStatus), default=NeedStatus.OPEN)
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
    status: Mapped[MatchStatus] = mapped_column(_enum(MatchStatus), default=MatchStatus.PROPOSED)
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
    kind: Mapped[SessionKind] = mapped_column(_enum(SessionKind), default=SessionKind.PAIR)
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


# Literal SQL, as LIVE_NEED_SQL: a query must repeat it word for word for either database to use the partial index.
FOLLOW_UP_KUDOS_SQL = f"message_ts LIKE '{SESSION_TS}%'"


class Kudos(Base):
    """A thank-you: one per giver, message and emoji (the constraint makes retried events harmless)."""

    __tablename__ = "kudos"
    __table_args__ = (
        UniqueConstraint("team_id", "giver_id", "channel_id", "message_ts", "emoji"),
        Index("ix_kudos_team_id_receiver_id", "team_id", "receiver_id"),
        Index("ix_kudos_giver_id_giver_day", "giver_id", "giver_day"),
        Index("ix_kudos_team_id_created_at", "team_id", "created_at"),
        Index("ix_kudos_team_id_topic_id_receiver_id", "team_id", "topic_id", "receiver_id"),
        # The insights: kudos and endorsements per week from the index alone; who gave kudos in a window.
        Index("ix_kudos_team_id_created_at_topic_id", "team_id", "created_at", "topic_id"),
        Index("ix_kudos_giver_id_created_at", "giver_id", "created_at"),
        # The insights' "it helped": kudos given from a session's follow-up, a few among a million.
        Index(
            "ix_kudos_team_id_giver_id_follow_up",
            "team_id",
            "giver_id",
            "message_ts",
            sqlite_where=text(FOLLOW_UP_KUDOS_SQL),
            postgresql_where=text(FOLLOW_UP_KUDOS_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    team_id: Mapped[TeamId]
    giver_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    receiver_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    channel_id: Mapped[SlackId]
    message_ts: Mapped[SlackId]
    emoji: Mapped[str] = mapped_column(String(100))
    # The giver's day in the workspace timezone: the daily limit counts these.
    giver_day: Mapped[date]
    created_at: Mapped[Created]
    notified_at: Mapped[datetime | None]  # the receiver's DM (batched) has gone out
    # Given for a session on this topic (its follow-up, or a reaction in its group DM): an endorsement.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))


class DigestRun(Base):
    """One weekly digest per workspace and ISO week: the unique key is what makes it post once."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("team_id", "iso_year", "iso_week"),)

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    iso_year: Mapped[int]
    iso_week: Mapped[int]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None]
    # A claim is a lease: a process that died half-way leaves it to expire, and the next one checks the channel.
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(64))  # why Slack refused it (not_in_channel, is_archived…)
    created_at: Mapped[Created]


class SlotInvite(Base):
    """An expert asked to host a group slot for a topic many people want; asked once per topic."""

    __tablename__ = "slot_invite"
    __table_args__ = (
        UniqueConstraint("topic_id", "expert_id"),
        Index("ix_slot_invite_team_id_status", "team_id", "status"),
    )

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    status: Mapped[InviteStatus] = mapped_column(_enum(InviteStatus), default=InviteStatus.INVITED)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_session.id", ondelete="SET NULL"))
    created_at: Mapped[Created]

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    expert: Mapped[Member] = relationship(lazy="joined", innerjoin=True)


class ProcessedEvent(Base):
    """Event ids already handled, so Slack's retries change nothing twice."""

    __tablename__ = "processed_event"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[TeamId]
    received_at: Mapped[Created] = mapped_column(index=True)


class InsightsLogin(Base):
    """A Sign in with Slack under way: its state and nonce, kept server-side and used once (any replica may get
    the callback, so not in one process's memory)."""

    __tablename__ = "insights_login"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[str | None] = mapped_column(String(32))  # the workspace the sign-in is pinned to, if any
    created_at: Mapped[Created] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class InsightsAdmin(Base):
    """Someone peerlearn's settings let into the insights dashboard beside the workspace's admins and owners."""

    __tablename__ = "insights_admin"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[Id]
    team_id: Mapped[TeamId]
    user_id: Mapped[SlackId]
    created_at: Mapped[Created]
