"""The scheduler's jobs. Each reads what is due from the database, claims it there, then talks to Slack, so any
process can run them, a restarted one catches up, and two at once post nothing twice (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)

SlackFor = Callable[[str], WebClient]  # the Web API client of one workspace

# Slack's answers meaning the workspace's token is gone: uninstalled, revoked, or the workspace closed.
TOKEN_GONE = frozenset({"not_authed", "invalid_auth", "token_revoked", "account_inactive", "team_access_not_granted"})


@dataclass(frozen=True)
class JobContext:
    deps: Deps
    slack: SlackFor

    def dm(self, team_id: str, user: str, payload: dict[str, Any], what: str) -> bool:
        """Post one message; a refusal is logged (see `trouble`) and costs the others nothing."""
        try:
            self.slack(team_id).chat_postMessage(channel=user, **payload)
        except SlackApiError as exc:
            self.trouble(team_id, what, exc)
            return False
        return True

    def trouble(self, team_id: str, what: str, exc: SlackApiError) -> None:
        """One log line for a message Slack refused; a dead token also stops the workspace's scheduled work."""
        error = str(exc.response.get("error", "unknown"))
        if error in TOKEN_GONE:
            with self.deps.db.begin() as session:
                Repos(session).workspaces.uninstalled(team_id, utcnow())
            logger.warning(
                "workspace %s: Slack says %s; its scheduled work stops until it is reinstalled", team_id, error
            )
        else:
            logger.warning("%s not delivered in %s: %s", what, team_id, error)
