"""`peerlearn run` in Socket Mode, as a real process: apps.connections.open on the fake Slack hands out a local
WebSocket server that speaks Slack's envelope protocol; commands and events arrive over it and are acked by
envelope_id; the app reconnects when the server drops it."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from bot.slack.payloads import command_body, event_body
from tests.fakes.slack_api import FakeSlack
from tests.fakes.socket_mode import FakeSocketMode

pytestmark = pytest.mark.slow  # real processes: `pytest -m "not slow"` leaves them out


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        fake_slack.socket_url = server.url
        yield server


@pytest.fixture
def app_process(fake_slack: FakeSlack, socket_server: FakeSocketMode, database_url: str, tmp_path: Path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    env = {
        **base,
        "SLACK_APP_TOKEN": "xapp-1-socket-test",
        "SLACK_BOT_TOKEN": "xoxb-socket-test",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    yield process
    process.terminate()
    try:
        _, log = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, log = process.communicate()
    assert "Traceback" not in log, log


def slash(fake: FakeSlack, command: str, text: str, user: str) -> dict:
    body = command_body(command, text, team_id=fake.team_id, user_id=user, response_url=fake.response_url())
    return dict(parse_qsl(body))


def home_opened(fake: FakeSlack, user: str, event_id: str) -> dict:
    return json.loads(
        event_body({"type": "app_home_opened", "user": user, "tab": "home"}, team_id=fake.team_id, event_id=event_id)
    )


def test_commands_and_events_over_the_socket_are_acked_and_answered(
    app_process: subprocess.Popen, socket_server: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    first = socket_server.next_connection()

    command = slash(fake_slack, "/teach", "terraform", "UALICE")
    envelope = first.send("slash_commands", command, accepts_response_payload=True)
    ack = first.ack(envelope)
    assert "You teach Terraform" in json.dumps(ack["payload"])  # the reply rides on the ack

    envelope = first.send("events_api", home_opened(fake_slack, "UALICE", "EvSock1"))
    assert first.ack(envelope) == {"envelope_id": envelope}
    # An event no listener takes is acked too: an envelope left unacked is redelivered, and counted as a failure.
    unused = event_body({"type": "channel_created"}, team_id=fake_slack.team_id, event_id="Ev9")
    envelope = first.send("events_api", json.loads(unused))
    assert first.ack(envelope) == {"envelope_id": envelope}
    [home] = fake_slack.wait_for("views.publish", timeout=10)
    assert home.args["user_id"] == "UALICE" and "Terraform" in json.dumps(home.args["view"])
    assert home.token == "xoxb-socket-test"

    # Slack rotates connections: the server drops this one and the app opens a new one by itself.
    first.drop()
    second = socket_server.next_connection(timeout=30)
    assert len(fake_slack.calls_to("apps.connections.open")) >= 2
    envelope = second.send(
        "slash_commands", slash(fake_slack, "/learn", "terraform", "UBOB"), accepts_response_payload=True
    )
    assert "<@UALICE>" in json.dumps(second.ack(envelope)["payload"])

    # An event Slack retries over the new connection is acked again but handled once.
    envelope = second.send("events_api", home_opened(fake_slack, "UALICE", "EvSock1"))
    assert second.ack(envelope) == {"envelope_id": envelope}
    second.ack(second.send("events_api", home_opened(fake_slack, "UBOB", "EvSock2")))
    published = fake_slack.wait_for("views.publish", count=2, timeout=10)
    assert [call.args["user_id"] for call in published] == ["UALICE", "UBOB"]  # the retried event published nothing
