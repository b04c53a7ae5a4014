"""The outbox's one error policy, against the fake Slack: a failure is logged once, counted, and returned."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.config import load_settings
from bot.slack import outbox
from bot.slack.client import make_client
from bot.telemetry import metrics
from tests.fakes.slack_api import FakeSlack

TEAM = "T0PEERLRN"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("UALICE", "Alice")
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """The app's own client: it retries 5xx and dropped connections before the outbox sees a failure."""
    return make_client(load_settings(SLACK_API_URL=fake.api_url), "xoxb-test-token")


def undelivered(method: str, error: str) -> float:
    labels = {"method": method, "error": error}
    return metrics.REGISTRY.get_sample_value("peerlearn_slack_undelivered_total", labels) or 0.0


def test_a_message_slack_takes_comes_back_as_sent(fake: FakeSlack, client: WebClient) -> None:
    sent = outbox.post(client, TEAM, "UALICE", text="hello")
    assert sent and sent.ts and sent.channel
    assert fake.calls_to("chat.postMessage")[0].args["text"] == "hello"


def test_a_500_is_returned_logged_once_and_counted(
    fake: FakeSlack, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.slack.outbox")
    before = undelivered("chat.postMessage", "fatal_error")
    fake.fail("chat.postMessage", status=500, times=10)  # longer than the client's retries
    sent = outbox.post(client, TEAM, "UALICE", text="hello")
    assert not sent and isinstance(sent, outbox.Failed)
    assert (sent.method, sent.error) == ("chat.postMessage", "fatal_error")
    assert len(fake.calls_to("chat.postMessage")) == 3  # one call and the client's two retries
    ours = [r.getMessage() for r in caplog.records if r.name == "bot.slack.outbox"]
    assert ours == [f"slack chat.postMessage failed in {TEAM}: fatal_error"]
    assert undelivered("chat.postMessage", "fatal_error") == before + 1


def test_an_ok_false_error_names_slacks_code(
    fake: FakeSlack, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.slack.outbox")
    before = undelivered("chat.update", "message_not_found")
    fake.fail("chat.update", error="message_not_found")
    updated = outbox.update(client, TEAM, "D1", "1.000001", text="changed")
    assert isinstance(updated, outbox.Failed) and updated.error == "message_not_found"
    ours = [r.getMessage() for r in caplog.records if r.name == "bot.slack.outbox"]
    assert ours == [f"slack chat.update failed in {TEAM}: message_not_found"]
    assert undelivered("chat.update", "message_not_found") == before + 1


@pytest.fixture
def dropping_server() -> Iterator[str]:
    """A server that accepts each connection and closes it without answering: a connection Slack dropped."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/"
    stop.set()
    listener.close()


def test_a_dropped_connection_is_returned_not_raised(dropping_server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.slack.outbox")
    client = WebClient(
        token="xoxb-test-token",
        base_url=dropping_server,
        timeout=2,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )
    before = undelivered("views.publish", outbox.CONNECTION)
    published = outbox.publish(client, TEAM, "UALICE", {"type": "home", "blocks": []})
    assert isinstance(published, outbox.Failed) and published.error == outbox.CONNECTION
    ours = [r.getMessage() for r in caplog.records if r.name == "bot.slack.outbox"]
    assert ours == [f"slack views.publish failed in {TEAM}: connection (RemoteDisconnected)"]
    assert undelivered("views.publish", outbox.CONNECTION) == before + 1


def test_a_file_upload_that_fails_half_way_is_one_failure(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("files.getUploadURLExternal", error="missing_scope")
    uploaded = outbox.upload(client, TEAM, "C1", content="BEGIN:VCALENDAR", filename="a.ics", title="A")
    assert isinstance(uploaded, outbox.Failed) and uploaded.error == "missing_scope"
