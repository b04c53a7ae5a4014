"""Engine and session factory; the only place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from typing import Any

try:
    import fcntl  # POSIX: a lock that blocks in the kernel, released when its process dies
except ImportError:  # pragma: no cover - Windows: one process per SQLite file there
    fcntl = None  # type: ignore[assignment]

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
        _WriterQueue(sqlite_file(engine)).attach(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    # Slack waits 3 s for an answer: a database gone silent (no refusal, no reset) must fail fast enough for the
    # apology to arrive. A URL that sets these itself wins.
    fail_fast = {"connect_timeout": 2, "tcp_user_timeout": 2500}
    connect_args = {k: v for k, v in fail_fast.items() if k not in parsed.query}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def sqlite_file(engine: Engine) -> str | None:
    """The path of a SQLite database kept in a file, else None (in memory, or another database)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    return None if not path or path == ":memory:" or path.startswith("file:") else path


class _WriterQueue:
    """SQLite allows one writer at a time, and a blocked writer polls with sleeps that grow to 100 ms: under load
    that is seconds of p99. Writers therefore queue before their first write and leave at commit or rollback, so
    the SQLite lock is always free when they reach it: the threads of a process on a mutex, and the processes
    (`run --workers N`, or `peerlearn digest` beside a running bot) on a lock file beside the database, where
    the kernel wakes the next one instead of SQLite's sleeps."""

    _WRITES = ("insert", "update", "delete", "replace")

    def __init__(self, path: str | None) -> None:
        self.lock = threading.RLock()
        self._path = f"{path}.write.lock" if path and fcntl is not None else None
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0  # writes this process has in progress (one thread's two connections: a reentrant RLock)

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "commit", lambda connection: self._end(connection, "commit"))
        event.listen(engine, "rollback", lambda connection: self._end(connection, "rollback"))

    def _end(self, connection: Connection, how: str) -> None:
        """Leave the queue once the transaction has ended. SQLAlchemy sends these events *before* it commits or
        rolls back, and a writer let in then would find SQLite still locked and sleep: end it on the DBAPI
        connection first. SQLAlchemy's own call then has nothing left to do, and raises any error as before."""
        if connection.info.get("writer") and not connection.invalidated and not connection.closed:
            with suppress(Exception):
                getattr(connection.connection.dbapi_connection, how)()
        self._release(connection)

    def _before(self, connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if not connection.info.get("writer") and statement.lstrip()[:7].lower().startswith(self._WRITES):
            self.lock.acquire()
            self._depth += 1
            if self._depth == 1:
                self._lock_file()
            connection.info["writer"] = True

    def _release(self, connection: Connection) -> None:
        if connection.info.pop("writer", False):
            self._depth -= 1
            if self._depth == 0:
                self._unlock_file()
            self.lock.release()

    def _lock_file(self) -> None:
        if self._path is None:
            return
        if self._fd is None or self._pid != os.getpid():
            # A forked worker opens its own: a lock held through a descriptor inherited at fork is shared.
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def _unlock_file(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)


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
