"""Thin Slack listeners, one module per surface; `register` wires them all onto one Bolt app.

The app factory (bot/app.py, the composition root) imports this package and builds every request's context once
(bot/context.py): each listener is a top-level function that names a `ctx: Ctx` argument and Bolt hands it over.
"""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    actions,
    anywhere,
    fallback,
    home,
    kudos,
    learn,
    lifecycle,
    meeting,
    members,
    messages,
    sessions,
    shortcuts,
    slots,
    teach,
)


def register(app: App) -> None:
    """Register every listener; the catch-all fallbacks go last so they only see what nothing else took."""
    for surface in (learn, actions, meeting, teach, members, home, kudos, slots, sessions, lifecycle):
        surface.register(app)
    for surface in (messages, anywhere, shortcuts):  # asking from anywhere: a message, a mention, a shortcut
        surface.register(app)
    fallback.register(app)
