"""/learn: declare a need and see the best experts at once; answer "did you mean…?"."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import deps_of
from bot.grammar import LEARN_USAGE, Help, Invalid, Learn, LearnClose, NearCommand, parse_learn
from bot.services import learning
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import learning as views
from bot.views.common import refused
from handlers.replies import tell
from store.models import utcnow

STALE = "That choice has expired. Ask again with `/learn`."


def on_learn(ack: Ack, command: dict[str, str], client: WebClient, context: BoltContext) -> None:
    """/learn TOPIC — declare a need and show the best experts."""
    deps, team, user = deps_of(context), tenant_of(context), command["user_id"]
    parsed = parse_learn(command.get("text", ""))
    if isinstance(parsed, Invalid | NearCommand):
        ack(**refused(parsed, LEARN_USAGE))
        return
    with deps.tx() as repos:
        match parsed:
            case Help():
                reply = views.needs_list(learning.my_needs(repos, team_id=team, user_id=user))
            case Learn(topic=text):
                result = learning.declare_need(repos, deps.catalog, team_id=team, user_id=user, text=text, now=utcnow())
            case LearnClose(topic=topic, done=done):
                changed = learning.close_need(repos, deps.catalog, team_id=team, user_id=user, topic=topic, done=done)
                reply = views.need_closed(changed, done)
    # Built after the commit: the transaction (and SQLite's write lock) is held no longer than needed.
    ack(**(views.learn_reply(result, deps.workspace(team).kudos_emoji[0]) if isinstance(parsed, Learn) else reply))
    deps.directory.refresh_soon(deps.background, client, team, user)


def on_pick(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext) -> None:
    """A topic picked from "did you mean…?" or from the related topics: the need is saved under it."""
    ack()
    deps, team = deps_of(context), tenant_of(context)
    picked = read_pick(action.get("value"))
    if picked is None:
        tell(respond, team, STALE)
        return
    with deps.tx() as repos:
        result = learning.declare_need(
            repos,
            deps.catalog,
            team_id=team,
            user_id=body["user"]["id"],
            text=picked["q"],
            now=utcnow(),
            choice=picked["t"],
            confirm_alias=bool(picked.get("a")),
        )
    outbox.respond(
        respond, team, replace_original=True, **views.learn_reply(result, deps.workspace(team).kudos_emoji[0])
    )


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
