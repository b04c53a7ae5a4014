"""Requests nothing else took: an unknown command gets usage, never Bolt's 404."""

from __future__ import annotations

import re

from slack_bolt import Ack, App

from bot.views.common import ephemeral, unknown_command


def on_unknown_command(ack: Ack, command: dict[str, str]) -> None:
    """A slash command pointed at this app that it does not know."""
    ack(**ephemeral(unknown_command(command.get("command"))))


def on_unknown_action(ack: Ack) -> None:
    """A button from an old message whose action no longer exists: acknowledge and do nothing."""
    ack()


def register(app: App) -> None:
    app.command(re.compile(r".*"))(on_unknown_command)
    app.action(re.compile(r".*"))(on_unknown_action)
