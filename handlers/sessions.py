"""The session follow-up's "Mark need done" (its "Give kudos" lives with the other kudos in handlers.kudos)."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.services import sessions
from bot.views.sessions import DONE_TEXT
from bot.wire import SessionValue
from handlers.decoding import decoded


def on_mark_done(ack: Ack, value: SessionValue, ctx: Ctx) -> None:
    """The learner says the need is met: it is closed, and its match done."""
    ack()
    with ctx.tx() as scope:
        result = sessions.mark_need_done(scope, session_id=value.id)
    ctx.background.submit(ctx.tell, DONE_TEXT[result.status])


def register(app: App) -> None:
    app.action(ids.MARK_DONE, middleware=[decoded(SessionValue)])(on_mark_done)
