"""App Home: the member's own topics and needs, published when they open the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.services import learning
from bot.views.home import home_view
from handlers import ids
from store.repos import Repos


def register(app: App, deps: Deps) -> None:
    @app.event(ids.APP_HOME_OPENED)
    def on_home_opened(event: dict[str, Any], context: dict[str, Any], client: WebClient) -> None:
        """Publish a fresh Home tab; the Messages tab needs nothing from us."""
        if event.get("tab", "home") != "home":
            return
        team, user = context["team_id"], event["user"]
        deps.directory.refresh(client, team, user)
        with deps.sessions.begin() as session:
            repos = Repos(session)
            topics = learning.my_topics(repos, team_id=team, user_id=user)
            needs = learning.my_needs(repos, team_id=team, user_id=user)
        client.views_publish(user_id=user, view=home_view(topics, needs))
