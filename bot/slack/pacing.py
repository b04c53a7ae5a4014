"""Bulk DMs are paced: a burst goes out at once, then a steady rate, so Slack rarely answers 429."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

RATE = 10.0  # messages a second once the burst is spent: well within chat.postMessage's workspace allowance
BURST = 20


class Pacer:
    """A token bucket on the monotonic clock, shared by the threads that send bulk messages."""

    def __init__(
        self,
        rate: float = RATE,
        burst: int = BURST,
        timer: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate, self.burst = rate, burst
        self.timer, self.sleep = timer, sleep
        self._tokens = float(burst)
        self._last = timer()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more message may go out."""
        with self._lock:
            now = self.timer()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            delay = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            self._tokens -= 1
        if delay:
            self.sleep(delay)

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """The items, paced."""
        for item in items:
            self.wait()
            yield item
