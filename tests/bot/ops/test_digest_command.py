"""`peerlearn digest --team T` on demand, as an operator runs it: a week with nothing to report is said so and not
posted (not even with --force), --dry-run still prints it, and once there is news it is posted."""

from __future__ import annotations

from bot.deps import Deps
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on, wanted
from tests.bot.ops.conftest import Peerlearn
from tests.fakes.slack_api import FakeSlack

TEAM, CHANNEL = "T0PEERLRN", "CLEARN"


def test_on_demand_a_digest_with_nothing_to_report_is_said_so_and_not_posted(
    peerlearn: Peerlearn, deps: Deps, fake_slack: FakeSlack, database_url: str
) -> None:
    installed_on(deps, LONG_AGO, TEAM)
    with deps.db.begin() as session:
        Repos(session).workspaces.ensure(TEAM).learning_channel = CHANNEL
    env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_API_URL": fake_slack.api_url}

    for force in ((), ("--force",)):
        quiet = peerlearn("digest", "--team", TEAM, *force, env=env)
        assert quiet.returncode == 0, quiet.stderr
        assert f"nothing to report for {TEAM} this week" in quiet.stdout and "nothing posted" in quiet.stdout
    assert fake_slack.calls_to("chat.postMessage") == []

    printed = peerlearn("digest", "--team", TEAM, "--dry-run", env=env)
    assert printed.returncode == 0, printed.stderr
    assert "PEERLEARN WEEKLY" in printed.stdout and "this digest would not be posted" in printed.stdout

    wanted(deps, TEAM)
    posted = peerlearn("digest", "--team", TEAM, env=env)
    assert posted.returncode == 0, posted.stderr
    assert f"posted this week's digest for {TEAM} in {CHANNEL}" in posted.stdout
    [message] = fake_slack.calls_to("chat.postMessage")
    assert message.args["channel"] == CHANNEL and "Elixir" in str(message.args["blocks"])
