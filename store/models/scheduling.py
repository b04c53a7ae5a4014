"""What the scheduler records: digests posted and group slots offered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain import InviteStatus
from store.models.base import Base, Created, Id, TeamId, enum_of
from store.models.catalog import Topic
from store.models.people import Member


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
    status: Mapped[InviteStatus] = mapped_column(enum_of(InviteStatus), default=InviteStatus.INVITED)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_session.id", ondelete="SET NULL"))
    created_at: Mapped[Created]

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    expert: Mapped[Member] = relationship(lazy="joined", innerjoin=True)
