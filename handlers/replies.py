"""What listeners share: an answer only the clicker sees, updating the clicked message, telling waiting learners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.services import teaching
from bot.services.teaching import NewTeacher
from bot.slack import outbox
from bot.views.asks import new_teacher


def tell(respond: Respond, team: str, text: str) -> None:
    """A short ephemeral line beside the clicked message, which stays as it was."""
    outbox.respond(respond, team, text=text, response_type="ephemeral", replace_original=False)


def update_clicked(client: WebClient, team: str, body: dict[str, Any], payload: dict[str, Any]) -> outbox.Result:
    """Replace the message whose button was clicked (its buttons go once the choice is made)."""
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        return outbox.update(client, team, container["channel_id"], container["message_ts"], **payload)
    return outbox.Sent()


def tell_waiting_learners(
    client: WebClient, team: str, notify: Sequence[NewTeacher], expert: str, *, back: bool = False
) -> None:
    """DM learners waiting on a topic that someone now teaches it (or is `back` from a pause to teach);
    sequential, so a big topic is paced."""
    for notice in teaching.learners_to_tell(notify):
        outbox.post(client, team, notice.learner, **new_teacher(notice, expert, back=back))
