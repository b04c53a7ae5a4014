"""The Bolt app factory: one client setup, one error handler, every listener registered in one place."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

import handlers  # the composition root: the app is built from its listeners, as the starter template's app.py
from bot.config import Settings
from bot.context import CTX, Ctx
from bot.deps import Deps
from bot.slack.client import make_client
from bot.slack.install import oauth_settings
from bot.slack.tenancy import TENANT, WorkspacesSeen
from bot.slack.unhandled import answer_unhandled
from bot.telemetry import metrics
from bot.telemetry.logs import new_request_id
from bot.views.common import apology

if TYPE_CHECKING:
    from prometheus_client import Counter, Histogram

logger = logging.getLogger(__name__)
request_log = logging.getLogger("peerlearn.requests")


class _TokenFromClient(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN itself and warns that our client's copy wins; that is what we want."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


bolt_logger = logging.getLogger("peerlearn.bolt")
bolt_logger.addFilter(_TokenFromClient())


class PeerlearnApp(App):
    """Bolt's App, timing every request end to end (middleware runs before listeners, so it can't)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        new_request_id()
        response = super().dispatch(req)
        kind, name = describe(req.body)
        seconds = time.perf_counter() - started
        latency, count = _series(kind, name, response.status < 400)
        latency.observe(seconds)
        count.inc()
        # What and how fast, for whom (team id); never the text anyone typed.
        tenant = req.context.get(TENANT) or req.context.team_id or "-"  # the org, for an org-wide install
        request_log.info("%s %s %s %d %.1fms", tenant, kind, name, response.status, seconds * 1000)
        return response


@functools.lru_cache(maxsize=1024)  # bounded: describe() reads names off bodies not yet verified
def _series(kind: str, name: str, ok: bool) -> tuple[Histogram, Counter]:
    """The request's latency and count series: prometheus_client's labels() checks and locks on every call, and
    the (kind, name) pairs are the app's few commands, actions, events and views."""
    return metrics.LATENCY.labels(kind, name), metrics.REQUESTS.labels(kind, name, "ok" if ok else "error")


def build_app(settings: Settings, deps: Deps, *, client: WebClient | None = None) -> App:
    """The Bolt app for these settings; `deps` holds the database and shared state."""
    oauth = settings.oauth_enabled
    app = PeerlearnApp(
        logger=bolt_logger,
        signing_secret=settings.slack_signing_secret or "",
        # With OAuth each request gets its workspace's token from the installation store, not this one.
        client=client or make_client(settings, None if oauth else settings.slack_bot_token),
        oauth_settings=oauth_settings(settings, deps.engine, deps.db) if oauth else None,
        # Listeners ack with the reply itself; slow work goes to deps.background after the ack.
        process_before_response=True,
        # Fail at start on a bad token rather than on the first request.
        token_verification_enabled=settings.slack_bot_token is not None and not oauth,
        # A request no listener takes reaches _on_error, which answers Slack's own payloads 200 (Bolt says 404).
        raise_error_for_unhandled_request=True,
    )
    app.error(_on_error)
    app.use(_Request(deps, WorkspacesSeen(deps.db)))
    handlers.register(app)
    return app


# One middleware, a class: Bolt's loop costs a call and a debug line per middleware, and for a plain function it
# inspects and builds keyword arguments on every request.
class _Request(Middleware):
    """Before any listener: each event once (Slack redelivers one it thinks we missed, X-Slack-Retry-Num), the
    tenant and workspace read (bot/slack/tenancy.py), then the request's context built once (tenant, user, one
    clock reading, bound outbox): every listener that names a `ctx` argument gets it from Bolt."""

    def __init__(self, deps: Deps, workspaces: WorkspacesSeen) -> None:
        self.deps = deps
        self.workspaces = workspaces

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        body = req.body
        if body.get("type") == "event_callback" and body.get("event_id"):
            team = str(body.get("team_id") or req.context.team_id or "")
            with self.deps.tx() as repos:
                first = repos.events.first_time(team, str(body["event_id"]))
            if not first:
                return BoltResponse(status=200, body="")
        self.workspaces.note(req)
        req.context[CTX] = Ctx.of(self.deps, req.context)
        return next()


def describe(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of a Slack payload, for metrics and logs: never its text."""
    if "command" in body:
        return "command", str(body["command"])
    kind = str(body.get("type", "unknown"))
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type", "unknown"))
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return "action", str(actions[0].get("action_id", "unknown"))
    if kind in ("view_submission", "view_closed"):
        return kind, str((body.get("view") or {}).get("callback_id", "unknown"))
    return kind, "-"


def _on_error(error: Exception, body: dict[str, Any], request: BoltRequest) -> BoltResponse:
    """Log with context (never text or tokens) and answer Slack 200, with an apology for commands."""
    kind, name = describe(body)
    if isinstance(error, BoltUnhandledRequestError):
        return answer_unhandled(body, kind, name, error.last_global_middleware_name)
    logger.error(
        "listener failed: %s %s in %s: %s",
        kind,
        name,
        body.get("team_id") or request.context.team_id,
        type(error).__name__,
        exc_info=error,
    )
    if kind == "command":
        return BoltResponse(status=200, body=apology(), headers={"content-type": "application/json"})
    return BoltResponse(status=200, body="")
