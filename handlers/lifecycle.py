"""app_uninstalled and tokens_revoked: forget the workspace's token and stop its scheduled work."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import ids
from bot.deps import Deps, deps_of
from bot.services import workspace
from bot.slack.install import installation_store
from bot.slack.tenancy import is_org, tenant_of
from store.models import utcnow

logger = logging.getLogger(__name__)


def forget(deps: Deps, context: dict[str, Any]) -> None:
    """Delete the tenant's stored tokens (OAuth installs keep them) and stop its scheduled work."""
    team, enterprise = tenant_of(context), context.get("enterprise_id")
    if deps.settings.oauth_enabled:
        # An org-wide install is stored without a workspace: the whole org's token goes.
        store = installation_store(deps.settings, deps.engine)
        store.delete_all(enterprise_id=enterprise, team_id=None if is_org(team) else team)
    with deps.tx() as repos:
        workspace.uninstalled(repos, team, utcnow())
    deps.workspace_cache.forget(team)
    logger.info("workspace %s: tokens removed, scheduled work stopped until it is reinstalled", team)


def on_uninstalled(context: dict[str, Any]) -> None:
    """The app was removed from a workspace."""
    forget(deps_of(context), context)


def on_tokens_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Only the bot token matters to us: without it the workspace cannot be served."""
    if (event.get("tokens") or {}).get("bot"):
        forget(deps_of(context), context)


def register(app: App) -> None:
    app.event(ids.APP_UNINSTALLED)(on_uninstalled)
    app.event(ids.TOKENS_REVOKED)(on_tokens_revoked)
