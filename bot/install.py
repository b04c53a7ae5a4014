"""Multi-workspace installs: Bolt's OAuth flow on slack_sdk's SQLAlchemy stores, in the project's own database
(their tables are migrated by Alembic: store/installations.py)."""

from __future__ import annotations

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
    "channels:history",
    "chat:write",
    "commands",
    "mpim:write",
    "reactions:read",
    "users:read",
)
STATE_TTL_SECONDS = 600


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    assert settings.slack_client_id is not None
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine, logger=logger)


def oauth_settings(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> OAuthSettings:
    """GET /slack/install and /slack/oauth_redirect, storing one bot token per workspace."""

    def success(args: SuccessArgs) -> BoltResponse:
        team = args.installation.team_id
        if team:
            with sessions.begin() as session:
                Repos(session).workspaces.installed(team, args.installation.team_name)
        logger.info("installed in workspace %s", team)
        return args.default.success(args)

    def failure(args: FailureArgs) -> BoltResponse:
        # One line an admin can act on; Bolt's page tells the person in the browser.
        logger.warning("install did not complete: %s (HTTP %s)", args.reason, args.suggested_status_code)
        return args.default.failure(args)

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
