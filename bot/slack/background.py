"""Work done after the ack (DMs, users.info, opening conversations), off the request thread."""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)


class Background:
    """A small thread pool that logs failures and can be waited on (tests and the console use that)."""

    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="peerlearn-bg")
        self._idle = threading.Condition()
        self._pending = 0

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        with self._idle:
            self._pending += 1
        # In the submitter's context: the work logs under the id of the request that queued it.
        try:
            self._pool.submit(contextvars.copy_context().run, self._run, fn, args, kwargs)
        except RuntimeError:  # shut down: a timer that fired during shutdown must not raise in its thread
            self._done()
            logger.warning("background task dropped at shutdown", extra={"task": getattr(fn, "__qualname__", "")})

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:
            logger.exception("background task failed", extra={"task": getattr(fn, "__qualname__", repr(fn))})
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every submitted task (and any it submitted) finished; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self) -> None:
        """Finish queued work, then stop the threads."""
        self._pool.shutdown(wait=True)
