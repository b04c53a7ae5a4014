"""app_uninstalled and tokens_revoked: forget the workspace's token and stop its scheduled work."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.slack.tenancy import is_org, tenant_of
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    def forget(context: dict[str, Any]) -> None:
        team, enterprise = tenant_of(context), context.get("enterprise_id")
        store = app.installation_store
        if store is not None:
            # An org-wide install is stored without a workspace: the whole org's token goes.
            store.delete_all(enterprise_id=enterprise, team_id=None if is_org(team) else team)
        with deps.db.begin() as session:
            Repos(session).workspaces.uninstalled(team, utcnow())
        deps.workspace_cache.forget(team)
        logger.info("workspace %s: tokens removed, scheduled work stopped until it is reinstalled", team)

    @app.event(ids.APP_UNINSTALLED)
    def on_uninstalled(context: dict[str, Any]) -> None:
        """The app was removed from a workspace."""
        forget(context)

    @app.event(ids.TOKENS_REVOKED)
    def on_tokens_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
        """Only the bot token matters to us: without it the workspace cannot be served."""
        if (event.get("tokens") or {}).get("bot"):
            forget(context)
