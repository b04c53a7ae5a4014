"""Engine and session factory; the only place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseUnavailableError(Exception):
    """The database cannot be reached; the message is one line fit for a terminal."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine tuned for the backend: WAL and a busy timeout on SQLite, pre-ping on PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Several threads write at once (HTTP workers, the scheduler): wait for the lock instead of failing.
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        _WriterQueue().attach(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, pool_pre_ping=True, **kwargs)


class _WriterQueue:
    """SQLite allows one writer at a time, and a blocked writer polls with sleeps that grow to 100 ms: under load
    that is seconds of p99. Threads of this process therefore queue on a mutex before their first write and leave
    at commit or rollback, so the SQLite lock is always free when they reach it (other processes still wait on
    SQLite's busy timeout)."""

    _WRITES = ("insert", "update", "delete", "replace")

    def __init__(self) -> None:
        self.lock = threading.RLock()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        for name in ("commit", "rollback"):
            event.listen(engine, name, self._release)

    def _before(self, connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if not connection.info.get("writer") and statement.lstrip()[:7].lower().startswith(self._WRITES):
            self.lock.acquire()
            connection.info["writer"] = True

    def _release(self, connection: Connection) -> None:
        if connection.info.pop("writer", False):
            self.lock.release()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[1] == "main" and not row[2] for row in rows)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Session factory; callers use `with sessions.begin() as s:` so one block is one transaction."""
    return sessionmaker(engine, expire_on_commit=False)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailableError with one readable line when the database does not answer."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(f"cannot reach the database at {where}: {reason}") from None
