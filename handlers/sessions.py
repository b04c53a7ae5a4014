"""The session follow-up's "Mark need done" (its "Give kudos" lives with the other kudos in handlers.kudos)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import ids
from bot.deps import Deps
from bot.services import sessions
from bot.slack.tenancy import tenant_of
from bot.views.sessions import DONE_TEXT
from handlers.replies import tell
from store.repos import Repos


def register(app: App, deps: Deps) -> None:
    @app.action(ids.MARK_DONE)
    def on_mark_done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        """The learner says the need is met: it is closed, and its match done."""
        ack()
        value = str(action.get("value", ""))
        if not value.isdigit():
            return
        with deps.db.begin() as session:
            result = sessions.mark_need_done(
                Repos(session),
                team_id=tenant_of(context),
                session_id=int(value),
                learner=body["user"]["id"],
            )
        text = DONE_TEXT[result.status]
        deps.background.submit(tell, respond, text)
