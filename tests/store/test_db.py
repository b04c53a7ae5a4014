"""SQLite's writer queue (store/db.py): writers wait their turn before their first write, on a mutex within a
process and on a lock file beside the database across processes, so they do not wait inside SQLite itself.

The tests order events instead of timing them. Without the queue, a second writer's statement reaches SQLite
while the first writer still holds it, and a writer in another process ignores the lock file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from store.db import make_engine

fcntl = pytest.importorskip("fcntl")  # the lock file is POSIX; elsewhere one process serves a SQLite file

INSERT = "INSERT INTO note (who) VALUES (:who)"

# A writer in another process, as `peerlearn digest` beside a running bot would be.
_OTHER_WRITER = """
import sys
from sqlalchemy import text
from store.db import make_engine

with make_engine(sys.argv[1]).begin() as connection:
    connection.execute(text("INSERT INTO note (who) VALUES ('other process')"))
"""

# Whether another process could take the lock file beside the database right now.
_PROBE = """
import fcntl, os, sys
if not os.path.exists(sys.argv[1]):
    print("missing")
    sys.exit()
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("held")
else:
    print("free")
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "queue.db"


@pytest.fixture
def engine(path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, who TEXT NOT NULL)"))
    yield engine
    engine.dispose()


def _inserts(statement: str) -> bool:
    return statement.lstrip().upper().startswith("INSERT")


def _notes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT who FROM note ORDER BY id")))


def test_a_second_thread_waits_in_the_queue_until_the_first_writer_commits(engine: Engine) -> None:
    seen: list[str] = []
    trying = threading.Event()

    # before_execute runs ahead of the queue (a before_cursor_execute listener), before_cursor_execute behind it.
    def about_to_write(connection: Connection, statement: Any, *_: Any) -> None:
        if threading.current_thread() is second:
            trying.set()

    def reached_sqlite(connection: Connection, cursor: Any, statement: str, *_: Any) -> None:
        if _inserts(statement):
            seen.append(f"{threading.current_thread().name} writes")

    event.listen(engine, "before_execute", about_to_write)
    event.listen(engine, "before_cursor_execute", reached_sqlite)

    def write_second() -> None:
        with engine.begin() as connection:
            connection.execute(text(INSERT), {"who": "second"})

    second = threading.Thread(target=write_second, name="second")
    with engine.connect() as first:
        first.execute(text(INSERT), {"who": "first"})
        second.start()
        assert trying.wait(30), "the second writer never started writing"
        # The second thread goes on holding the GIL for milliseconds: without the queue it reaches SQLite first.
        seen.append("first commits")
        first.commit()
    second.join(30)

    assert not second.is_alive()
    assert seen == ["MainThread writes", "first commits", "second writes"]
    assert _notes(engine) == ["first", "second"]


def test_many_threads_write_at_once_and_every_write_succeeds(engine: Engine) -> None:
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(20):
                with engine.begin() as connection:
                    connection.execute(text(INSERT), {"who": f"{worker}-{i}"})
                    connection.execute(text("UPDATE note SET who = who WHERE who = :who"), {"who": f"{worker}-{i}"})
        except BaseException as exc:  # reported below: a thread's exception would vanish otherwise
            failures.append(exc)

    workers = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    assert failures == []
    assert len(_notes(engine)) == 8 * 20


@pytest.mark.slow
def test_a_writer_holds_the_lock_file_beside_the_database_until_commit_or_rollback(engine: Engine, path: Path) -> None:
    def other_process_finds() -> str:
        probe = [sys.executable, "-c", _PROBE, f"{path}.write.lock"]
        return subprocess.run(probe, capture_output=True, text=True, check=True, timeout=60).stdout.strip()

    with engine.connect() as connection:
        connection.execute(text(INSERT), {"who": "kept"})
        assert other_process_finds() == "held"
        connection.commit()
        assert other_process_finds() == "free"

        connection.execute(text(INSERT), {"who": "dropped"})
        assert other_process_finds() == "held"
        connection.rollback()
        assert other_process_finds() == "free"

    assert _notes(engine) == ["kept"]


@pytest.mark.slow
def test_a_writer_in_another_process_waits_on_the_lock_file(engine: Engine, path: Path) -> None:
    locks = Path("/proc/locks")
    if not locks.exists():
        pytest.skip("needs Linux's /proc/locks to see a process waiting on a lock")
    lock_file = Path(f"{path}.write.lock")
    held = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a writer of this process holds it (see the test above)
    inode = f":{os.stat(lock_file).st_ino} "
    other = subprocess.Popen([sys.executable, "-c", _OTHER_WRITER, f"sqlite:///{path}"], stderr=subprocess.PIPE)
    try:
        # Until it either waits on the lock file or has written (and ended) regardless.
        waiting = False
        deadline = time.monotonic() + 60
        while not waiting and other.poll() is None and time.monotonic() < deadline:
            waiting = any(
                "-> FLOCK" in line and f" {other.pid} " in line and inode in line
                for line in locks.read_text().splitlines()
            )
            time.sleep(0.01)
        assert waiting, "the other process wrote while the lock file was held"
        assert _notes(engine) == []
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        os.close(held)
        _, err = other.communicate(timeout=60)

    assert other.returncode == 0, err
    assert _notes(engine) == ["other process"]
