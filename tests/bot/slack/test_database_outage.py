"""A replica that loses PostgreSQL for a while: Slack gets apologies, /healthz says 503, and it recovers alone."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.slack.payloads import command_body, sign
from tests.fakes.slack_api import FakeSlack
from tests.fakes.tcp_proxy import TcpProxy
from tests.processes import Server, request, start_peerlearn, wait_until

SECRET = "outage-secret"
pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # real processes


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    url = make_url(postgres_url)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        yield proxy


@pytest.fixture
def server(proxy: TcpProxy, postgres_url: str, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Server]:
    through_proxy = make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)
    env = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-outage",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": through_proxy.render_as_string(hide_password=False),
        "PEERLEARN_LEADER_CAMPAIGN": "0.5",
    }
    server = start_peerlearn(env, tmp_path)
    yield server
    server.stop()


def command(server: Server, name: str, text: str, user: str) -> tuple[int, str]:
    signed = sign(SECRET, command_body(name, text, team_id="T0PEERLRN", user_id=user))
    headers = {k: str(v) for k, v in signed.headers.items()}
    status, body = request(server.url + "/slack/events", signed.body.encode(), headers)
    if status != 200 or not body:
        return status, body
    reply = json.loads(body)
    return status, reply["blocks"][0]["text"]["text"] if "blocks" in reply else reply["text"]


def test_a_lost_database_gets_apologies_and_503_then_recovers(server: Server, proxy: TcpProxy) -> None:
    assert command(server, "/teach", "terraform", "UALICE")[1].endswith("You teach *Terraform*. Thank you!")

    proxy.cut()  # PostgreSQL restarts, or the network to it fails
    status, text = command(server, "/learn", "terraform", "UBOB")
    assert (status, text) == (200, "Sorry, something went wrong on our side. Please try again in a moment.")
    assert request(server.url + "/healthz") == (503, "database unavailable\n")
    log = "".join(server.log)
    assert "Traceback" not in log and "database unavailable" in log, log

    proxy.restore()
    wait_until(lambda: request(server.url + "/healthz")[0] == 200, 15, "/healthz to recover")
    status, text = command(server, "/learn", "terraform", "UBOB")
    assert status == 200 and text.startswith(":books: Colleagues who can teach you *Terraform*")
