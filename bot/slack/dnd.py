"""Slack's do-not-disturb hours for the people about to pick a meeting time, read within a budget.

The picker opens a modal Slack closes three seconds after the click, so `dnd.info` gets a second at most: a 429
(or a slow Slack) means "not known", never a wait. The reads run side by side on one executor the process shares,
through a client of the request's token without retries (the app's clients wait out a 429, which is right
everywhere else).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime

from cachetools import LRUCache
from slack_sdk import WebClient

from bot.calendar import availability

logger = logging.getLogger(__name__)

BUDGET = 1  # seconds a picker may wait for Slack's do-not-disturb answers


class DndReader:
    """Each person's do-not-disturb hours, or None when Slack did not answer them all within the budget."""

    def __init__(self, budget: int = BUDGET, workers: int = 8) -> None:
        self.budget = budget
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="peerlearn-dnd")
        self._lock = threading.Lock()
        self._clients: LRUCache[tuple[str | None, str], WebClient] = LRUCache(maxsize=256)

    def read(
        self, slack: WebClient, zones: Mapping[str, str], now: datetime
    ) -> dict[str, list[availability.Interval]] | None:
        """The hours of each user in `zones` (user → their timezone), with the token of `slack`, the request's."""
        client = self._quick(slack)
        futures = {user: self._pool.submit(client.dnd_info, user=user) for user in zones}
        done, _ = wait(futures.values(), timeout=self.budget)
        found: dict[str, list[availability.Interval]] = {}
        for user, future in futures.items():
            if future not in done or future.exception() is not None:
                problem = "timeout" if future not in done else type(future.exception()).__name__
                logger.info("dnd.info unavailable (%s): proposing times without it", problem)
                return None
            found[user] = availability.dnd_intervals(future.result().data, tz=zones[user], now=now)  # type: ignore[arg-type]
        return found

    def _quick(self, slack: WebClient) -> WebClient:
        """A twin of `slack` that gives up at the budget and never retries, made once per token."""
        key = (slack.token, slack.base_url)
        with self._lock:
            twin = self._clients.get(key)
            if twin is None:
                twin = self._clients[key] = WebClient(token=slack.token, base_url=slack.base_url, timeout=self.budget)
        return twin

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
