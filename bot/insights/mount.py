"""Where the dashboard is served: beside Bolt in HTTP mode, on a small local listener in Socket Mode."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from bot.insights.auth import Provider

if TYPE_CHECKING:
    from flask import Flask

    from bot.config import Settings
    from bot.deps import Deps
    from bot.jobs import SlackFor

logger = logging.getLogger(__name__)

OFF = "insights dashboard off: set PEERLEARN_SECRET_KEY, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to serve /insights"


def dashboard_url(settings: Settings) -> str | None:
    """The dashboard's address for links in Slack (App Home, the digest), when it is on and its address is known."""
    if not settings.insights_enabled or not settings.public_url:
        return None
    return f"{settings.public_url}/insights"


def insights_app(settings: Settings, deps: Deps, client_for: SlackFor) -> Flask | None:
    """The dashboard's app, or None (said in one line) when its key or Slack app credentials are missing."""
    if not settings.insights_enabled:
        logger.info(OFF)
        return None
    from bot.insights.web import create_app

    provider = Provider(settings.slack_api_url, settings.slack_client_id or "", settings.slack_client_secret or "")
    logger.info("insights dashboard on at /insights (Sign in with Slack, admins only)")
    return create_app(
        db=deps.db,
        secret_key=settings.secret_key or "",
        provider=provider,
        client_for=client_for,
        public_url=settings.public_url,
        clock=deps.clock,
    )


def serve_locally(app: Flask, *, port: int, stop: threading.Event) -> threading.Thread:
    """Socket Mode has no HTTP server: serve the dashboard alone on 127.0.0.1:`port` until `stop` is set (put it
    behind a reverse proxy to reach it from elsewhere)."""
    from bot.slack.server import serve

    kwargs = {"host": "127.0.0.1", "port": port, "stop": stop}
    thread = threading.Thread(target=serve, args=(app,), kwargs=kwargs, daemon=True, name="insights")
    thread.start()
    return thread
