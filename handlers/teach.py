"""/teach: offer expertise and see who is waiting for it; answer "did you mean…?"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import deps_of
from bot.domain import Level
from bot.grammar import TEACH_USAGE, Help, Invalid, NearCommand, Teach, TeachPause, TeachRemove, parse_teach
from bot.services import teaching
from bot.services.learning import NotATopic
from bot.services.teaching import NewTeacher
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import teaching as views
from bot.views.common import refused
from handlers.learn import STALE, read_pick
from handlers.replies import tell, tell_waiting_learners


def on_teach(ack: Ack, command: dict[str, str], client: WebClient, context: BoltContext) -> None:
    """/teach TOPIC, TOPIC… — offer topics; /teach alone lists yours."""
    deps, team, user = deps_of(context), tenant_of(context), command["user_id"]
    parsed = parse_teach(command.get("text", ""))
    if isinstance(parsed, Invalid | NearCommand):
        ack(**refused(parsed, TEACH_USAGE))
        return
    notify: Sequence[NewTeacher] = ()
    back: Sequence[NewTeacher] = ()
    with deps.tx() as repos:
        match parsed:
            case Help():
                reply = views.topics_list(teaching.my_topics(repos, team_id=team, user_id=user))
            case Teach():
                result = teaching.offer_topics(repos, deps.catalog, team_id=team, user_id=user, command=parsed)
                reply = views.teach_reply(result)
                notify = () if isinstance(result, NotATopic) else result.notify
            case TeachRemove(topics=topics):
                removed = teaching.remove_topics(repos, deps.catalog, team_id=team, user_id=user, topics=topics)
                reply = views.topics_removed(removed)
            case TeachPause(paused=paused):
                pause = teaching.set_paused(repos, team_id=team, user_id=user, paused=paused)
                reply = views.pause_reply(paused, pause.changed)
                back = pause.notify
    ack(**reply)
    deps.directory.refresh_soon(deps.background, client, team, user)
    if notify:
        deps.background.submit(tell_waiting_learners, client, team, notify, user)
    if back:
        deps.background.submit(tell_waiting_learners, client, team, back, user, back=True)


def on_pick(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A topic picked from "did you mean…?" after /teach: the offer is saved under it."""
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    picked = read_pick(action.get("value"))
    if picked is None:
        tell(respond, team, STALE)
        return
    level = next((level for level in Level if level.value == picked.get("l")), None)
    command = Teach((picked["q"],), level, str(picked.get("n") or "") or None)
    with deps.tx() as repos:
        result = teaching.offer_topics(
            repos, deps.catalog, team_id=team, user_id=user, command=command, choice=picked["t"]
        )
    outbox.respond(respond, team, replace_original=True, **views.teach_reply(result))
    if not isinstance(result, NotATopic) and result.notify:
        deps.background.submit(tell_waiting_learners, client, team, result.notify, user)


def register(app: App) -> None:
    app.command(ids.TEACH)(on_teach)
    app.action(ids.any_numbered(ids.TEACH_PICK))(on_pick)
