"""`/insights` in the console trial: the dashboard over the trial's data on 127.0.0.1, signed in as the trial's
admin, and no other address let in as that admin."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from bot.config import load_settings
from bot.trial.console import Console
from tests.bot.insights.test_numbers import Tables


@pytest.fixture
def console(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    trial = Console(load_settings(), database_url=database_url)
    yield trial
    trial.close()


def opened(console: Console, capsys: pytest.CaptureFixture[str], *lines: str) -> str:
    """Type the lines, then `/insights`; the URL it printed."""
    capsys.readouterr()
    for line in (*lines, "/insights"):
        console.handle(line)
    found = re.search(r"http://127\.0\.0\.1:\d+/insights", capsys.readouterr().out)
    assert found, "no dashboard URL printed"
    return found.group(0)


def test_the_console_serves_the_dashboard_on_127_0_0_1_signed_in_as_its_admin(
    console: Console, capsys: pytest.CaptureFixture[str]
) -> None:
    url = opened(console, capsys, "/as sam", "/learn rust")
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200
        html = answer.read().decode()
    assert "Signed in as Sam" in html
    assert console.fake.users[
        console.me
    ].is_admin  # the dashboard is for admins: the trial's admin is whoever opened it
    demand = Tables(html).rows("demand")
    assert demand["Rust"][0] == "3"  # Marco and Aiko want it from the start, and Sam just asked
    with urllib.request.urlopen(url.replace("/insights", "/insights/csv/demand.csv"), timeout=10) as answer:
        assert answer.status == 200 and "Rust,3" in answer.read().decode()


def test_no_other_address_is_let_in_as_the_trials_admin(console: Console, capsys: pytest.CaptureFixture[str]) -> None:
    opened(console, capsys)
    assert console.dashboard.app is not None
    browser = Client(console.dashboard.app)
    assert browser.get("/insights", environ_overrides={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    for elsewhere in ("10.0.0.7", "192.168.1.20", "::1"):
        answer = browser.get("/insights", environ_overrides={"REMOTE_ADDR": elsewhere})
        assert answer.status_code == 302 and answer.headers["Location"] == "/insights/login", elsewhere
        # …and there is no Sign in with Slack in the trial to get in another way.
        assert browser.get("/insights/login", environ_overrides={"REMOTE_ADDR": elsewhere}).status_code == 503
        csv = browser.get("/insights/csv/demand.csv", environ_overrides={"REMOTE_ADDR": elsewhere})
        assert csv.status_code == 302


def test_the_dashboard_shows_what_was_just_done_and_the_listener_stops_with_the_console(
    console: Console, capsys: pytest.CaptureFixture[str]
) -> None:
    first = opened(console, capsys)
    second = opened(console, capsys, "/as lena", "/learn public speaking")
    assert first.rsplit(":", 1)[1] == second.rsplit(":", 1)[1]  # one listener, one port, for the whole trial
    with urllib.request.urlopen(second, timeout=10) as answer:
        html = answer.read().decode()
    assert (
        "Signed in as Lena" in html and Tables(html).rows("demand")["Public speaking"][0] == "fewer than 3"
    )  # Sam and Lena
    console.dashboard.close()
    # Refused, or reset when the connection raced the close: either way nobody answers any more.
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(second, timeout=2)
