"""A monotonic timer a test moves by hand, for the caches and pacers that take `clock=`: no test sleeps to outlive a
TTL."""

from __future__ import annotations


class FakeTimer:
    """Stands in for `time.monotonic` (call it) and `time.sleep` (`sleep` moves it as far as asked)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
