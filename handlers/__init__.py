"""Thin Slack listeners, one module per surface; `register` wires them all onto one Bolt app."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import actions, fallback, home, kudos, learn, lifecycle, meeting, members, sessions, slots, teach


def register(app: App, deps: Deps) -> None:
    """Register every listener; the catch-all fallbacks go last so they only see what nothing else took."""
    learn.register(app, deps)
    actions.register(app, deps)
    meeting.register(app, deps)
    teach.register(app, deps)
    members.register(app, deps)
    home.register(app, deps)
    kudos.register(app, deps)
    slots.register(app, deps)
    sessions.register(app, deps)
    lifecycle.register(app, deps)
    fallback.register(app, deps)
