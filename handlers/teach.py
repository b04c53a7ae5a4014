"""/teach: offer expertise and see who is waiting for it."""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.grammar import TEACH_USAGE, Help, Invalid, Teach, TeachPause, TeachRemove, parse_teach
from bot.services import learning
from bot.services.learning import NewTeacher
from bot.views import learning as views
from bot.views.common import problem
from bot.views.matching import new_teacher
from handlers import ids
from store.repos import Repos

# Learners told per /teach: the oldest needs first; the rest see the teacher in their next /learn.
MAX_NOTICES = 20


def register(app: App, deps: Deps) -> None:
    @app.command(ids.TEACH)
    def on_teach(ack: Ack, command: dict[str, str], client: WebClient) -> None:
        """/teach TOPIC, TOPIC… — offer topics; /teach alone lists yours."""
        team, user = command["team_id"], command["user_id"]
        parsed = parse_teach(command.get("text", ""), deps.catalog.aliases)
        if isinstance(parsed, Invalid):
            ack(**problem(parsed.reason, TEACH_USAGE))
            return
        notify: Sequence[NewTeacher] = ()
        with deps.sessions.begin() as session:
            repos = Repos(session)
            match parsed:
                case Help():
                    reply = views.topics_list(learning.my_topics(repos, team_id=team, user_id=user))
                case Teach():
                    result = learning.offer_topics(repos, deps.catalog, team_id=team, user_id=user, command=parsed)
                    reply = views.teach_reply(result)
                    notify = result.notify
                case TeachRemove(topics=topics):
                    removed = learning.remove_topics(repos, deps.catalog, team_id=team, user_id=user, topics=topics)
                    reply = views.topics_removed(removed)
                case TeachPause(paused=paused):
                    changed = learning.set_paused(repos, team_id=team, user_id=user, paused=paused)
                    reply = views.pause_reply(paused, changed)
        ack(**reply)
        deps.directory.refresh_soon(deps.background, client, team, user)
        if notify:
            deps.background.submit(tell_waiting_learners, client, notify, user)


def tell_waiting_learners(client: WebClient, notify: Sequence[NewTeacher], expert: str) -> None:
    """DM learners waiting on a topic that someone now teaches it; sequential, so a big topic is paced."""
    for notice in notify[:MAX_NOTICES]:
        client.chat_postMessage(channel=notice.learner, **new_teacher(notice, expert))
