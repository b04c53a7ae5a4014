"""user_change: keep names, timezones and deactivations current without asking Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import ids
from bot.context import Ctx


def on_user_change(event: dict[str, Any], ctx: Ctx) -> None:
    """A profile changed or a user was deactivated; idempotent, so Slack's retries are harmless."""
    user = event.get("user") or {}
    if ctx.team and user.get("id"):
        ctx.directory.apply(ctx.team, user)


def register(app: App) -> None:
    app.event(ids.USER_CHANGE)(on_user_change)
