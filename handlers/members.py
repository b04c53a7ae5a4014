"""user_change: keep names, timezones and deactivations current without asking Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.deps import Deps
from handlers import ids


def register(app: App, deps: Deps) -> None:
    @app.event(ids.USER_CHANGE)
    def on_user_change(event: dict[str, Any], body: dict[str, Any]) -> None:
        """A profile changed or a user was deactivated; idempotent, so Slack's retries are harmless."""
        user = event.get("user") or {}
        team = user.get("team_id") or body.get("team_id")
        if team and user.get("id"):
            deps.directory.apply(team, user)
