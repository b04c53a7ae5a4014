"""`peerlearn run --workers 2`: pre-forked worker processes on one socket, as real processes on both databases."""

import os
import re
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.slack.payloads import command_body, event_body, sign
from store.db import make_engine, make_sessions
from store.models import Kudos
from tests.bot.slack.test_server import slow_click
from tests.fakes.slack_api import FakeSlack
from tests.handlers.test_kudos import reaction
from tests.processes import Server, children, request, start_peerlearn, wait_until

pytestmark = pytest.mark.slow  # real processes: `pytest -m "not slow"` leaves them out

SECRET = "workers-secret"


@pytest.fixture
def workers(fake_slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Server]:
    env = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-workers",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PEERLEARN_LEADER_CAMPAIGN": "0.5",
    }
    # Whatever counts metrics, and prometheus_client itself, loaded before `run --workers` decides that the workers
    # share them: no import order matters, /metrics still adds every worker up (bot/telemetry/metrics.py).
    first = ("prometheus_client", "bot.slack.server", "bot.app", "bot.scheduler", "bot.jobs.digest")
    server = start_peerlearn(env, tmp_path, args=("--workers", "2"), first=first)
    wait_until(lambda: len(children(server.process.pid)) == 2, 30, "two workers")
    yield server
    server.stop()


def post(server: Server, body: str, retry: int | None = None) -> tuple[int, str]:
    signed = sign(SECRET, body, retry=retry)
    headers = {k: str(v) for k, v in signed.headers.items()}
    return request(server.url + "/slack/events", signed.body.encode(), headers)


def metric(server: Server, pattern: str) -> float:
    body = request(server.url + "/metrics")[1]
    found = re.search(rf"^{pattern} ([\d.e+-]+)$", body, re.MULTILINE)
    return float(found[1]) if found else 0.0


def kudos_count(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with make_sessions(engine)() as session:
            return session.scalar(select(func.count()).select_from(Kudos)) or 0
    finally:
        engine.dispose()


def test_workers_share_the_work_the_data_and_one_scheduler(
    workers: Server, fake_slack: FakeSlack, database_url: str
) -> None:
    team = fake_slack.team_id
    assert post(workers, command_body("/teach", "terraform", team_id=team, user_id="UALICE"))[0] == 200

    # Forty asks at once land on both workers; each finds the teacher the other worker may have indexed.
    def ask(i: int) -> tuple[int, str]:
        return post(workers, command_body("/learn", "terraform", team_id=team, user_id=f"UASK{i}"))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(40)))
    assert all(status == 200 and "<@UALICE>" in reply for status, reply in answers), answers[:3]

    # /metrics, from whichever worker answers, counts every worker's requests; one process leads the scheduler.
    learn = r'peerlearn_requests_total\{kind="command",name="/learn",outcome="ok"\}'
    assert metric(workers, learn) == 40
    wait_until(lambda: metric(workers, "peerlearn_scheduler_leader") == 1, 10, "one scheduler leader")

    # A kudos that Slack delivers three times (to any worker) counts once.
    event = event_body(reaction("reaction_added", "UBOB", "UALICE"), team_id=team, event_id="EvWorkers1")
    assert [post(workers, event, retry=retry)[0] for retry in (None, 1, 2)] == [200, 200, 200]
    wait_until(lambda: kudos_count(database_url) >= 1, 10, "the kudos saved")
    # Kudos are saved after the ack: a later event, once counted, shows the retries were not counted meanwhile.
    later = event_body(reaction("reaction_added", "UCARA", "UALICE", ts="2.0"), team_id=team, event_id="EvWorkers2")
    assert post(workers, later)[0] == 200
    wait_until(lambda: kudos_count(database_url) >= 2, 10, "the second kudos saved")
    assert kudos_count(database_url) == 2


def test_a_killed_worker_is_replaced_and_sigterm_drains_every_worker(
    workers: Server, fake_slack: FakeSlack, database_url: str
) -> None:
    before = children(workers.process.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)  # no goodbye: the master notices and forks a new worker
    wait_until(lambda: len(children(workers.process.pid) - {victim}) == 2, 30, "a replacement worker")
    assert children(workers.process.pid) != before
    assert request(workers.url + "/healthz") == (200, "ok\n")
    wait_until(lambda: metric(workers, "peerlearn_scheduler_leader") == 1, 10, "one leader after the kill")

    # A deploy stops the deployment mid-request: the request is answered and every worker exits cleanly.
    click = slow_click(fake_slack, database_url)
    answers: list[tuple[int, str]] = []
    in_flight = threading.Thread(target=lambda: answers.append(post(workers, click)))
    in_flight.start()
    assert fake_slack.wait_started("views.open")
    workers.process.send_signal(signal.SIGTERM)
    in_flight.join(timeout=20)
    assert answers and answers[0][0] == 200
    assert workers.process.wait(timeout=30) == 0
    assert [call.args["view"]["callback_id"] for call in fake_slack.calls_to("views.open")] == ["slot_modal"]
    assert "peerlearn stopped" in "".join(workers.log)
