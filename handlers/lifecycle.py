"""app_uninstalled and tokens_revoked: forget the workspace's token and stop its scheduled work."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import ids
from bot.context import Ctx
from bot.services import workspace
from bot.slack.install import installation_store
from bot.slack.tenancy import is_org

logger = logging.getLogger(__name__)


def forget(ctx: Ctx, context: dict[str, Any]) -> None:
    """Delete the tenant's stored tokens (OAuth installs keep them) and stop its scheduled work."""
    deps, team, enterprise = ctx.deps, ctx.team, context.get("enterprise_id")
    if deps.settings.oauth_enabled:
        # An org-wide install is stored without a workspace: the whole org's token goes.
        store = installation_store(deps.settings, deps.engine)
        store.delete_all(enterprise_id=enterprise, team_id=None if is_org(team) else team)
    with ctx.tx() as scope:
        workspace.uninstalled(scope)
    deps.workspace_cache.forget(team)
    logger.info("workspace %s: tokens removed, scheduled work stopped until it is reinstalled", team)


def on_uninstalled(context: dict[str, Any], ctx: Ctx) -> None:
    """The app was removed from a workspace."""
    forget(ctx, context)


def on_tokens_revoked(event: dict[str, Any], context: dict[str, Any], ctx: Ctx) -> None:
    """Only the bot token matters to us: without it the workspace cannot be served."""
    if (event.get("tokens") or {}).get("bot"):
        forget(ctx, context)


def register(app: App) -> None:
    app.event(ids.APP_UNINSTALLED)(on_uninstalled)
    app.event(ids.TOKENS_REVOKED)(on_tokens_revoked)
