"""Digests say something: a week with nothing to report posts nothing, and a workspace installed after this week's
digest hour gets its first digest next week, not one at once about a week it was not there for."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs import digest as digest_job
from bot.scheduler import Scheduler
from bot.services.workspace import DigestTarget
from store.models import DigestRun
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on, wanted
from tests.bot.slack.test_install import clients, learning_channel
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.oauth_fixtures import Web

TEAM, CHANNEL = "T0PEERLRN", "CLEARN"
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the default digest hour: Monday 09:00 UTC


def digests(fake: FakeSlack) -> list[dict]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


def runs(deps: Deps) -> list[DigestRun]:
    with deps.db() as session:
        return list(session.scalars(select(DigestRun).order_by(DigestRun.id)))


def tick(scheduler: Scheduler, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        scheduler.run_job("digests", digest_job.run)


def quiet_workspace(deps: Deps) -> None:
    """Installed long ago, with a learning channel, and nobody doing anything."""
    installed_on(deps, LONG_AGO, TEAM)
    with deps.db.begin() as session:
        Repos(session).workspaces.ensure(TEAM).learning_channel = CHANNEL
    deps.workspace_cache.forget(TEAM)


def test_a_week_with_nothing_to_report_posts_nothing_and_is_done_for_the_week(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    quiet_workspace(deps)
    tick(scheduler, MONDAY)
    tick(scheduler, MONDAY + timedelta(minutes=1))
    tick(scheduler, MONDAY + timedelta(hours=6))
    assert fake_slack.calls_to("chat.postMessage") == []
    [run] = runs(deps)  # the week is done: not claimed again, not rebuilt every minute
    assert (run.iso_week, run.message_ts, run.error, run.claimed_at) == (48, None, None, None)
    assert run.posted_at is not None

    wanted(deps, TEAM)  # during the week someone waits for Elixir: next Monday's digest says so
    tick(scheduler, MONDAY + timedelta(days=7))
    [posted] = digests(fake_slack)
    assert "Elixir" in json.dumps(posted["blocks"]) and posted["metadata"]["event_payload"]["iso_week"] == 49


def test_on_demand_a_week_the_scheduler_found_empty_is_posted_once_there_is_news(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    quiet_workspace(deps)
    tick(scheduler, MONDAY)
    target, effective = DigestTarget(TEAM, TEAM), deps.workspace(TEAM)
    tuesday = MONDAY + timedelta(days=1)
    # `peerlearn digest` (on demand) while there is still nothing: nothing posted, even with --force.
    for force in (False, True):
        outcome = digest_job.post(scheduler.ctx, target, tuesday, effective, force=force, on_demand=True)
        assert outcome is digest_job.Posted.NOTHING
    assert fake_slack.calls_to("chat.postMessage") == []

    wanted(deps, TEAM)
    outcome = digest_job.post(scheduler.ctx, target, tuesday, effective, on_demand=True)
    assert outcome is digest_job.Posted.POSTED
    assert fake_slack.calls_to("conversations.history") == []  # an empty week is not a crashed post to look for
    [run] = runs(deps)
    assert run.message_ts == fake_slack.calls_to("chat.postMessage")[0].response["ts"]
    again = digest_job.post(scheduler.ctx, target, tuesday + timedelta(hours=1), effective, on_demand=True)
    assert again is digest_job.Posted.TAKEN  # posted now: once a week, like the scheduler's
    tick(scheduler, tuesday + timedelta(hours=2))
    assert len(digests(fake_slack)) == 1


def test_a_workspace_first_seen_after_the_digest_hour_waits_for_next_week(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    """A single-workspace deployment: the workspace is installed when its first request arrives."""
    with time_machine.travel(MONDAY + timedelta(seconds=30), tick=False):
        assert slack.command("/learn", "elixir", user="UBOB").status == 200
    learning_channel(deps, TEAM)
    tick(scheduler, MONDAY + timedelta(seconds=31))
    tick(scheduler, MONDAY + timedelta(hours=3))
    assert digests(fake_slack) == [] and runs(deps) == []
    tick(scheduler, MONDAY + timedelta(days=7))
    [posted] = digests(fake_slack)
    assert "Elixir" in json.dumps(posted["blocks"])


def test_a_workspace_installed_after_the_digest_hour_gets_its_first_digest_next_week(
    web: Web, fake_slack: FakeSlack, oauth_deps: Deps, oauth_settings: Settings
) -> None:
    """The OAuth install of a new workspace a second after its digest hour: no "0 wanted topics, 0 sessions"."""
    team = "T0000NEWW"
    with time_machine.travel(MONDAY + timedelta(seconds=1), tick=False):
        status, _ = web.install(fake_slack, team, "Newco")
        assert status == 200
        wanted(oauth_deps, team)  # even with something to say, the week before the install is not its to report
    learning_channel(oauth_deps, team)
    scheduler = Scheduler(JobContext(oauth_deps, clients(oauth_settings, oauth_deps)), interval=60, campaign_every=15)
    try:
        tick(scheduler, MONDAY + timedelta(seconds=2))
        tick(scheduler, MONDAY + timedelta(hours=1))
        assert digests(fake_slack) == []
        tick(scheduler, MONDAY + timedelta(days=7))
        [posted] = digests(fake_slack)
        assert posted["metadata"]["event_payload"]["iso_week"] == 49
    finally:
        scheduler.shutdown()
