"""An Enterprise Grid org installed org-wide: its admin sees the whole org on the dashboard, and each workspace's own
numbers when filtered by it. People, needs and offers come through the real Slack flows, from two workspaces."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from bot.config import Settings
from bot.deps import Deps
from bot.insights.auth import Provider
from bot.insights.web import create_app
from bot.slack.client import make_client
from tests.bot.insights.dashboard import sign_in
from tests.bot.insights.test_numbers import Tables
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_enterprise_grid import ORG, T1, T2
from tests.oauth_fixtures import Web

__all__ = ["oauth_deps", "oauth_settings", "web"]
from tests.oauth_fixtures import oauth_deps, oauth_settings, web


@pytest.fixture
def grid(web: Web, fake_slack: FakeSlack, oauth_deps: Deps, oauth_settings: Settings) -> Client:
    """The Acme org: Alice and Cara work in Berlin (T1), Bob and Dan in Tokyo (T2); each asks from home."""
    for user, name, home in (("UALICE", "Alice", T1), ("UCARA", "Cara", T1), ("UBOB", "Bob", T2), ("UDAN", "Dan", T2)):
        fake_slack.add_user(user, name, enterprise_id=ORG, home_team=home)
    fake_slack.add_user("UADMIN", "Ada", enterprise_id=ORG, is_org_admin=True, home_team=T1)
    status, _ = web.install(fake_slack, ORG, "Acme Corp")
    assert status == 200
    berlin, tokyo = (
        SlackDriver(web.app, fake_slack, SECRET, oauth_deps.background, team=team, enterprise=ORG) for team in (T1, T2)
    )
    berlin.command("/teach", "terraform", user="UALICE")
    for user in ("UALICE", "UCARA"):
        berlin.command("/learn", "kubernetes", user=user)
    berlin.command("/learn", "rust", user="UCARA")
    for user in ("UBOB", "UDAN"):
        tokyo.command("/learn", "golang", user=user)
    tokyo.command("/teach", "sql", user="UBOB")
    tokyo.command("/teach", "haskell", user="UDAN")
    provider = Provider(fake_slack.api_url, fake_slack.oidc.client_id, fake_slack.oidc.client_secret)
    client = make_client(oauth_settings, fake_slack.token_of(ORG))
    app = create_app(db=oauth_deps.db, secret_key="k" * 40, provider=provider, client_for=lambda _team: client)
    browser = Client(app)
    assert sign_in(browser, fake_slack, "UADMIN", T1).status_code == 302
    return browser


def page(browser: Client, workspace: str | None = None) -> Tables:
    answer = browser.get("/insights", query_string={"workspace": workspace} if workspace else {})
    assert answer.status_code == 200
    return Tables(answer.get_data(as_text=True))


def test_each_workspace_sees_its_own_numbers_and_the_org_sees_both(grid: Client) -> None:
    org, berlin, tokyo = page(grid), page(grid, T1), page(grid, T2)
    assert org.rows("demand").keys() == {"Kubernetes", "Rust", "Go"}
    assert berlin.rows("demand").keys() == {"Kubernetes", "Rust"}
    assert tokyo.rows("demand").keys() == {"Go"}
    new_teachers = [p.rows("participation")["New teachers"] for p in (org, berlin, tokyo)]
    assert new_teachers == [["3"], ["1"], ["2"]]
    asked = [p.rows("funnel")["Asked"][0] for p in (org, berlin, tokyo)]
    assert asked == ["5", "3", "2"]
    took_part = [p.rows("participation")["Members who took part"] for p in (org, berlin, tokyo)]
    assert took_part == [["4"], ["2"], ["2"]]
    # The CSV of a filtered page holds the filtered rows.
    csv = grid.get("/insights/csv/demand.csv", query_string={"workspace": T2}).get_data(as_text=True)
    assert "Go" in csv and "Kubernetes" not in csv


def test_a_workspace_of_another_org_is_refused(grid: Client) -> None:
    assert grid.get("/insights", query_string={"workspace": "T0000SOLO"}).status_code == 400
