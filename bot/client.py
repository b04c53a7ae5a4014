"""Every WebClient the app makes: on SLACK_API_URL, retrying what Slack asks to retry, counted for /metrics."""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import select

from bot import metrics
from bot.config import Settings
from bot.tenancy import is_org


class _Observer(RetryHandler):
    """Counts Slack's errors and 429s for /metrics. It never retries: the client consults every retry handler
    on every response (200s included), which makes this the one place that sees them all, in every client
    Bolt copies from ours."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=1 << 30)

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            metrics.SLACK_RATE_LIMITED.inc()
            metrics.SLACK_API_ERRORS.labels("ratelimited").inc()
        elif response is not None and response.status_code >= 500:
            metrics.SLACK_API_ERRORS.labels(f"http_{response.status_code}").inc()
        elif response is not None and isinstance(response.body, dict) and response.body.get("ok") is False:
            metrics.SLACK_API_ERRORS.labels(str(response.body.get("error", "unknown"))[:64]).inc()
        elif error is not None:
            metrics.SLACK_API_ERRORS.labels("connection").inc()
        return False


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient on SLACK_API_URL that waits out 429s and retries 5xx and dropped connections."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            _Observer(),
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class WorkspaceClients:
    """Each workspace's client, with the bot token its installation stored (OAuth installs).

    Cached for a minute, so a reinstall's new token is picked up. A workspace without one gets a client without a
    token: Slack answers `not_authed`, which the caller logs and which stops that workspace's scheduled work.
    """

    TTL = 60.0

    def __init__(self, settings: Settings, store: InstallationStore) -> None:
        self.settings, self.store = settings, store
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[float, WebClient]] = {}

    def __call__(self, team_id: str) -> WebClient:
        with self._lock:
            hit = self._clients.get(team_id)
        if hit is not None and time.monotonic() - hit[0] < self.TTL:
            return hit[1]
        client = make_client(self.settings, self._token(team_id))
        with self._lock:
            self._clients[team_id] = (time.monotonic(), client)
        return client

    def _token(self, tenant: str) -> str | None:
        if is_org(tenant):  # an org-wide install: one token for every workspace of the org
            bot = self.store.find_bot(enterprise_id=tenant, team_id=None, is_enterprise_install=True)
        else:
            bot = self.store.find_bot(enterprise_id=None, team_id=tenant)
        if bot is None and not is_org(tenant) and isinstance(self.store, SQLAlchemyInstallationStore):
            # A workspace of a Grid installed on its own is stored under its org's id as well: look that up.
            bots = self.store.bots.c
            query = (
                select(bots.enterprise_id)
                .where(bots.client_id == self.store.client_id, bots.team_id == tenant, bots.enterprise_id.is_not(None))
                .order_by(bots.installed_at.desc())
                .limit(1)
            )
            with self.store.engine.connect() as connection:
                enterprise = connection.scalar(query)
            if enterprise:
                bot = self.store.find_bot(enterprise_id=enterprise, team_id=tenant)
        return bot.bot_token if bot else None
