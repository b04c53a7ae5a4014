"""/teach: offer expertise and see who is waiting for it; answer "did you mean…?"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps
from bot.grammar import TEACH_USAGE, Help, Invalid, NearCommand, Teach, TeachPause, TeachRemove, parse_teach
from bot.services import teaching
from bot.services.learning import NotATopic
from bot.services.teaching import NewTeacher
from bot.slack.tenancy import tenant_of
from bot.views import teaching as views
from bot.views.asks import new_teacher
from bot.views.common import near_command, problem
from handlers.learn import STALE, read_pick
from handlers.replies import tell
from store.models import Level
from store.repos import Repos

# Learners told per /teach: the oldest needs first; the rest see the teacher in their next /learn.
MAX_NOTICES = 20


def register(app: App, deps: Deps) -> None:
    @app.command(ids.TEACH)
    def on_teach(ack: Ack, command: dict[str, str], client: WebClient, context: BoltContext) -> None:
        """/teach TOPIC, TOPIC… — offer topics; /teach alone lists yours."""
        team, user = tenant_of(context), command["user_id"]
        parsed = parse_teach(command.get("text", ""))
        if isinstance(parsed, Invalid):
            ack(**problem(parsed.reason, TEACH_USAGE))
            return
        if isinstance(parsed, NearCommand):
            ack(**near_command(parsed.suggestion, parsed.literal))
            return
        notify: Sequence[NewTeacher] = ()
        back: Sequence[NewTeacher] = ()
        with deps.db.begin() as session:
            repos = Repos(session)
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
            deps.background.submit(tell_waiting_learners, client, notify, user)
        if back:
            deps.background.submit(tell_waiting_learners, client, back, user, back=True)

    @app.action(ids.TEACH_PICK)
    def on_pick(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """A topic picked from "did you mean…?" after /teach: the offer is saved under it."""
        ack()
        picked = read_pick(action.get("value"))
        if picked is None:
            tell(respond, STALE)
            return
        team, user = tenant_of(context), body["user"]["id"]
        level = next((level for level in Level if level.value == picked.get("l")), None)
        command = Teach((picked["q"],), level, str(picked.get("n") or "") or None)
        with deps.db.begin() as session:
            result = teaching.offer_topics(
                Repos(session), deps.catalog, team_id=team, user_id=user, command=command, choice=picked["t"]
            )
        respond(replace_original=True, **views.teach_reply(result))
        if not isinstance(result, NotATopic) and result.notify:
            deps.background.submit(tell_waiting_learners, client, result.notify, user)


def tell_waiting_learners(client: WebClient, notify: Sequence[NewTeacher], expert: str, *, back: bool = False) -> None:
    """DM learners waiting on a topic that someone now teaches it (or is `back` from a pause to teach);
    sequential, so a big topic is paced."""
    for notice in notify[:MAX_NOTICES]:
        client.chat_postMessage(channel=notice.learner, **new_teacher(notice, expert, back=back))
