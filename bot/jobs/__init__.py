"""The scheduler's jobs. Each reads what is due from the database, claims it there, then talks to Slack, so any
process can run them, a restarted one catches up, and two at once post nothing twice (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.deps import Deps
from bot.services import workspace
from bot.services.scope import Scope
from bot.slack import outbox

logger = logging.getLogger(__name__)

SlackFor = Callable[[str], WebClient]  # the Web API client of one workspace

# Slack's answers meaning the workspace's token is gone: uninstalled, revoked, or the workspace closed.
TOKEN_GONE = frozenset({"not_authed", "invalid_auth", "token_revoked", "account_inactive", "team_access_not_granted"})


@dataclass(frozen=True)
class JobContext:
    deps: Deps
    slack: SlackFor

    @contextmanager
    def tx(self, team_id: str, now: datetime) -> Iterator[Scope]:
        """One transaction for one tenant's work, as a service sees it (no one person acts in a job)."""
        with self.deps.tx() as repos:
            yield Scope(team_id, "", now, repos, self.deps.catalog)

    def dm(self, team_id: str, user: str, payload: dict[str, Any]) -> bool:
        """Post one message through the outbox; a refusal costs the others nothing."""
        sent = self.post(team_id, user, **payload)
        return bool(sent)

    def post(self, team_id: str, channel: str, **payload: Any) -> outbox.Result:
        """chat.postMessage in this workspace, through the outbox (see `trouble` for a failure)."""
        sent = outbox.post(self.slack(team_id), team_id, channel, **payload)
        if not sent:
            self.trouble(team_id, sent)
        return sent

    def trouble(self, team_id: str, failed: outbox.Failed) -> None:
        """The outbox logged the failure; a dead token also stops the workspace's scheduled work."""
        if failed.error in TOKEN_GONE:
            with self.tx(team_id, self.deps.clock.now()) as scope:
                workspace.uninstalled(scope)
            logger.warning(
                "workspace %s: Slack says %s; its scheduled work stops until it is reinstalled", team_id, failed.error
            )
