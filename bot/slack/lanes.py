"""Replies in one conversation go out one at a time, in the order their messages came.

Someone who sends five messages in a row gets five answers, in order, not five at once racing each other into
Slack's per-channel rate limit (the client retries a 429 after its Retry-After). Conversations do not wait for
each other: each has its own lane on the shared background pool.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from bot.slack.background import Background

logger = logging.getLogger(__name__)

Task = tuple[Callable[..., Any], tuple[Any, ...]]


class Lanes:
    """Per-key queues drained on the background pool: one task of a key runs at a time, first come first."""

    def __init__(self, background: Background) -> None:
        self.background = background
        self._lock = threading.Lock()
        self._queues: dict[Hashable, deque[Task]] = {}  # a key is here while its lane is being drained

    def submit(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        with self._lock:
            queue = self._queues.get(key)
            if queue is not None:  # its lane is running: the task waits its turn there
                queue.append((fn, args))
                return
            self._queues[key] = deque([(fn, args)])
        self.background.submit(self._drain, key)

    def _drain(self, key: Hashable) -> None:
        while True:
            with self._lock:
                queue = self._queues[key]
                if not queue:
                    del self._queues[key]
                    return
                fn, args = queue.popleft()
            try:
                fn(*args)
            except Exception:  # one failed reply must not stop the ones queued behind it
                logger.exception("lane task failed", extra={"task": getattr(fn, "__qualname__", repr(fn))})
