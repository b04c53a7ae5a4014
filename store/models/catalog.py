"""Topics, the words a workspace taught for them, and who teaches them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain import Level
from store.models.base import Base, Created, Id, TeamId, enum_of
from store.models.people import Member


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
    level: Mapped[Level | None] = mapped_column(enum_of(Level))
    note: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Created]
    updated_at: Mapped[Created]

    member: Mapped[Member] = relationship(lazy="joined", innerjoin=True)
    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
