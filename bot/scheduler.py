"""One scheduler per deployment (docs/ARCHITECTURE.md): APScheduler runs the jobs in the process that leads.

With SQLite one process leads: the holder of a lock file beside the database (one of `run --workers N`). With
PostgreSQL every replica and worker campaigns every few seconds for an advisory lock held on its own connection;
the holder runs the jobs. When it dies its connection closes, the lock goes with
it, and the next campaign of another replica takes over. The jobs keep their state in the database (due times,
claims), so nothing is lost with a leader and a new one simply catches up.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.jobs import JobContext, digest, housekeeping, reroute, sessions, slots
from bot.telemetry import metrics
from bot.telemetry.logs import new_request_id
from store.db import sqlite_file

logger = logging.getLogger(__name__)

Job = Callable[[JobContext, datetime], int]

# (stable job id, function, period in scheduler ticks). Digests, reminders and follow-ups look every tick (a
# minute), so a reminder is never more than a tick late; the rest needs less.
JOBS: tuple[tuple[str, Job, int], ...] = (
    ("digests", digest.run, 1),
    ("reminders", sessions.remind, 1),
    ("follow-ups", sessions.follow_up, 1),
    ("re-routing", reroute.run, 5),
    ("slot-invitations", slots.run, 5),
    ("housekeeping", housekeeping.run, 60),
)

LOCK_CLASS = 0x7065  # first key of the advisory lock; the second is the schema's hash, so schemas do not collide


class Leadership:
    """Whether this process may run the jobs.

    PostgreSQL: an advisory lock held on a connection of its own (every replica and worker campaigns). SQLite: a
    lock file beside the database, taken without waiting, so one of `run --workers N` leads; the kernel releases
    it when that process dies, and another worker's next campaign takes over.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.shared = engine.dialect.name == "postgresql"
        self._connection: Connection | None = None
        path = sqlite_file(engine)
        # Not thread-local: campaigns run on whichever of APScheduler's threads is free.
        self._file = FileLock(f"{path}.scheduler.lock", thread_local=False) if path and not self.shared else None

    def acquire(self) -> bool:
        """Try once to become the leader."""
        if self._file is not None:
            try:
                self._file.acquire(timeout=0)
            except Timeout:
                return False
            return True
        if not self.shared:
            return True  # an in-memory database: one process
        if self._connection is not None:
            return self.held()
        try:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            logger.warning("scheduler lock: database unreachable (%s)", type(exc).__name__)
            return False
        try:
            got = connection.scalar(
                text("SELECT pg_try_advisory_lock(:cls, hashtext(current_schema()))"), {"cls": LOCK_CLASS}
            )
        except SQLAlchemyError:
            connection.close()
            return False
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def held(self) -> bool:
        """Still the leader? On PostgreSQL, the lock lives exactly as long as its connection answers."""
        if self._file is not None:
            return self._file.is_locked
        if not self.shared:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            self._drop()
            return False

    def release(self) -> None:
        if self._file is not None and self._file.is_locked:
            self._file.release(force=True)
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):  # if the connection is gone, so is the lock
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:cls, hashtext(current_schema()))"), {"cls": LOCK_CLASS}
                )
            self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # never back to the pool: a pooled connection must not carry the lock
            finally:
                connection.close()


class Scheduler:
    """APScheduler with stable job ids, coalesced misfires and one run of a job at a time."""

    def __init__(self, ctx: JobContext, *, interval: float, campaign_every: float) -> None:
        self.ctx = ctx
        self.interval = interval
        self.campaign_every = campaign_every
        self.leadership = Leadership(ctx.deps.engine)
        self.leading = False
        self._lock = threading.Lock()
        self._aps = BackgroundScheduler(
            timezone="UTC",
            # A late run (a busy or suspended process) runs once, however many periods it missed.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def start(self) -> None:
        self._aps.add_job(
            self.campaign,
            IntervalTrigger(seconds=self.campaign_every),
            id="peerlearn:leadership",
            next_run_time=self.ctx.deps.clock.now(),
            replace_existing=True,
        )
        self._aps.start()
        lock = "the PostgreSQL lock" if self.leadership.shared else "the scheduler's lock file"
        logger.info("scheduler started, campaigning for %s", lock)

    def campaign(self) -> None:
        """Keep or take the lead; stop the jobs the moment the lock is lost."""
        with self._lock:
            if self.leading and not self.leadership.held():
                self._step_down()
            elif not self.leading and self.leadership.acquire():
                self._take_over()

    def _take_over(self) -> None:
        for name, job, every in JOBS:
            self._aps.add_job(
                self.run_job,
                IntervalTrigger(seconds=self.interval * every),
                args=(name, job),
                id=f"peerlearn:{name}",
                name=name,
                next_run_time=self.ctx.deps.clock.now(),  # catch up at once on what fell due while nobody led
                replace_existing=True,
            )
        self.leading = True
        metrics.LEADER.set(1)
        logger.info("this process now runs the scheduler's jobs")

    def _step_down(self) -> None:
        for name, _, _ in JOBS:
            if self._aps.get_job(f"peerlearn:{name}") is not None:
                self._aps.remove_job(f"peerlearn:{name}")
        self.leading = False
        metrics.LEADER.set(0)
        logger.warning("lost the scheduler lock; another replica will take over")

    def run_job(self, name: str, job: Job, now: datetime | None = None) -> int:
        """Run one job now; its failure is logged and counted, and the next period tries again."""
        new_request_id()
        try:
            done = job(self.ctx, now or self.ctx.deps.clock.now())
        except Exception:
            logger.exception("scheduler job %s failed", name)
            metrics.SCHEDULER_RUNS.labels(name, "error").inc()
            return 0
        metrics.SCHEDULER_RUNS.labels(name, "ok").inc()
        if done:
            logger.info("scheduler job %s: %d done", name, done)
        return done

    def run_all(self, now: datetime | None = None) -> dict[str, int]:
        """Every job once, in order (what a tick of the leader does; tests move the clock and call this)."""
        return {name: self.run_job(name, job, now) for name, job, _ in JOBS}

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._aps.get_jobs())

    def shutdown(self) -> None:
        """Let a running job finish, then give the lock back so another replica takes over at once."""
        if self._aps.running:
            self._aps.shutdown(wait=True)
        with self._lock:
            self.leadership.release()
            if self.leading:
                self.leading = False
                metrics.LEADER.set(0)
