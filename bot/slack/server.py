"""HTTP mode: the Bolt app behind a WSGI app served by waitress, with /healthz and /metrics."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from bot.telemetry import metrics
from store.db import DatabaseUnavailableError, check_connection

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    WSGIApp = WSGIApplication

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are far smaller; anything bigger is not from Slack.


class PeerlearnWSGI:
    """Routes /slack/* to Bolt and /insights* to the dashboard, answers /healthz and /metrics, and turns bodies Bolt
    cannot parse into 400."""

    def __init__(self, app: App, engine: Engine, signing_secret: str, insights: WSGIApp | None = None) -> None:
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.engine = engine
        self.verifier = SignatureVerifier(signing_secret)
        self.insights = insights  # the admins' dashboard (bot/insights/web.py), when PEERLEARN_SECRET_KEY is set

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self._healthz(start_response)
        if path == "/metrics" and method == "GET":
            return _reply(start_response, "200 OK", metrics.render(), "text/plain; version=0.0.4")
        if path == EVENTS_PATH and method == "POST":
            return self._slack(environ, start_response)
        if self.insights is not None and (path == "/insights" or path.startswith("/insights/")):
            return self.insights(environ, start_response)
        if path.startswith("/slack/") and method == "GET":
            return self.slack(environ, start_response)  # OAuth install and redirect, when configured
        return _reply(start_response, "404 Not Found", b"not found\n", "text/plain")

    def _healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            check_connection(self.engine)
        except DatabaseUnavailableError as exc:
            logger.warning("health check failed: %s", exc)
            return _reply(start_response, "503 Service Unavailable", b"database unavailable\n", "text/plain")
        return _reply(start_response, "200 OK", b"ok\n", "text/plain")

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return _reply(start_response, "413 Payload Too Large", b"too large\n", "text/plain")
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = _Replay(body)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return lambda _chunk: None

        try:
            chunks = list(self.slack(environ, capture))
        except (ValueError, KeyError, TypeError, AttributeError):
            # Bolt choked on the body (bad JSON, a payload missing fields Slack always sends): 401 if unsigned,
            # else 400. Our own listeners' errors never get here: the app's error handler answers those, and
            # requests no listener takes (bot/slack/unhandled.py), the same way over Socket Mode.
            logger.warning("malformed Slack request", exc_info=True)
            environ["wsgi.input"] = _Replay(body)
            return self._bad_request(environ, body, start_response)
        start_response(captured["status"], captured["headers"])
        return chunks

    def _bad_request(self, environ: WSGIEnvironment, body: bytes, start_response: StartResponse) -> Iterable[bytes]:
        headers = {
            "x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        }
        if not self.verifier.is_valid_request(body, headers):
            return _reply(
                start_response,
                "401 Unauthorized",
                json.dumps({"error": "invalid request"}).encode(),
                "application/json",
            )
        return _reply(start_response, "400 Bad Request", b'{"error": "malformed request"}', "application/json")


class _Replay:
    """A wsgi.input that serves bytes already read (so the body can be inspected once and parsed by Bolt)."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size is None or size < 0 else self._pos + size
        chunk = self._body[self._pos : end]
        self._pos += len(chunk)
        return chunk


def _reply(start_response: StartResponse, status: str, body: bytes, content_type: str) -> Iterable[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def serve(
    wsgi_app: WSGIApp, *, host: str, port: int, stop: threading.Event, threads: int = 4, drain: float = 10.0
) -> None:
    # 4 threads, not waitress's 8: the work is CPU-bound under one GIL, and fewer threads contend less (in
    # bench/http_load.py, p99 at 100 requests/s fell from 234 ms with 8 threads to 14 ms with 4).
    """Serve until `stop` is set (SIGTERM or Ctrl-C); then stop accepting, let in-flight requests finish and send
    their responses (up to `drain` seconds), and close. Port 0 picks a free port, and the log line says which."""
    import waitress
    from waitress import wasyncore

    server = waitress.create_server(  # type: ignore[attr-defined]  # missing from types-waitress
        wsgi_app, host=host, port=port, threads=threads, ident="peerlearn", clear_untrusted_proxy_headers=True
    )
    logger.info("peerlearn HTTP mode listening on http://%s:%s%s", host, server.effective_port, EVENTS_PATH)
    # waitress writes responses from this loop, so it keeps turning while the last requests finish.
    while not stop.is_set():
        wasyncore.loop(timeout=0.5, map=server._map, count=1)
    logger.info("peerlearn HTTP mode stopping: finishing requests in flight")
    server.accepting = False
    deadline = time.monotonic() + drain
    while _busy(server) and time.monotonic() < deadline:
        wasyncore.loop(timeout=0.05, map=server._map, count=1)
    server.task_dispatcher.shutdown(timeout=1)
    server.close()


def _busy(server: Any) -> bool:
    """A connection still has a request being handled or a response not yet sent."""
    channels = [c for c in server._map.values() if c is not server and hasattr(c, "requests")]
    return any(c.requests or c.total_outbufs_len for c in channels)
