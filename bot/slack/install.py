"""Multi-workspace installs: Bolt's OAuth flow on slack_sdk's SQLAlchemy stores, in the project's own database
(their tables are migrated by Alembic: store/installations.py)."""

from __future__ import annotations

import html
import logging

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from store.repos import Repos

logger = logging.getLogger(__name__)

# Exactly what manifest.yml asks for (a test keeps the two equal).
BOT_SCOPES = (
    # Asking from anywhere: @peerlearn in a channel, and plain words in the app's Messages tab.
    "app_mentions:read",
    "im:history",
    "channels:history",
    # A private learning channel: the digest reads it to find its own post after a crash (never posts twice).
    "groups:history",
    "chat:write",
    "commands",
    # Meeting times: do-not-disturb hours keep proposed times out of them; the calendar file goes to the group DM.
    "dnd:read",
    "files:write",
    "mpim:write",
    "reactions:read",
    "users:read",
)
STATE_TTL_SECONDS = 600


def _page(status: int, title: str, body: str) -> BoltResponse:
    """A small page for the browser that went through the install; `title` is plain text, `body` HTML."""
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}"
        f"</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return BoltResponse(status=status, body=page, headers={"content-type": "text/html; charset=utf-8"})


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    assert settings.slack_client_id is not None
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine, logger=logger)


def oauth_settings(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> OAuthSettings:
    """GET /slack/install and /slack/oauth_redirect, storing one bot token per workspace."""

    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        # Org-wide: one tenant for all the org's workspaces (bot/slack/tenancy.py).
        if installation.is_enterprise_install:
            team, name, where = installation.enterprise_id or "", installation.enterprise_name, "org"
            open_app = html.escape(f"slack://app?id={installation.app_id}")
        else:
            team, name, where = installation.team_id or "", installation.team_name, "workspace"
            open_app = html.escape(f"slack://app?team={team}&id={installation.app_id}")
        with sessions.begin() as session:
            Repos(session).workspaces.installed(team, name)
        logger.info("installed in %s %s", where, team)
        body = (
            "<p>Next: invite <b>@peerlearn</b> to the channel where the weekly digest should go, then open "
            "peerlearn's <b>Home</b> tab to choose it. Colleagues can start with <code>/teach</code> and "
            "<code>/learn</code> right away.</p>"
            f'<p><a href="{open_app}">Open peerlearn in Slack</a></p>'
        )
        return _page(200, f"peerlearn is installed in {name or 'your ' + where}", body)

    def failure(args: FailureArgs) -> BoltResponse:
        # One line an admin can act on (no codes or secrets); the page tells the person in the browser.
        logger.warning("install did not complete: %s (HTTP %s)", args.reason, args.suggested_status_code)
        again = f'<a href="{html.escape(args.settings.install_path)}">start again</a>'
        if args.reason == "access_denied":
            return _page(200, "Installation cancelled", f"<p>peerlearn was not added. You can {again} any time.</p>")
        if args.reason in ("invalid_state", "invalid_browser", "missing_state"):
            text = f"<p>This install link has expired or was already used. Please {again}.</p>"
            return _page(400, "Install link expired", text)
        text = (
            f"<p>Slack did not complete the install ({html.escape(args.reason)}). Please {again}; if it keeps "
            "failing, ask the person who runs peerlearn to check its client id and secret.</p>"
        )
        return _page(args.suggested_status_code, "Install failed", text)

    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(settings, engine),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_TTL_SECONDS, engine=engine, logger=logger),
        callback_options=CallbackOptions(success=success, failure=failure),
        logger=logger,
    )
