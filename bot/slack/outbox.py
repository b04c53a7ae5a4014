"""Every message to Slack, from a listener or a job, goes out here with one error policy.

A Slack error (after the client's own retries) or a lost connection is logged once, with the method, the tenant
and Slack's error code, counted in /metrics, and handed back as `Failed`: never raised into Bolt or a job. A
caller that must react (undo an ask whose DM cannot be delivered) does so from that result.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.error import URLError

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.views import View

from bot.telemetry import metrics

logger = logging.getLogger(__name__)

CONNECTION = "connection"  # the error of a call that never got Slack's answer


@dataclass(frozen=True)
class Sent:
    """Slack took it; `data` is its answer."""

    data: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> Literal[True]:
        return True

    @property
    def channel(self) -> str:
        """The channel posted to, or the conversation conversations.open opened."""
        channel = self.data.get("channel")
        return str(channel.get("id", "")) if isinstance(channel, dict) else str(channel or "")

    @property
    def ts(self) -> str:
        return str(self.data.get("ts") or "")


@dataclass(frozen=True)
class Failed:
    """Slack refused, or could not be reached; already logged and counted."""

    method: str
    error: str  # Slack's error code (`channel_not_found`, `fatal_error`…), or CONNECTION

    def __bool__(self) -> Literal[False]:
        return False


Result = Sent | Failed


def post(client: WebClient, team: str, channel: str, **payload: Any) -> Result:
    """chat.postMessage: `payload` is what a view returns (text, blocks) and any other argument."""
    return _send(team, "chat.postMessage", lambda: client.chat_postMessage(channel=channel, **payload))


def post_ephemeral(client: WebClient, team: str, channel: str, user: str, **payload: Any) -> Result:
    return _send(team, "chat.postEphemeral", lambda: client.chat_postEphemeral(channel=channel, user=user, **payload))


def update(client: WebClient, team: str, channel: str, ts: str, **payload: Any) -> Result:
    """chat.update of a message this app posted."""
    return _send(team, "chat.update", lambda: client.chat_update(channel=channel, ts=ts, **payload))


def publish(client: WebClient, team: str, user: str, view: View | dict[str, Any]) -> Result:
    """views.publish: the user's App Home."""
    return _send(team, "views.publish", lambda: client.views_publish(user_id=user, view=view))


def open_view(client: WebClient, team: str, trigger_id: str, view: View | dict[str, Any]) -> Result:
    """views.open: a modal (the trigger lasts three seconds)."""
    return _send(team, "views.open", lambda: client.views_open(trigger_id=trigger_id, view=view))


def update_view(client: WebClient, team: str, view_id: str, view: View | dict[str, Any]) -> Result:
    return _send(team, "views.update", lambda: client.views_update(view_id=view_id, view=view))


def open_conversation(client: WebClient, team: str, users: Iterable[str]) -> Result:
    """conversations.open: a DM or group DM with these users; `Sent.channel` is its id."""
    return _send(team, "conversations.open", lambda: client.conversations_open(users=",".join(users)))


def upload(client: WebClient, team: str, channel: str, *, content: str | bytes, filename: str, title: str) -> Result:
    """A file in a conversation (files_upload_v2: three calls, one result)."""
    return _send(
        team,
        "files.upload",
        lambda: client.files_upload_v2(channel=channel, content=content, filename=filename, title=title),
    )


def respond(reply: Respond, team: str, **payload: Any) -> Result:
    """A message through the response_url of a command or a click."""

    def send() -> dict[str, Any]:
        answer = reply(**payload)
        if not 200 <= answer.status_code < 300:
            raise _ResponseUrlError(str(answer.body or f"http_{answer.status_code}"))
        return {}

    return _send(team, "response_url", send)


class _ResponseUrlError(Exception):
    """A response_url answered with an error (it answers text, not JSON)."""


def _send(team: str, method: str, call: Callable[[], Any]) -> Result:
    try:
        answer = call()
    except SlackApiError as exc:
        return _failed(team, method, str(exc.response.get("error") or f"http_{exc.response.status_code}"))
    except _ResponseUrlError as exc:
        return _failed(team, method, str(exc)[:64])
    except (SlackClientError, URLError, OSError, http.client.HTTPException) as exc:
        return _failed(team, method, CONNECTION, type(exc).__name__)
    data = getattr(answer, "data", answer)
    return Sent(dict(data) if isinstance(data, dict) else {})


def _failed(team: str, method: str, error: str, detail: str = "") -> Failed:
    logger.warning("slack %s failed in %s: %s%s", method, team or "-", error, f" ({detail})" if detail else "")
    metrics.SLACK_UNDELIVERED.labels(method, error[:64]).inc()
    return Failed(method, error)


@dataclass(frozen=True)
class Outbox:
    """The outbox bound to one request's client and tenant, so a listener names neither on every send."""

    client: WebClient
    team: str

    def post(self, channel: str, **payload: Any) -> Result:
        return post(self.client, self.team, channel, **payload)

    def post_ephemeral(self, channel: str, user: str, **payload: Any) -> Result:
        return post_ephemeral(self.client, self.team, channel, user, **payload)

    def update(self, channel: str, ts: str, **payload: Any) -> Result:
        return update(self.client, self.team, channel, ts, **payload)

    def publish(self, user: str, view: View | dict[str, Any]) -> Result:
        return publish(self.client, self.team, user, view)

    def open_view(self, trigger_id: str, view: View | dict[str, Any]) -> Result:
        return open_view(self.client, self.team, trigger_id, view)

    def update_view(self, view_id: str, view: View | dict[str, Any]) -> Result:
        return update_view(self.client, self.team, view_id, view)

    def open_conversation(self, users: Iterable[str]) -> Result:
        return open_conversation(self.client, self.team, users)

    def upload(self, channel: str, *, content: str | bytes, filename: str, title: str) -> Result:
        return upload(self.client, self.team, channel, content=content, filename=filename, title=title)

    def respond(self, reply: Respond, **payload: Any) -> Result:
        return respond(reply, self.team, **payload)
