"""Multi-workspace installs through Bolt's OAuth flow on our WSGI app: a token per workspace, nothing shared
between workspaces, uninstalls and revoked tokens stop a workspace's work, bad callbacks get a clear page."""

import html
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs import digest as digest_job
from bot.scheduler import Scheduler
from bot.services.workspace import DigestTarget
from bot.slack.client import WorkspaceClients
from bot.slack.install import BOT_SCOPES, installation_store
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on, wanted
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.oauth_fixtures import Web

T1, T2 = "T0000AAAA", "T0000BBBB"


def test_install_stores_a_token_per_workspace(web: Web, fake_slack: FakeSlack, oauth_deps: Deps) -> None:
    for team, name in ((T1, "Acme"), (T2, "Globex")):
        status, page = web.install(fake_slack, team, name)
        assert status == 200 and f"peerlearn is installed in {name}" in page
    store = web.app.installation_store
    assert store.find_bot(enterprise_id=None, team_id=T1).bot_token == fake_slack.token_of(T1)
    assert store.find_bot(enterprise_id=None, team_id=T2).bot_token == fake_slack.token_of(T2)
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.active_teams() == [T1, T2]
        assert Repos(session).workspaces.ensure(T2).name == "Globex"
    link = re.search(r'"(https://slack.com/oauth/v2/authorize\?[^"]+)"', web.get("/slack/install")[2])
    assert link is not None
    scopes = parse_qs(urlparse(html.unescape(link[1])).query)["scope"][0]
    assert set(scopes.split(",")) == set(BOT_SCOPES)


def test_bad_reused_and_denied_callbacks_get_a_clear_page(
    web: Web, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    status, _, page = web.get("/slack/oauth_redirect", {"code": "x", "state": "forged"})
    assert status == 400 and "expired or was already used" in page
    state, cookie = web.begin()
    status, _, page = web.get("/slack/oauth_redirect", {"error": "access_denied", "state": state}, cookie)
    assert status == 200 and "peerlearn was not added" in page
    state, cookie = web.begin()
    status, _, page = web.get("/slack/oauth_redirect", {"code": "unknown", "state": state}, cookie)
    assert status >= 400 and "did not complete the install (invalid_code)" in page
    fake_slack.installs["good"] = (T1, "Acme", "UADMIN")
    state, cookie = web.begin()
    assert web.get("/slack/oauth_redirect", {"code": "good", "state": state}, cookie)[0] == 200
    status, _, page = web.get("/slack/oauth_redirect", {"code": "good", "state": state}, cookie)  # replayed
    assert status == 400 and "already used" in page
    assert "install did not complete: invalid_state" in caplog.text
    assert web.app.installation_store.find_bot(enterprise_id=None, team_id=T2) is None
    assert "client-secret" not in caplog.text and fake_slack.token_of(T1) not in caplog.text


def drivers(web: Web, fake: FakeSlack, deps: Deps) -> tuple[SlackDriver, SlackDriver]:
    for team, name in ((T1, "Acme"), (T2, "Globex")):
        web.install(fake, team, name)
    return (
        SlackDriver(web.app, fake, SECRET, deps.background, team=T1),
        SlackDriver(web.app, fake, SECRET, deps.background, team=T2),
    )


def learning_channel(deps: Deps, *teams: str) -> None:
    with deps.db.begin() as session:
        for team in teams:
            Repos(session).workspaces.ensure(team).learning_channel = "CLEARN"
    for team in teams:
        deps.workspace_cache.forget(team)


def clients(settings: Settings, deps: Deps) -> WorkspaceClients:
    return WorkspaceClients(settings, installation_store(settings, deps.engine))


def digests(fake: FakeSlack) -> list[Any]:
    return [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "CLEARN" and c.response["ok"]]


def test_the_same_commands_in_two_workspaces_never_see_each_other(
    web: Web, fake_slack: FakeSlack, oauth_deps: Deps, oauth_settings: Settings
) -> None:
    acme, globex = drivers(web, fake_slack, oauth_deps)
    for slack in (acme, globex):
        slack.command("/teach", "kubernetes", user="UALICE")
    acme.command("/teach", "rust", user="UCARA")
    assert "<@UCARA>" in acme.command("/learn", "rust", user="UBOB").text
    nobody = globex.command("/learn", "rust", user="UBOB").text
    assert "UCARA" not in nobody and "Nobody teaches" in nobody
    assert "<@UALICE>" in globex.command("/learn", "kubernetes", user="UBOB").text

    # Every call made for a workspace carried that workspace's own token.
    tokens = {c.token for c in fake_slack.calls if c.method in ("users.info", "views.publish")}
    assert tokens <= {fake_slack.token_of(T1), fake_slack.token_of(T2)} and len(tokens) == 2
    globex.event({"type": "app_home_opened", "user": "UBOB", "tab": "home"})
    home = [c for c in fake_slack.calls_to("views.publish") if c.token == fake_slack.token_of(T2)][-1]
    assert "Rust" in json.dumps(home.args["view"])  # Bob's own need in Globex…
    assert "UCARA" not in json.dumps(home.args["view"])  # …and nothing of Acme's

    learning_channel(oauth_deps, T1, T2)
    ctx = JobContext(oauth_deps, clients(oauth_settings, oauth_deps))
    for team in (T1, T2):
        assert (
            digest_job.post(
                ctx, DigestTarget(team, team), datetime.now(UTC), oauth_deps.workspace(team), force=True
            ).value
            == "posted"
        )
    posts = {c.token: json.dumps(c.args["blocks"]) for c in digests(fake_slack)}
    assert "rust" not in posts[fake_slack.token_of(T1)]  # Acme has a rust teacher: not "wanted" there
    assert "Rust" in posts[fake_slack.token_of(T2)]


def test_uninstall_and_revoked_tokens_stop_only_that_workspace(
    web: Web, fake_slack: FakeSlack, oauth_deps: Deps, oauth_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    acme, globex = drivers(web, fake_slack, oauth_deps)
    third = "T0000CCCC"
    web.install(fake_slack, third, "Initech")
    learning_channel(oauth_deps, T1, T2, third)
    installed_on(oauth_deps, LONG_AGO, T1, T2, third)  # before the Monday below, each with something to report
    for team in (T1, T2, third):
        wanted(oauth_deps, team)

    globex.event({"type": "app_uninstalled"})
    globex.event({"type": "tokens_revoked", "tokens": {"bot": ["UPEERBOT"]}})  # Slack sends both; either is enough
    assert web.app.installation_store.find_bot(enterprise_id=None, team_id=T2) is None
    fake_slack.revoked.add(fake_slack.token_of(third))  # revoked without our hearing of it: a job finds out

    scheduler = Scheduler(JobContext(oauth_deps, clients(oauth_settings, oauth_deps)), interval=60, campaign_every=15)
    caplog.set_level(logging.WARNING)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(monday, tick=False):
        scheduler.run_all()
        scheduler.run_all()
    assert [c.token for c in digests(fake_slack)] == [
        fake_slack.token_of(T1)
    ]  # Acme still gets its digest; Globex was uninstalled
    assert f"workspace {third}: Slack says token_revoked" in caplog.text
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.active_teams() == [T1]
    assert acme.command("/learn", "go", user="UBOB").status == 200  # the others carry on

    web.install(fake_slack, T2, "Globex")  # reinstalled: served again
    with oauth_deps.db() as session:
        assert T2 in Repos(session).workspaces.active_teams()
