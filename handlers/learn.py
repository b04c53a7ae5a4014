"""/learn: declare a need and see the best experts at once; answer "did you mean…?"."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.grammar import LEARN_USAGE, Help, Invalid, Learn, LearnClose, NearCommand, parse_learn
from bot.services import learning
from bot.views import learning as views
from bot.views.common import STALE, refused
from bot.wire import PickValue
from handlers.decoding import decoded


def on_learn(ack: Ack, command: dict[str, str], ctx: Ctx) -> None:
    """/learn TOPIC — declare a need and show the best experts."""
    parsed = parse_learn(command.get("text", ""))
    if isinstance(parsed, Invalid | NearCommand):
        ack(**refused(parsed, LEARN_USAGE))
        return
    with ctx.tx() as scope:
        match parsed:
            case Help():
                reply = views.needs_list(learning.my_needs(scope))
            case Learn(topic=text):
                result = learning.declare_need(scope, text=text)
            case LearnClose(topic=topic, done=done):
                reply = views.need_closed(learning.close_need(scope, topic=topic, done=done), done)
    # Built after the commit: the transaction (and SQLite's write lock) is held no longer than needed.
    ack(**(views.learn_reply(result, ctx.settings.kudos_emoji[0]) if isinstance(parsed, Learn) else reply))
    ctx.refresh_me()


def on_pick(ack: Ack, value: PickValue, ctx: Ctx) -> None:
    """A topic picked from "did you mean…?" or from the related topics: the need is saved under it."""
    ack()
    with ctx.tx() as scope:
        result = learning.declare_need(scope, text=value.asked, choice=value.topic, confirm_alias=value.alias)
    ctx.reply(replace_original=True, **views.learn_reply(result, ctx.settings.kudos_emoji[0]))


def register(app: App) -> None:
    app.command(ids.LEARN)(on_learn)
    app.action(ids.any_numbered(ids.LEARN_PICK), middleware=[decoded(PickValue, STALE)])(on_pick)
