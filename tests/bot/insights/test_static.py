"""`peerlearn insights --database URL --out report.html`: the same page as /insights, as a file."""

from __future__ import annotations

from pathlib import Path

import time_machine

from bot.ops.cli import main
from tests.bot.insights.test_numbers import MONDAY, Tables, fill
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver


def test_the_command_writes_the_dashboard_as_a_static_page(
    slack: SlackDriver, fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        fill(slack, fake_slack)
    out = tmp_path / "report.html"
    with time_machine.travel(MONDAY.replace(day=24), tick=False):
        assert main(["insights", "--database", database_url, "--team", fake_slack.team_id, "--out", str(out)]) == 0
    html = out.read_text()
    page = Tables(html)
    assert page.rows("demand")["Kubernetes"][0] == "3"
    assert page.rows("funnel")["Session held"] == ["1", "20%"]
    assert page.charts == 5
    assert "Sign out" not in html and "/insights/csv/" not in html  # a file: no sign-out, no downloads
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
