"""The insights dashboard's sign-ins and its extra admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, Created, Id, SlackId, TeamId


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
