"""The time, as peerlearn reads it: UTC, aware, and movable ahead for the console trial and tests.

A leaf module (it imports nothing of ours). Deps holds the process's one Clock (`deps.clock`); a request reads it
once (its context's `now`), a job once per run, and the store is handed the time by its caller.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The current time, `ahead` of the machine's (time-machine still moves the machine's in tests)."""

    def __init__(self, ahead: timedelta = timedelta()) -> None:
        self.ahead = ahead

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return datetime.now(UTC) + self.ahead

    def move(self, by: timedelta) -> None:
        """Move ahead: the console trial's `/time +2d`, to see what falls due."""
        self.ahead += by
