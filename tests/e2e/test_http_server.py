"""`peerlearn run` in HTTP mode as a real subprocess under the production server, against the fake Slack."""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.payloads import command_body, sign
from tests.fakes.slack_api import FakeSlack

SECRET = "http-test-secret"


@dataclass
class Server:
    url: str
    process: subprocess.Popen


@pytest.fixture
def server(fake_slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_"))}
    env |= {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-http-test",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    # A reader thread, so a server that never prints cannot hang the test.
    def pump() -> None:
        for line in process.stderr or []:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    url, seen = None, []
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline and process.poll() is None:
        try:
            seen.append(lines.get(timeout=0.5))
        except queue.Empty:
            continue
        found = re.search(r"listening on (http://[\d.]+:\d+)", seen[-1])
        url = found[1] if found else None
    if url is None:
        process.kill()
        pytest.fail("peerlearn run did not start listening:\n" + "".join(seen))
    yield Server(url, process)
    process.terminate()
    process.wait(timeout=10)


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


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
