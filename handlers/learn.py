"""/learn: declare a need and see the best experts at once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.grammar import LEARN_USAGE, Help, Invalid, Learn, LearnClose, parse_learn
from bot.services import learning
from bot.views import learning as views
from bot.views.common import problem
from handlers import ids
from store.models import utcnow
from store.repos import Repos


def register(app: App, deps: Deps) -> None:
    @app.command(ids.LEARN)
    def on_learn(ack: Ack, command: dict[str, str], client: WebClient) -> None:
        """/learn TOPIC — declare a need and show the best experts."""
        team, user = command["team_id"], command["user_id"]
        parsed = parse_learn(command.get("text", ""), deps.catalog.aliases)
        if isinstance(parsed, Invalid):
            ack(**problem(parsed.reason, LEARN_USAGE))
            return
        result: learning.LearnResult | None = None
        reply: dict[str, Any] = {}
        with deps.sessions.begin() as session:
            repos = Repos(session)
            match parsed:
                case Help():
                    reply = views.needs_list(learning.my_needs(repos, team_id=team, user_id=user))
                case Learn(topic=topic):
                    result = learning.declare_need(
                        repos, deps.catalog, team_id=team, user_id=user, topic=topic, now=utcnow()
                    )
                    pass
                case LearnClose(topic=topic, done=done):
                    changed = learning.close_need(
                        repos, deps.catalog, team_id=team, user_id=user, topic=topic, done=done
                    )
                    reply = views.need_closed(changed, done)
        # Built after the commit: the transaction (and SQLite's write lock) is held no longer than needed.
        ack(**(views.learn_reply(result) if result is not None else reply))
        deps.directory.refresh_soon(deps.background, client, team, user)
