"""Signed requests no listener took. Slack's own get 200: Slack counts any other answer as a failed delivery,
retries it, and turns event delivery off for an app that keeps failing. A signed body that is not Slack's
(not a payload type Slack sends, or without what Slack always sends with it) gets 400."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltResponse

logger = logging.getLogger(__name__)

# Every payload type Slack posts to a request URL, with a field Slack always sends along with it (a path of keys):
# the Events API's envelopes, then the interactivity payloads. Slash commands carry no type.
SLACK_TYPES: dict[str, tuple[str, ...]] = {
    "event_callback": ("event", "type"),
    "app_rate_limited": ("team_id",),
    "url_verification": ("challenge",),
    "block_actions": ("actions",),
    "block_suggestion": ("action_id",),
    "view_submission": ("view", "type"),
    "view_closed": ("view", "type"),
    "shortcut": ("callback_id",),
    "message_action": ("callback_id",),
    "interactive_message": ("callback_id",),
    "dialog_submission": ("callback_id",),
    "dialog_suggestion": ("callback_id",),
    "dialog_cancellation": ("callback_id",),
    "workflow_step_edit": ("callback_id",),
}


def is_slack_payload(body: dict[str, Any]) -> bool:
    """Whether `body` has the shape of something Slack sends: a slash command, an event or an interaction."""
    command = body.get("command")
    if isinstance(command, str):
        return command.startswith("/") and bool(body.get("user_id"))
    kind = body.get("type")
    if not isinstance(kind, str) or kind not in SLACK_TYPES:
        return False
    value: Any = body
    for key in SLACK_TYPES[kind]:
        value = value.get(key) if isinstance(value, dict) else None
    return bool(value)


def answer_unhandled(body: dict[str, Any], kind: str, name: str, middleware: str | None) -> BoltResponse:
    """200 for a Slack payload nobody listens to (logged at debug: Slack sends events we do not use); else 400."""
    if not is_slack_payload(body):
        logger.info("signed request that is not a Slack payload: %s %s", kind, name)
        return BoltResponse(status=400, body={"error": "not a Slack payload"})
    if middleware:
        # A middleware of ours returned nothing without calling next(): a bug, but Slack still gets its 200.
        logger.warning("middleware %s neither answered nor passed on %s %s", middleware, kind, name)
    else:
        logger.debug("unhandled %s %s", kind, name)
    return BoltResponse(status=200, body="")
