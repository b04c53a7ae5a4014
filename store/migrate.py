"""Alembic, driven from code so `peerlearn db upgrade` works from an installed package, under a lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from alembic import command
from alembic.config import Config
from filelock import FileLock
from sqlalchemy import Engine, text

from store.db import sqlite_file

SCRIPT_LOCATION = "store:migrations"
# First key of the migrations' advisory lock (the scheduler's is 0x7065); the second is the schema's hash.
LOCK_CLASS = 0x706D
LOCK_TIMEOUT = 300  # seconds a replica waits for another's migration before giving up with an error


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (head by default), one process at a time.

    Replicas started together all call this: Alembic takes no lock of its own, so without one they race to create
    `alembic_version` and the tables. Under the lock the first migrates; the others wait, then find the schema at
    head and go on.
    """
    with migration_lock(engine):
        command.upgrade(alembic_config(engine), revision)


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """PostgreSQL: an advisory lock on a connection of its own. SQLite: a lock file beside the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            keys = {"cls": LOCK_CLASS}
            connection.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT}s'"))
            connection.execute(text("SELECT pg_advisory_lock(:cls, hashtext(current_schema()))"), keys)
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:cls, hashtext(current_schema()))"), keys)
        return
    path = sqlite_file(engine)
    if path is None:
        yield  # an in-memory database has one process by definition
        return
    with FileLock(f"{path}.migrate.lock", timeout=LOCK_TIMEOUT):
        yield
