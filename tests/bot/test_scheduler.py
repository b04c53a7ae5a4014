"""One scheduler per deployment: SQLite's run process leads; on PostgreSQL the advisory lock picks one replica,
and when it dies another takes over. The three-replica test runs real `peerlearn run` processes."""

import re
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.scheduler import JOBS, LOCK_CLASS, Scheduler
from bot.slack.client import make_client
from store.db import make_engine, make_sessions
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import installed_on, wanted
from tests.conftest import BACKENDS
from tests.fakes.slack_api import FakeSlack
from tests.processes import Server, request, start_peerlearn, wait_until


def replica(settings: Settings, url: str) -> Scheduler:
    """A scheduler with its own engine, as another process would have."""
    engine = make_engine(url)
    deps = Deps(settings=settings, engine=engine, db=make_sessions(engine))
    client = make_client(settings, settings.slack_bot_token)
    return Scheduler(JobContext(deps, lambda _t: client), interval=60, campaign_every=15)


def job_ids() -> list[str]:
    return sorted(f"peerlearn:{name}" for name, _, _ in JOBS)


@pytest.mark.parametrize("database_url", BACKENDS[:1], indirect=True)
def test_on_sqlite_the_run_process_leads_with_stable_job_ids(scheduler: Scheduler) -> None:
    scheduler.start()
    scheduler.campaign()
    assert scheduler.leading
    assert scheduler.job_ids() == sorted([*job_ids(), "peerlearn:leadership"])
    scheduler.campaign()  # campaigning again changes nothing
    assert scheduler.job_ids() == sorted([*job_ids(), "peerlearn:leadership"])
    digests = scheduler._aps.get_job("peerlearn:digests")
    # A process that slept through several periods runs a job once, not once per missed period.
    assert (digests.coalesce, digests.max_instances, digests.misfire_grace_time) == (True, 1, None)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", BACKENDS[1:], indirect=True)
def test_on_postgres_one_replica_holds_the_lock_and_another_takes_over(settings: Settings, database_url: str) -> None:
    first, second = replica(settings, database_url), replica(settings, database_url)
    try:
        first.campaign()
        second.campaign()
        assert (first.leading, second.leading) == (True, False)
        assert second.job_ids() == []
        # The leader's database connection dies (a crash, a network cut): its lock is gone with it.
        held = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :cls")
        with first.ctx.deps.engine.connect() as admin:
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND granted AND classid = :cls AND pid <> pg_backend_pid()"
                ),
                {"cls": LOCK_CLASS},
            )
            admin.commit()
            # pg_terminate_backend only signals: the backend, and its lock, go a moment later.
            wait_until(lambda: admin.execute(held, {"cls": LOCK_CLASS}).scalar() == 0, 10, "the lock to go")
        second.campaign()
        first.campaign()  # finds its lock gone and stops its jobs
        assert (first.leading, second.leading) == (False, True)
        assert first.job_ids() == []
        second.shutdown()  # a clean stop hands the lock back at once
        first.campaign()
        assert first.leading
    finally:
        for one in (first, second):
            one.shutdown()
            one.ctx.deps.engine.dispose()


# -- three real replicas -----------------------------------------------------------------------------------------


def metric(server: Server, name: str) -> float:
    status, body = request(server.url + "/metrics")
    if status != 200:
        return -1.0
    found = re.search(rf"^{re.escape(name)} ([\d.e+-]+)$", body, re.MULTILINE)
    return float(found[1]) if found else 0.0


def digest_posts(fake: FakeSlack, channel: str) -> int:
    return len([c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == channel and c.response["ok"]])


def due_now(deps: Deps, team: str, channel: str) -> None:
    """A workspace installed yesterday, with something to report, whose digest is due this minute."""
    now = datetime.now(UTC)
    with deps.db.begin() as session:
        row = Repos(session).workspaces.ensure(team)
        row.learning_channel, row.digest_weekday, row.digest_time, row.timezone = (
            channel,
            now.weekday(),
            f"{now:%H:%M}",
            "UTC",
        )
    installed_on(deps, now - timedelta(days=1), team)
    wanted(deps, team)


@pytest.fixture
def replicas(fake_slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[list[Server]]:
    env = {
        "SLACK_SIGNING_SECRET": "replica-secret",
        "SLACK_BOT_TOKEN": "xoxb-replicas",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PEERLEARN_SCHEDULER_INTERVAL": "0.5",
        "PEERLEARN_LEADER_CAMPAIGN": "0.5",
    }
    servers: list[Server] = []
    try:
        for _ in range(3):
            servers.append(start_peerlearn(env, tmp_path))
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", BACKENDS[1:], indirect=True)
def test_three_replicas_post_one_digest_and_survive_the_leader(
    deps: Deps, fake_slack: FakeSlack, replicas: list[Server]
) -> None:
    due_now(deps, "T0PEERLRN", "CLEARN")
    wait_until(lambda: digest_posts(fake_slack, "CLEARN") >= 1, 30, "the first digest")
    wait_until(lambda: sum(metric(s, "peerlearn_scheduler_leader") for s in replicas) == 1, 10, "one leader")
    [leader] = [s for s in replicas if metric(s, "peerlearn_scheduler_leader") == 1]
    runs = 'peerlearn_scheduler_runs_total{job="digests",outcome="ok"}'
    seen = metric(leader, runs)
    wait_until(lambda: metric(leader, runs) >= seen + 5, 30, "five more digest runs by the leader")
    assert digest_posts(fake_slack, "CLEARN") == 1  # everyone else stood by, and the leader posted once

    leader.process.kill()  # no goodbye: the lock must go with the dead process's connection
    leader.process.wait(timeout=10)
    survivors = [s for s in replicas if s is not leader]
    due_now(deps, "T0SECOND", "CSECOND")
    wait_until(lambda: digest_posts(fake_slack, "CSECOND") == 1, 60, "a survivor to take over and post")
    assert sum(metric(s, "peerlearn_scheduler_leader") for s in survivors) == 1
    assert digest_posts(fake_slack, "CLEARN") == 1  # the new leader did not post the first one again

    # A deploy stops the new leader politely: it gives the lock back and the last replica leads at once.
    [new_leader] = [s for s in survivors if metric(s, "peerlearn_scheduler_leader") == 1]
    [last] = [s for s in survivors if s is not new_leader]
    new_leader.process.send_signal(signal.SIGTERM)
    assert new_leader.process.wait(timeout=20) == 0
    wait_until(lambda: metric(last, "peerlearn_scheduler_leader") == 1, 10, "the last replica to lead")
