"""The dashboard in a real browser: headless Chromium from Debian's packages driven by Selenium through Debian's
chromedriver. It signs in through the fake Slack, checks that every chart drew and every table has rows, downloads
a CSV, and keeps a screenshot in artifacts/ (CI keeps that folder)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bot.deps import Deps
from bot.slack.server import PeerlearnWSGI
from tests.bot.insights.dashboard import KEY
from tests.bot.insights.test_numbers import MONDAY, fill
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver

pytestmark = pytest.mark.slow  # real processes: `pytest -m "not slow"` leaves them out

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# The repository root (tests/bot/insights/ is three folders down): CI keeps its artifacts/ folder.
ARTIFACTS = Path(__file__).resolve().parent.parent.parent.parent / "artifacts"
# Only where Chromium is truly absent (a laptop without Debian's packages); CI installs it and must run this.
if not (CHROMIUM and CHROMEDRIVER) and os.environ.get("CI") != "true":
    pytest.skip(
        "headless Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)",
        allow_module_level=True,
    )


@pytest.fixture
def served(settings, deps: Deps, fake_slack: FakeSlack, slack: SlackDriver) -> Iterator[str]:
    """HTTP mode on a free port of 127.0.0.1, with the dashboard on; its base URL."""
    from bot.insights.auth import Provider
    from bot.insights.web import create_app
    from bot.slack.client import make_client

    fake_slack.add_user("UADMIN", "Ada Admin", is_admin=True)
    provider = Provider(fake_slack.api_url, fake_slack.oidc.client_id, fake_slack.oidc.client_secret)
    client = make_client(settings, settings.slack_bot_token)
    web = create_app(db=deps.db, secret_key=KEY, provider=provider, client_for=lambda _team: client)
    server = make_server("127.0.0.1", 0, PeerlearnWSGI(slack.app, deps.engine, SECRET, web), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    assert CHROMIUM and CHROMEDRIVER, "CI=true: Chromium must be installed (apt-get install chromium chromium-driver)"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # As root in a sandbox with the network closed: no sandbox, no GPU, and none of Chromium's own calls home.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2400",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads")})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_admin_signs_in_and_every_chart_and_table_shows(
    served: str,
    browser,
    fake_slack: FakeSlack,
    slack: SlackDriver,
    tmp_path: Path,
) -> None:
    import time_machine
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # A week of Slack in the past: its session is over, so every section has something to show.
    with time_machine.travel(MONDAY, tick=False):
        fill(slack, fake_slack)
    fake_slack.oidc.signed_in = ("UADMIN", fake_slack.team_id)
    browser.get(f"{served}/insights")  # → /insights/login → the fake Slack approves → back, signed in
    WebDriverWait(browser, 20).until(lambda d: "Learning insights" in d.title or "Learning insights" in d.page_source)
    assert "Signed in as Ada Admin" in browser.page_source
    # The week filled is a fixed one of test_numbers' (Monday 23 November 2026): the last year always holds it.
    browser.find_element(By.LINK_TEXT, "Last year").click()
    WebDriverWait(browser, 20).until(lambda d: "period=year" in d.current_url)

    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 5
    for chart in charts:
        drawn = chart.find_elements(By.CSS_SELECTOR, "rect.bar, polyline.line")
        assert drawn, chart.get_attribute("aria-label")
        assert chart.size["width"] > 100 and chart.size["height"] > 20  # laid out, not collapsed
    tables = browser.find_elements(By.CSS_SELECTOR, "table[data-table]")
    assert len(tables) >= 8
    for table in tables:
        assert table.find_elements(By.CSS_SELECTOR, "tbody tr"), table.get_attribute("data-table")

    browser.find_element(By.CSS_SELECTOR, "section#gaps a.csv").click()
    downloads = tmp_path / "downloads"
    WebDriverWait(browser, 20).until(lambda _: any(p.suffix == ".csv" for p in downloads.glob("*")))
    saved = next(p for p in downloads.glob("*.csv"))
    assert saved.read_text().startswith("Topic,Learners waiting,Teachers active")

    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "insights-dashboard.png"))
