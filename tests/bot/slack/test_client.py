"""KeepAliveWebClient: the same calls and answers as slack_sdk's WebClient, over connections kept open."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.slack.client import KeepAliveWebClient, keep_alive


class Slack(ThreadingHTTPServer):
    """An HTTP/1.1 server that answers users.info, counts the connections it accepted, and fails on request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.calls: list[dict[str, Any]] = []
        self.fail_next: list[int] = []  # HTTP statuses to answer the next calls with

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Slack

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.calls.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": self.rfile.read(length)}
        )
        status = self.server.fail_next.pop(0) if self.server.fail_next else 200
        body = json.dumps({"ok": status == 200, "user": {"id": "U1", "tz": "Asia/Tokyo"}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def slack() -> Iterator[Slack]:
    server = Slack()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_calls_share_one_connection_and_send_what_webclient_sends(slack: Slack) -> None:
    client = KeepAliveWebClient(token="xoxb-1", base_url=slack.url)
    for _ in range(3):
        assert client.users_info(user="U1")["user"]["tz"] == "Asia/Tokyo"
    assert slack.connections == 1
    assert {(c["path"], c["auth"], c["body"]) for c in slack.calls} == {
        ("/api/users.info", "Bearer xoxb-1", b"user=U1")
    }


def test_a_connection_closed_while_idle_is_replaced(slack: Slack) -> None:
    client = KeepAliveWebClient(token="xoxb-1", base_url=slack.url, retry_handlers=[])
    client.users_info(user="U1")
    idle = client._idle[0]
    assert idle.sock is not None
    idle.sock.close()  # as when the server drops a connection nobody used for a while
    assert client.users_info(user="U1")["ok"]
    assert slack.connections == 2


def test_errors_and_retries_are_webclients(slack: Slack) -> None:
    now = FixedValueRetryIntervalCalculator(0)
    retries = [ServerErrorRetryHandler(1, now), ConnectionErrorRetryHandler(1, now)]
    client = KeepAliveWebClient(token="xoxb-1", base_url=slack.url, retry_handlers=retries)
    slack.fail_next = [500]
    assert client.users_info(user="U1")["ok"]  # retried once
    slack.fail_next = [500, 500]
    with pytest.raises(SlackApiError) as failed:
        client.users_info(user="U1")
    assert failed.value.response.status_code == 500
    assert client.users_info(user="U1")["ok"]  # the connection is still good


def test_keep_alive_copies_a_clients_token_url_and_retries(slack: Slack) -> None:
    retries = [ServerErrorRetryHandler(max_retry_count=1)]
    original = KeepAliveWebClient(token="xoxb-2", base_url=slack.url, team_id="T1", retry_handlers=retries)
    twin = keep_alive(original)
    assert (twin.token, twin.base_url, twin.retry_handlers) == ("xoxb-2", slack.url, retries)
    twin.users_info(user="U1")
    assert slack.calls[-1]["auth"] == "Bearer xoxb-2" and b"team_id=T1" in slack.calls[-1]["body"]
