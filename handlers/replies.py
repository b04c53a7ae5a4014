"""What button listeners share: an answer only the clicker sees, and updating the message that was clicked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient


def tell(respond: Respond, text: str) -> None:
    """A short ephemeral line beside the clicked message, which stays as it was."""
    respond(text=text, response_type="ephemeral", replace_original=False)


def update_clicked(client: WebClient, body: dict[str, Any], payload: dict[str, Any]) -> None:
    """Replace the message whose button was clicked (its buttons go once the choice is made)."""
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **payload)
