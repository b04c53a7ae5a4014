"""/learn: declare a need and see the best experts at once; answer "did you mean…?"."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.grammar import LEARN_USAGE, Help, Invalid, Learn, LearnClose, NearCommand, parse_learn
from bot.services import learning
from bot.views import learning as views
from bot.views.common import refused

STALE = "That choice has expired. Ask again with `/learn`."


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


def on_pick(ack: Ack, action: dict[str, Any], ctx: Ctx) -> None:
    """A topic picked from "did you mean…?" or from the related topics: the need is saved under it."""
    ack()
    picked = read_pick(action.get("value"))
    if picked is None:
        ctx.tell(STALE)
        return
    with ctx.tx() as scope:
        result = learning.declare_need(scope, text=picked["q"], choice=picked["t"], confirm_alias=bool(picked.get("a")))
    ctx.reply(replace_original=True, **views.learn_reply(result, ctx.settings.kudos_emoji[0]))


def read_pick(value: object) -> dict[str, Any] | None:
    """A choice button's value: the topic key ("t"), the ask ("q"), and what else the button carries."""
    try:
        picked = json.loads(str(value))
    except ValueError:
        return None
    if not isinstance(picked, dict) or not isinstance(picked.get("t"), str) or not isinstance(picked.get("q"), str):
        return None
    return picked


def register(app: App) -> None:
    app.command(ids.LEARN)(on_learn)
    app.action(ids.any_numbered(ids.LEARN_PICK))(on_pick)
