"""HTTP mode with worker processes: gunicorn pre-forks them on one listening socket (`run --workers N`).

One Python process is one GIL: a second core does nothing for /learn. With N workers each process builds its own
app, database engine and scheduler after the fork; the scheduler still runs in exactly one of them (the advisory
lock on PostgreSQL, a lock file on SQLite). Migrations ran in the master before the fork. Gunicorn replaces a
worker that dies (even by SIGKILL), and on SIGTERM lets every worker finish its requests before it exits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from bot.telemetry import metrics

logger = logging.getLogger(__name__)

GRACEFUL_SECONDS = 10  # SIGTERM: requests in flight get this long, as in the single-process server


@dataclass
class Worker:
    """What one worker process built, so it can close it on the way out."""

    wsgi: Callable[..., Any]
    close: Callable[[], None]


class Prefork(BaseApplication):
    """A gunicorn application whose workers each call `make_worker()` once, after the fork."""

    def __init__(self, make_worker: Callable[[], Worker], *, host: str, port: int, workers: int, threads: int) -> None:
        self.make_worker = make_worker
        self.worker: Worker | None = None
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 30,  # a worker silent this long is killed and replaced
            "graceful_timeout": GRACEFUL_SECONDS,
            "keepalive": 5,
            "preload_app": False,  # each worker opens its own database connections
            "accesslog": None,
            "loglevel": "warning",
            "logger_class": _OurLogs,
            "proc_name": "peerlearn",
            "when_ready": self._ready,
            "worker_exit": self._worker_exit,
            "child_exit": _child_exit,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        self.worker = self.make_worker()
        return self.worker.wsgi

    def _ready(self, server: Any) -> None:
        host, port = server.LISTENERS[0].sock.getsockname()[:2]
        logger.info(
            "peerlearn HTTP mode listening on http://%s:%s/slack/events (%d workers)", host, port, server.num_workers
        )

    def _worker_exit(self, server: Any, worker: Any) -> None:
        if self.worker is not None:
            self.worker.close()  # hands the scheduler's lock over, sends what was queued after the acks


class _OurLogs(Logger):
    """Gunicorn's own messages (a worker killed, a timeout) in peerlearn's log format, text or JSON."""

    def setup(self, cfg: Any) -> None:
        self.cfg = cfg
        self.error_log.setLevel(logging.WARNING)
        self.error_log.propagate = True  # to the root handler that bot.telemetry.logs configured
        self.access_log.disabled = True  # peerlearn.requests logs every request already


def _child_exit(server: Any, worker: Any) -> None:
    """A worker is gone (exited, or killed): its share of the metrics stays counted, its gauges go."""
    metrics.process_gone(worker.pid)
