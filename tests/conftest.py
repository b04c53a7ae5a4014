"""Fixtures: a fake Slack per test, databases on SQLite and PostgreSQL, the real app wired to both."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.scheduler import Scheduler
from bot.slack.client import make_client
from store.db import make_engine, make_sessions
from store.installations import INSTALL_METADATA
from store.migrate import upgrade
from store.models import Base
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver

# The OAuth install fixtures, shared by the install and Enterprise Grid tests.
pytest_plugins = ["tests.oauth_fixtures"]

POSTGRES_ENV = "PEERLEARN_TEST_POSTGRES_URL"
SECRET = "test-signing-secret"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's Slack credentials or .env."""
    for name in list(os.environ):
        if (name.startswith(("SLACK_", "PEERLEARN_")) and name != POSTGRES_ENV) or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _processes_are_slow(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a process is marked `slow`, so `pytest -m "not slow"` is a fast inner loop; one that
    forgets fails here rather than slipping into it."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(*_: object, **__: object) -> None:
        pytest.fail("this test starts a process: mark it @pytest.mark.slow", pytrace=False)

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for this test run (for each xdist worker: its own), migrated once; dropped at the
    end."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, … under pytest-xdist
    schema = f"peerlearn_test_{worker}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        # CI sets the variable precisely so that PostgreSQL is tested: unreachable is a failure, not a skip.
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unreachable: {exc.orig}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    yield rendered
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a copied SQLite file, or the run's PostgreSQL schema truncated."""
    if request.param == "sqlite":
        path = tmp_path / "peerlearn.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    _truncate(url)
    yield url


def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in [*Base.metadata.sorted_tables, *INSTALL_METADATA.sorted_tables])
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack; a test fails if anything it sent broke Block Kit's rules (a test sending a broken payload on
    purpose takes its violations with `fake.take_violations()`)."""
    with FakeSlack() as fake:
        fake.add_user("UALICE", "Alice", tz="Europe/Berlin")
        fake.add_user("UBOB", "Bob", tz="America/New_York")
        fake.add_user("UCARA", "Cara", tz="Asia/Tokyo")
        yield fake
    assert not fake.violations, "Slack would refuse:\n" + "\n".join(f"{v.method}: {v.errors}" for v in fake.violations)


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return load_settings(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=database_url,
    )


@pytest.fixture
def deps(settings: Settings, engine: Engine) -> Iterator[Deps]:
    deps = Deps(settings=settings, engine=engine, db=make_sessions(engine))
    yield deps
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    deps.background.shutdown()


@pytest.fixture
def slack(settings: Settings, deps: Deps, fake_slack: FakeSlack) -> SlackDriver:
    """The real Bolt app, driven by signed requests, talking to the fake Slack."""
    return SlackDriver(build_app(settings, deps), fake_slack, SECRET, deps.background)


@pytest.fixture
def scheduler(settings: Settings, deps: Deps) -> Iterator[Scheduler]:
    """The scheduler's jobs over the test's database and fake Slack; tests move the clock and call run_all()."""
    client = make_client(settings, settings.slack_bot_token)
    scheduler = Scheduler(JobContext(deps, lambda _team: client), interval=60, campaign_every=15)
    yield scheduler
    scheduler.shutdown()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With PEERLEARN_TEST_POSTGRES_URL set, a run in which no PostgreSQL test passed is a failure, not a pass.

    Under pytest-xdist the controller decides, from every worker's reports; a worker may have had none.
    """
    if not os.environ.get(POSTGRES_ENV) or exitstatus != 0 or session.testscollected == 0:
        return
    if hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = reporter.stats.get("passed", []) if reporter else []
    if not any("[postgres" in report.nodeid for report in passed):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\n{POSTGRES_ENV} is set but no PostgreSQL test passed", file=sys.stderr)
