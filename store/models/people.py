"""Workspaces, their members, and the Slack events already handled."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, Created, Id, SlackId, TeamId


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


class ProcessedEvent(Base):
    """Event ids already handled, so Slack's retries change nothing twice."""

    __tablename__ = "processed_event"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[TeamId]
    received_at: Mapped[Created] = mapped_column(index=True)
