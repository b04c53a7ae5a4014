"""Every WebClient the app makes: on SLACK_API_URL, retrying what Slack asks to retry, counted for /metrics."""

from __future__ import annotations

import http.client
import io
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from cachetools import TTLCache
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

from bot.config import Settings
from bot.slack.tenancy import is_org
from bot.telemetry import metrics


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


class KeepAliveWebClient(WebClient):
    """A WebClient whose HTTP connections stay open between calls. slack_sdk's urllib transport opens a connection
    per call and closes it (a TCP and a TLS handshake each time); this sends the same request the same way and
    hands back the same answers and errors, through a small pool of idle connections, so any thread may use it."""

    MAX_IDLE = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle: list[http.client.HTTPConnection] = []
        self._idle_lock = threading.Lock()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        target = urlsplit(url)
        if self.proxy is not None or target.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        path = f"{target.path}?{target.query}" if target.query else target.path
        headers = {name.title(): value for name, value in req.header_items()}
        for attempt in (1, 2):
            connection, reused = self._take(target.scheme, target.netloc)
            try:
                try:
                    connection.request(req.get_method(), path or "/", req.data, headers)
                except OSError as exc:
                    if reused and attempt == 1:  # the server closed it while idle: once more on a new one
                        connection.close()
                        continue
                    raise URLError(exc) from exc  # as urllib does
                response = connection.getresponse()
                body = response.read()
            except http.client.RemoteDisconnected:
                connection.close()
                if reused and attempt == 1:
                    continue
                raise
            except BaseException:
                connection.close()
                raise
            self._give_back(connection, response)
            break
        if not 200 <= response.status < 300:  # urllib raises these, and the retry handlers expect that
            raise HTTPError(url, response.status, response.reason, response.headers, io.BytesIO(body))
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": response.headers, "body": body.decode(charset)}

    def _take(self, scheme: str, netloc: str) -> tuple[http.client.HTTPConnection, bool]:
        host, port = _host_port(scheme, netloc)
        with self._idle_lock:
            for i, connection in enumerate(self._idle):
                if (connection.host, connection.port) == (host, port):
                    return self._idle.pop(i), True
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self.ssl), False
        return http.client.HTTPConnection(host, port, timeout=self.timeout), False

    def _give_back(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        if response.will_close:
            connection.close()
            return
        with self._idle_lock:
            if len(self._idle) < self.MAX_IDLE:
                self._idle.append(connection)
                return
        connection.close()


def _host_port(scheme: str, netloc: str) -> tuple[str, int]:
    parsed = urlsplit(f"{scheme}://{netloc}")
    return parsed.hostname or "", parsed.port or (443 if scheme == "https" else 80)


def keep_alive(original: WebClient) -> KeepAliveWebClient:
    """A long-lived twin of `original` (same token, URL, timeout and retries): Bolt makes a new client per request,
    whose connections would die with it."""
    return KeepAliveWebClient(
        token=original.token,
        base_url=original.base_url,
        timeout=original.timeout,
        ssl=original.ssl,
        proxy=original.proxy,
        headers=dict(original.headers),
        team_id=original.default_params.get("team_id"),
        logger=original.logger,
        retry_handlers=list(original.retry_handlers),
    )


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient on SLACK_API_URL that waits out 429s and retries 5xx and dropped connections."""
    return KeepAliveWebClient(
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
    MAX_TENANTS = 10_000

    def __init__(
        self, settings: Settings, store: InstallationStore, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings, self.store = settings, store
        self._lock = threading.Lock()  # the scheduler's jobs share it
        self._clients: TTLCache[str, WebClient] = TTLCache(self.MAX_TENANTS, self.TTL, timer=timer)

    def __call__(self, team_id: str) -> WebClient:
        with self._lock:
            hit = self._clients.get(team_id)
        if hit is not None:
            return hit
        client = make_client(self.settings, self._token(team_id))  # outside the lock: reads the installation
        with self._lock:
            self._clients[team_id] = client
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
