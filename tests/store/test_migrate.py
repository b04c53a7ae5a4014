"""Replicas started at the same moment on a fresh database all come up: migrations run under a lock."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from store.db import make_engine
from tests.conftest import POSTGRES_ENV
from tests.processes import Server, request, start_peerlearn

pytestmark = pytest.mark.slow  # real processes: `pytest -m "not slow"` leaves them out

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody has migrated yet: a SQLite path that does not exist, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    schema = f"peerlearn_fresh_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def environment(database_url: str, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    return {**base, "DATABASE_URL": database_url, **extra}


def at_head(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
        return revision is not None and {"need", "offer", "topic"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_three_upgrades_at_once_all_succeed(fresh_database: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bot", "db", "upgrade"]
    env = environment(fresh_database)
    runs = [subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    assert [code for code, _ in results] == [0, 0, 0], "\n".join(err for _, err in results)
    assert at_head(fresh_database)


def test_three_replicas_started_together_all_come_up(fresh_database: str, fake_slack, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": fresh_database,
        "SLACK_SIGNING_SECRET": "replica-secret",
        "SLACK_BOT_TOKEN": "xoxb-replicas",
        "SLACK_API_URL": fake_slack.api_url,
    }
    servers: list[Server] = []
    try:
        servers = [start_peerlearn(env, tmp_path, wait=False) for _ in range(3)]
        for server in servers:
            server.wait_listening()
            assert request(server.url + "/healthz") == (200, "ok\n")
    finally:
        for server in servers:
            server.stop()
    assert at_head(fresh_database)
