"""The scheduler's jobs. Each reads what is due from the database, claims it there, then talks to Slack, so any
process can run them, a restarted one catches up, and two at once post nothing twice (DESIGN §7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.deps import Deps

SlackFor = Callable[[str], WebClient]  # the Web API client of one workspace


@dataclass(frozen=True)
class JobContext:
    deps: Deps
    slack: SlackFor
