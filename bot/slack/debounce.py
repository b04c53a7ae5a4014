"""Coalesce bursts: the first touch of a key starts a timer; touches before it fires join the same run."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from bot.slack.background import Background


class Debouncer:
    """Runs `fn(*args)` on the background queue `delay` seconds after the first touch of its key."""

    def __init__(self, background: Background, delay: float) -> None:
        self.background = background
        self.delay = delay
        self._lock = threading.Lock()
        self._pending: dict[Hashable, tuple[threading.Timer, Callable[..., Any], tuple[Any, ...]]] = {}

    def touch(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        with self._lock:
            if key in self._pending:
                return
            timer = threading.Timer(self.delay, self._fire, args=(key,))
            timer.daemon = True
            self._pending[key] = (timer, fn, args)
            timer.start()

    def _fire(self, key: Hashable) -> None:
        with self._lock:
            entry = self._pending.pop(key, None)
        if entry is not None:
            _, fn, args = entry
            self.background.submit(fn, *args)

    def flush(self) -> None:
        """Run everything pending now (tests, the console, and shutdown use this)."""
        with self._lock:
            keys = list(self._pending)
        for key in keys:
            with self._lock:
                entry = self._pending.get(key)
            if entry is not None:
                entry[0].cancel()
                self._fire(key)
