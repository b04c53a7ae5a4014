"""The session follow-up's "Mark need done" (its "Give kudos" lives with the other kudos in handlers.kudos)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import ids
from bot.deps import deps_of
from bot.services import sessions
from bot.slack.tenancy import tenant_of
from bot.views.sessions import DONE_TEXT
from handlers.replies import tell


def on_mark_done(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """The learner says the need is met: it is closed, and its match done."""
    ack()
    value = str(action.get("value", ""))
    if not value.isdigit():
        return
    deps, team = deps_of(context), tenant_of(context)
    with deps.tx() as repos:
        result = sessions.mark_need_done(repos, team_id=team, session_id=int(value), learner=body["user"]["id"])
    deps.background.submit(tell, respond, team, DONE_TEXT[result.status])


def register(app: App) -> None:
    app.action(ids.MARK_DONE)(on_mark_done)
