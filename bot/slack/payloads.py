"""Slack-shaped request bodies, signed as Slack signs them: for the console, the tests and the benchmarks."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str | Sequence[str]]


def sign(secret: str, body: str, *, timestamp: int | None = None, retry: int | None = None) -> SignedRequest:
    """Headers Slack would send with `body`; `retry` adds X-Slack-Retry-Num as on a redelivered event."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body) or ""
    content_type = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    headers: dict[str, str | Sequence[str]] = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return SignedRequest(body, headers)


def command_body(
    command: str,
    text: str,
    *,
    team_id: str,
    user_id: str,
    user_name: str = "",
    response_url: str = "",
    channel_id: str = "C0GENERAL",
    trigger_id: str = "trigger.1",
    enterprise_id: str | None = None,
) -> str:
    """A slash command as Slack posts it (form-encoded); `enterprise_id`: from a workspace of an org-wide install."""
    org = {"enterprise_id": enterprise_id, "is_enterprise_install": "true"} if enterprise_id else {}
    return urlencode(
        org
        | {
            "token": "legacy-verification-token-unused",
            "team_id": team_id,
            "team_domain": "demo",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_name or user_id,
            "command": command,
            "text": text,
            "api_app_id": "APEERLRN",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def event_body(
    event: dict[str, Any],
    *,
    team_id: str,
    event_id: str,
    event_time: int | None = None,
    enterprise_id: str | None = None,
) -> str:
    """An Events API envelope (JSON). `enterprise_id`: an org-wide install's, whose authorization names the org
    and no workspace (the workspace the event happened in is the envelope's team_id)."""
    authorization: dict[str, Any] = {"team_id": team_id, "user_id": "UPEERBOT", "is_bot": True}
    if enterprise_id:
        authorization |= {"enterprise_id": enterprise_id, "team_id": None, "is_enterprise_install": True}
    return json.dumps(
        ({"enterprise_id": enterprise_id} if enterprise_id else {})
        | {
            "token": "legacy-verification-token-unused",
            "team_id": team_id,
            "api_app_id": "APEERLRN",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()) if event_time is None else event_time,
            "event": event,
            "authorizations": [authorization],
        }
    )


def direct_message(user_id: str, text: str, ts: str, *, channel: str = "", **fields: Any) -> dict[str, Any]:
    """A `message.im` event: someone wrote in the app's Messages tab (their DM with the app, D… by default)."""
    event = {"type": "message", "channel_type": "im", "channel": channel or "D" + user_id[1:], "user": user_id}
    return event | {"text": text, "ts": ts, "event_ts": ts, **fields}


def app_mention(user_id: str, channel: str, text: str, ts: str, *, thread_ts: str | None = None) -> dict[str, Any]:
    """An `app_mention` event: @peerlearn in a channel (`thread_ts`: in a thread); `text` as Slack sends it,
    the app's own mention (`<@U…>`) included."""
    event = {"type": "app_mention", "channel": channel, "user": user_id, "text": text, "ts": ts, "event_ts": ts}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def message_shortcut(
    *,
    team_id: str,
    user_id: str,
    callback_id: str,
    channel: str,
    message: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """A message shortcut chosen on `message` (its user, ts and text), as Slack's `message_action` payload."""
    return global_shortcut(team_id=team_id, user_id=user_id, callback_id=callback_id, trigger_id=trigger_id) | {
        "type": "message_action",
        "channel": {"id": channel},
        "message": {"type": "message", **message},
        "message_ts": message.get("ts", ""),
        "response_url": response_url,
    }


def global_shortcut(*, team_id: str, user_id: str, callback_id: str, trigger_id: str) -> dict[str, Any]:
    """A global shortcut chosen from the shortcuts menu, as Slack's `shortcut` payload."""
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "team": {"id": team_id},
        "user": {"id": user_id},
        "api_app_id": "APEERLRN",
    }


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity payload (block_actions, view_submission) as Slack posts it: form field `payload`."""
    return urlencode({"payload": json.dumps(payload)})


def block_actions(
    *,
    team_id: str,
    user_id: str,
    action_id: str,
    value: str,
    channel: str,
    ts: str,
    response_url: str,
    trigger_id: str,
    enterprise_id: str | None = None,
) -> dict[str, Any]:
    """A button pressed in a message (a DM, an ephemeral reply, the Home tab), as Slack's block_actions payload."""
    return with_org(
        {
            "type": "block_actions",
            "team": {"id": team_id},
            "user": {"id": user_id},
            "api_app_id": "APEERLRN",
            "trigger_id": trigger_id,
            "container": {"type": "message", "channel_id": channel, "message_ts": ts},
            "channel": {"id": channel},
            "message": {"ts": ts},
            "response_url": response_url,
            "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button"}],
        },
        enterprise_id,
    )


def view_submission(
    *,
    team_id: str,
    user_id: str,
    callback_id: str | None,
    private_metadata: str,
    values: dict[str, Any],
    view_id: str = "VMODAL",
    enterprise_id: str | None = None,
) -> dict[str, Any]:
    """A modal submitted with these input `values` (block id → action id → value), as Slack's view_submission."""
    return with_org(
        {
            "type": "view_submission",
            "team": {"id": team_id},
            "user": {"id": user_id},
            "api_app_id": "APEERLRN",
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
            },
        },
        enterprise_id,
    )


def with_org(payload: dict[str, Any], enterprise_id: str | None) -> dict[str, Any]:
    """An interaction from a workspace of an org-wide install carries the org (payload changed in place)."""
    if enterprise_id:
        payload["team"]["enterprise_id"] = enterprise_id
        payload |= {"enterprise": {"id": enterprise_id, "name": "Org"}, "is_enterprise_install": True}
    return payload
