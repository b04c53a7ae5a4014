"""The dashboard as a browser reaches it: the whole HTTP app (Bolt and /insights on one WSGI app), signed in
through the fake Slack's Sign in with Slack."""

from __future__ import annotations

import http.client
from urllib.parse import urlparse

import pytest
from werkzeug.test import Client, TestResponse

from bot.config import Settings
from bot.deps import Deps
from bot.insights.auth import Provider
from bot.insights.web import create_app
from bot.slack.client import make_client
from bot.slack.server import PeerlearnWSGI
from store.repos import Repos
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver

KEY = "insights-test-key-0123456789abcdefghij"


@pytest.fixture
def dashboard(settings: Settings, deps: Deps, fake_slack: FakeSlack, slack: SlackDriver) -> Client:
    """A browser's view of HTTP mode with the dashboard on; UADMIN is a workspace admin, the others are not."""
    fake_slack.add_user("UADMIN", "Ada Admin", is_admin=True)
    with deps.tx() as repos:
        ensure_workspace(repos, fake_slack.team_id)
    provider = Provider(fake_slack.api_url, fake_slack.oidc.client_id, fake_slack.oidc.client_secret)
    client = make_client(settings, settings.slack_bot_token)
    web = create_app(db=deps.db, secret_key=KEY, provider=provider, client_for=lambda _team: client)
    return Client(PeerlearnWSGI(slack.app, deps.engine, SECRET, web))


def ensure_workspace(repos: Repos, team_id: str, name: str = "Demo") -> None:
    repos.workspaces.ensure(team_id)
    repos.workspaces.installed(team_id, name)


def through_slack(location: str) -> str:
    """Follow the app's redirect to the fake Slack's authorize page; the path and query it sends the browser back
    to (the fake Slack approves at once, or cancels)."""
    url = urlparse(location)
    connection = http.client.HTTPConnection(url.hostname or "", url.port)
    connection.request("GET", f"{url.path}?{url.query}")
    answer = connection.getresponse()
    back = answer.getheader("Location") or ""
    connection.close()
    assert answer.status == 302, answer.status
    parsed = urlparse(back)
    return f"{parsed.path}?{parsed.query}"


def sign_in(browser: Client, fake: FakeSlack, user: str = "UADMIN", team: str | None = None) -> TestResponse:
    """Sign in as `user`, as a browser does; the callback's response (a redirect to /insights once let in)."""
    fake.oidc.signed_in = (user, team or fake.team_id)
    start = browser.get("/insights/login")
    assert start.status_code == 302
    return browser.get(through_slack(start.headers["Location"]))
