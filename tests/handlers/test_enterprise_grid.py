"""Enterprise Grid: an org admin installs once for the whole org; a person is one member in all its workspaces.

Through Bolt's OAuth flow on our WSGI app and the fake Slack, with the payloads an org-wide install receives:
`enterprise_id`, `is_enterprise_install` and `authorizations` that name the org and no workspace.
"""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import ids
from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs import digest as digest_job
from store.models import Kudos, Member, Workspace
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on
from tests.bot.slack.test_install import clients
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_kudos import reaction
from tests.oauth_fixtures import Web

ORG, OTHER_ORG = "E0000ACME", "E0000INIT"
T1, T2 = "T0000BERL", "T0000TOKY"  # two workspaces of the Acme org
SOLO = "T0000SOLO"  # a workspace installed on its own
MONDAY_9_UTC = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def org(web: Web, fake_slack: FakeSlack, oauth_deps: Deps) -> tuple[SlackDriver, SlackDriver]:
    """The Acme org installed org-wide by its admin; Slack sends from its Berlin and Tokyo workspaces."""
    for user, name in (("UALICE", "Alice"), ("UBOB", "Bob"), ("UCARA", "Cara")):
        fake_slack.add_user(user, name, enterprise_id=ORG, tz="Europe/Berlin")
    fake_slack.add_user("UADMIN", "Ada", enterprise_id=ORG, is_org_admin=True)
    status, page = web.install(fake_slack, ORG, "Acme Corp")
    assert status == 200 and "peerlearn is installed in Acme Corp" in page
    return tuple(  # type: ignore[return-value]
        SlackDriver(web.app, fake_slack, SECRET, oauth_deps.background, team=team, enterprise=ORG) for team in (T1, T2)
    )


def members(deps: Deps) -> list[tuple[str, str]]:
    with deps.db() as session:
        return sorted((m.team_id, m.user_id) for m in session.scalars(select(Member)))


def test_one_install_serves_every_workspace_with_the_orgs_token(
    org: tuple[SlackDriver, SlackDriver], web: Web, fake_slack: FakeSlack, oauth_deps: Deps
) -> None:
    berlin, tokyo = org
    bot = web.app.installation_store.find_bot(enterprise_id=ORG, team_id=None, is_enterprise_install=True)
    assert bot is not None and bot.bot_token == fake_slack.token_of(ORG)
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.active_teams() == [ORG]

    assert "You teach *Terraform*" in berlin.command("/teach", "terraform", user="UALICE").text
    # Bob types in the Tokyo workspace and finds Alice, who taught in Berlin: one org, one pool of experts.
    assert "<@UALICE>" in tokyo.command("/learn", "terraform", user="UBOB").text
    # His need is the same wherever he looks at it.
    assert "Terraform" in berlin.command("/learn", user="UBOB").text
    assert members(oauth_deps) == [(ORG, "UALICE"), (ORG, "UBOB")]  # one member each, under the org
    tokens = {c.token for c in fake_slack.calls if c.method == "users.info"}
    assert tokens == {fake_slack.token_of(ORG)}
    with oauth_deps.db() as session:  # the workspaces that sent requests are known, for their digests
        assert Repos(session).workspaces.of_org(ORG) == [T1, T2]


def test_kudos_and_their_limits_are_the_same_in_every_workspace(
    org: tuple[SlackDriver, SlackDriver], oauth_deps: Deps
) -> None:
    berlin, tokyo = org
    for i in range(4):  # five a day, across the org: the sixth is over the limit wherever it is given
        berlin.event(reaction("reaction_added", "UBOB", "UALICE" if i % 2 else "UCARA", ts=f"1.{i}"))
        tokyo.event(reaction("reaction_added", "UBOB", "UCARA" if i % 2 else "UALICE", ts=f"2.{i}"))
    with oauth_deps.db() as session:
        given = session.scalars(select(Kudos)).all()
    assert len(given) == 5 and {k.team_id for k in given} == {ORG}
    berlin.command("/teach", "terraform", user="UALICE")
    # Alice was thanked once in each workspace (her third, in Tokyo, was over Bob's daily limit): both count.
    assert ":mortar_board: 2 kudos" in tokyo.command("/learn", "terraform", user="UCARA").text


def test_data_of_other_orgs_and_workspaces_never_mixes(
    org: tuple[SlackDriver, SlackDriver], web: Web, fake_slack: FakeSlack, oauth_deps: Deps
) -> None:
    berlin, _ = org
    berlin.command("/teach", "rust", user="UALICE")
    web.install(fake_slack, SOLO, "Solo Ltd")
    web.install(fake_slack, OTHER_ORG, "Initech")
    solo = SlackDriver(web.app, fake_slack, SECRET, oauth_deps.background, team=SOLO)
    other = SlackDriver(web.app, fake_slack, SECRET, oauth_deps.background, team="T0000INIT", enterprise=OTHER_ORG)
    for driver in (solo, other):
        reply = driver.command("/learn", "rust", user="UBOB").text
        assert "UALICE" not in reply and "Nobody teaches" in reply
    assert "<@UALICE>" in berlin.command("/learn", "rust", user="UBOB").text
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.active_teams() == sorted([ORG, OTHER_ORG, SOLO])
    solo_calls = [c for c in fake_slack.calls if c.method == "users.info" and c.args.get("user") == "UBOB"]
    assert {c.token for c in solo_calls} == {fake_slack.token_of(t) for t in (ORG, SOLO, OTHER_ORG)}


def settings_values(channel: str, scope: str, workspace_channel: str | None, workspace_tz: str) -> dict:
    def text(value: str) -> dict:
        return {"value": {"type": "plain_text_input", "value": value}}

    return {
        "learning_channel": {"value": {"type": "conversations_select", "selected_conversation": channel}},
        "digest_weekday": {"value": {"type": "static_select", "selected_option": {"value": "mon"}}},
        "digest_time": {"value": {"type": "timepicker", "selected_time": "09:00"}},
        "timezone": text("UTC"),
        "kudos_emoji": text("mortar_board"),
        "kudos_daily_limit": text("5"),
        "kudos_pair_weekly_limit": text("3"),
        "digest_scope": {"value": {"type": "radio_buttons", "selected_option": {"value": scope}}},
        "workspace_channel": {"value": {"type": "conversations_select", "selected_conversation": workspace_channel}},
        "workspace_timezone": text(workspace_tz),
    }


def digest_channels(fake: FakeSlack) -> list[str]:
    posts = fake.calls_to("chat.postMessage")
    return [c.args["channel"] for c in posts if c.response["ok"] and "metadata" in c.args]


def test_one_org_digest_or_one_per_workspace_in_its_own_channel_and_timezone(
    org: tuple[SlackDriver, SlackDriver], fake_slack: FakeSlack, oauth_deps: Deps, oauth_settings: Settings
) -> None:
    berlin, tokyo = org
    berlin.command("/learn", "go", user="UBOB")  # something wanted, so both digests have a line to show
    installed_on(oauth_deps, LONG_AGO, ORG, T1, T2)  # before the weeks below
    tokyo.event({"type": "app_home_opened", "user": "UADMIN", "tab": "home"})  # users.info: Ada is an org admin

    # The settings form, opened in a workspace of the org, says so and offers the choice of digests.
    berlin.click("UADMIN", ids.HOME_EDIT_SETTINGS, "edit")
    modal = fake_slack.calls_to("views.open")[-1].args["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    assert modal["title"]["text"] == "Org settings"
    assert {b["block_id"] for b in modal["blocks"]} >= {"digest_scope", "workspace_channel", "workspace_timezone"}

    # One digest for the org (the default): in the org's learning channel, once.
    assert berlin.submit("UADMIN", ids.SETTINGS_MODAL, "", settings_values("CORG", "org", None, "")).status == 200
    ctx = JobContext(oauth_deps, clients(oauth_settings, oauth_deps))
    assert digest_job.run(ctx, MONDAY_9_UTC) == 1
    assert digest_channels(fake_slack) == ["CORG"]

    # One per workspace: Berlin's at 09:00 in Berlin, Tokyo's at 09:00 in Tokyo, each in its own channel.
    berlin.submit("UADMIN", ids.SETTINGS_MODAL, "", settings_values("CORG", "workspace", "CBERLIN", "Europe/Berlin"))
    tokyo.submit("UADMIN", ids.SETTINGS_MODAL, "", settings_values("CORG", "workspace", "CTOKYO", "Asia/Tokyo"))
    with oauth_deps.db() as session:
        rows = {w.team_id: w for w in session.scalars(select(Workspace))}
        assert (rows[T1].learning_channel, rows[T1].timezone, rows[T1].enterprise_id) == (
            "CBERLIN",
            "Europe/Berlin",
            ORG,
        )
        assert rows[ORG].digest_scope == "workspace"
    week_later = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo, 01:30 in Berlin
    assert digest_job.run(ctx, week_later) == 1
    assert digest_channels(fake_slack)[1:] == ["CTOKYO"]
    assert digest_job.run(ctx, datetime(2026, 11, 30, 8, 5, tzinfo=UTC)) == 1  # 09:05 in Berlin
    assert digest_channels(fake_slack)[1:] == ["CTOKYO", "CBERLIN"]
    assert digest_job.run(ctx, datetime(2026, 11, 30, 10, 0, tzinfo=UTC)) == 0  # each posted once this week
    blocks = [json.dumps(c.args["blocks"]) for c in fake_slack.calls_to("chat.postMessage") if "metadata" in c.args]
    assert all("Go" in b for b in blocks)  # both show the org's wanted topics, Bob's need typed in Berlin


def test_only_org_admins_change_org_settings(org: tuple[SlackDriver, SlackDriver], oauth_deps: Deps) -> None:
    berlin, _ = org
    berlin.event({"type": "app_home_opened", "user": "UBOB", "tab": "home"})
    refused = berlin.submit("UBOB", ids.SETTINGS_MODAL, "", settings_values("CBOB", "org", None, "")).json
    assert refused["response_action"] == "errors"
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.get_one(ORG).learning_channel is None


def test_an_org_uninstall_removes_the_orgs_token_and_stops_its_work(
    org: tuple[SlackDriver, SlackDriver], web: Web, oauth_deps: Deps
) -> None:
    berlin, _ = org
    berlin.event({"type": "app_uninstalled"})
    assert web.app.installation_store.find_bot(enterprise_id=ORG, team_id=None, is_enterprise_install=True) is None
    with oauth_deps.db() as session:
        assert Repos(session).workspaces.active_teams() == []
