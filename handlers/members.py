"""user_change: keep names, timezones and deactivations current without asking Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot import ids
from bot.deps import deps_of
from bot.slack.tenancy import tenant_of


def on_user_change(event: dict[str, Any], context: BoltContext) -> None:
    """A profile changed or a user was deactivated; idempotent, so Slack's retries are harmless."""
    user = event.get("user") or {}
    team = tenant_of(context)
    if team and user.get("id"):
        deps_of(context).directory.apply(team, user)


def register(app: App) -> None:
    app.event(ids.USER_CHANGE)(on_user_change)
