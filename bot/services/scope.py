"""What a service works in: one tenant, one person, one reading of the clock, one transaction.

A listener's request context (bot/context.py) or a job makes it; services read `team`, `user` and `now` from it
instead of having them threaded through every call. Nothing of Slack here: services stay testable on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.services.catalog import Catalog
from store.repos import Repos


@dataclass(frozen=True)
class Scope:
    team: str  # the tenant (bot/slack/tenancy.py): a workspace, or an org installed org-wide
    user: str  # who acts (the clicker, the one typing); "" for a job
    now: datetime  # the one reading of the clock for this request or job run
    repos: Repos  # over the transaction this scope lives in
    catalog: Catalog

    def on_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once the transaction has committed; forgotten if it rolls back."""
        self.repos.on_commit(hook)

    def acting(self, user: str) -> Scope:
        """The same scope, acting for someone else (a job working through people)."""
        return replace(self, user=user)
