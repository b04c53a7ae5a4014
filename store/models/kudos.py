"""Thank-yous."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain import SESSION_TS
from store.models.base import Base, Created, SlackId, TeamId

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
