"""`peerlearn run` in HTTP mode as a real subprocess under the production server, against the fake Slack."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.payloads import command_body, sign
from tests.fakes.slack_api import FakeSlack
from tests.processes import Server, request, start_peerlearn

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
    assert "You teach *terraform*" in json.loads(reply)["blocks"][0]["text"]["text"]

    body = command_body("/learn", "terraform", team_id=fake_slack.team_id, user_id="UBOB")
    status, reply = post_signed(server, body)
    assert status == 200 and "<@UALICE>" in reply

    status, metrics = request(server.url + "/metrics")
    assert status == 200
    assert 'peerlearn_requests_total{kind="command",name="/learn",outcome="ok"} 1.0' in metrics
    assert "peerlearn_request_seconds_bucket" in metrics
    assert fake_slack.wait_for("users.info", 2)  # fetched after the ack


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
