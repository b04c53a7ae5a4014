"""`peerlearn run` in HTTP mode as a real subprocess under the production server, against the fake Slack."""

import json
import signal
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.slack.payloads import command_body, event_body, interaction_body, sign
from store.db import make_engine, make_sessions
from store.repos import Repos
from tests import factories as make
from tests.fakes.slack_api import FakeSlack
from tests.processes import Server, request, start_peerlearn, wait_until

pytestmark = pytest.mark.slow  # real processes: `pytest -m "not slow"` leaves them out

SECRET = "http-test-secret"


@pytest.fixture
def server(fake_slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Server]:
    env = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-http-test",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
    }
    server = start_peerlearn(env, tmp_path)
    yield server
    server.stop()


def post_signed(server: Server, body: str, secret: str = SECRET) -> tuple[int, str]:
    signed = sign(secret, body)
    return request(server.url + "/slack/events", signed.body.encode(), {k: str(v) for k, v in signed.headers.items()})


def test_healthz_metrics_and_a_signed_command(server: Server, fake_slack: FakeSlack) -> None:
    assert request(server.url + "/healthz") == (200, "ok\n")

    body = command_body("/teach", "terraform", team_id=fake_slack.team_id, user_id="UALICE")
    status, reply = post_signed(server, body)
    assert status == 200
    assert "You teach *Terraform*" in json.loads(reply)["blocks"][0]["text"]["text"]

    body = command_body("/learn", "terraform", team_id=fake_slack.team_id, user_id="UBOB")
    status, reply = post_signed(server, body)
    assert status == 200 and "<@UALICE>" in reply

    status, metrics = request(server.url + "/metrics")
    assert status == 200
    assert 'peerlearn_requests_total{kind="command",name="/learn",outcome="ok"} 1.0' in metrics
    assert "peerlearn_request_seconds_bucket" in metrics
    assert fake_slack.wait_for("users.info", 2)  # fetched after the ack
    assert "peerlearn_scheduler_leader 1.0" in metrics  # SQLite: the run process leads
    assert 'peerlearn_scheduler_runs_total{job="digests",outcome="ok"}' in metrics

    fake_slack.fail("users.info", status=429, retry_after=0)
    fake_slack.fail("users.info", error="user_not_found")
    post_signed(server, command_body("/learn", "go", team_id=fake_slack.team_id, user_id="UNEW"))
    counted = ('peerlearn_slack_api_errors_total{error="user_not_found"} 1.0', "peerlearn_slack_rate_limited_total 1.0")
    wait_until(lambda: all(line in request(server.url + "/metrics")[1] for line in counted), 5, "Slack errors counted")


def test_bad_signature_is_401_and_malformed_body_is_400(server: Server, fake_slack: FakeSlack) -> None:
    body = command_body("/learn", "rust", team_id=fake_slack.team_id, user_id="UBOB")
    assert post_signed(server, body, secret="wrong")[0] == 401
    assert post_signed(server, "payload=%7Bnot-json")[0] == 400
    assert post_signed(server, "payload=%7Bnot-json", secret="wrong")[0] == 401
    assert post_signed(server, "hello=world")[0] == 400
    # Signed, parseable, but missing what Slack always sends (a view without a type).
    broken = 'payload={"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"}, "view": {"id": "V1"}}'
    assert post_signed(server, broken)[0] == 400
    assert request(server.url + "/nowhere")[0] == 404
    # A signed event no listener takes is Slack's all the same: 200, or Slack retries it and turns delivery off.
    unused = event_body({"type": "channel_created"}, team_id=fake_slack.team_id, event_id="Ev1")
    assert post_signed(server, unused) == (200, "")


def slow_click(fake_slack: FakeSlack, database_url: str) -> str:
    """A signed-ready click whose listener waits 2 s on Slack (views.open) before Bolt answers."""
    with make_sessions(make_engine(database_url)).begin() as session:
        repos = Repos(session)
        alice = make.member(repos, "UALICE", "Alice", team=fake_slack.team_id)
        topic = make.topic(repos, "rust", team=fake_slack.team_id)
        invite = repos.slots.invite(fake_slack.team_id, topic.id, alice.id, datetime.now(UTC))
        assert invite is not None
    fake_slack.delays["views.open"] = 2.0
    return interaction_body(
        {
            "type": "block_actions",
            "team": {"id": fake_slack.team_id},
            "user": {"id": "UALICE"},
            "api_app_id": "APEERLRN",
            "trigger_id": "trigger.sigterm",
            "container": {"type": "message", "channel_id": "D1", "message_ts": "1.0"},
            "response_url": fake_slack.response_url(),
            "actions": [{"action_id": "slot_host", "block_id": "b", "value": str(invite.id), "type": "button"}],
        }
    )


def test_sigterm_finishes_requests_in_flight_and_queued_work(
    server: Server, fake_slack: FakeSlack, database_url: str
) -> None:
    """A deploy stops the process mid-request: the request still gets its answer, and work queued after an ack
    (here users.info) still reaches Slack before the process exits."""
    click = slow_click(fake_slack, database_url)
    answers: list[tuple[int, str]] = []
    in_flight = threading.Thread(target=lambda: answers.append(post_signed(server, click)))
    in_flight.start()
    assert fake_slack.wait_started("views.open")  # the request is being handled…
    server.process.send_signal(signal.SIGTERM)  # …when the deploy stops the process
    in_flight.join(timeout=20)
    assert answers and answers[0][0] == 200
    assert server.process.wait(timeout=20) == 0
    assert [call.args["view"]["callback_id"] for call in fake_slack.calls_to("views.open")] == ["slot_modal"]
    log = "".join(server.log)
    assert "finishing requests in flight" in log and "peerlearn stopped" in log


def test_json_logs_have_request_ids_and_no_tokens_or_text(fake_slack: FakeSlack, database_url: str, tmp_path) -> None:
    env = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-http-test-token-zqzq",  # not hex: a request id never contains it
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "PEERLEARN_LOG_FORMAT": "json",
    }
    server = start_peerlearn(env, tmp_path)
    try:
        note = "terraform -- my private note about the migration"
        status, _ = post_signed(server, command_body("/teach", note, team_id=fake_slack.team_id, user_id="UALICE"))
        assert status == 200
    finally:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=20)
    lines = [json.loads(line) for line in server.log if line.strip()]  # every line is JSON
    [handled] = [e for e in lines if e["logger"] == "peerlearn.requests"]
    assert handled["message"].startswith(f"{fake_slack.team_id} command /teach 200 ")
    assert len(handled["request_id"]) == 12
    text = "".join(server.log)
    assert "zqzq" not in text and "private note" not in text
