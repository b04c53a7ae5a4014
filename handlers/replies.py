"""What listeners share: reading a click, an answer only the clicker sees, updating the clicked message, telling
waiting learners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps, deps_of
from bot.services import teaching
from bot.services.teaching import NewTeacher
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views.asks import new_teacher


class Click(NamedTuple):
    """A click on a button whose value is a row's id: who clicked, where, and the id."""

    deps: Deps
    team: str
    user: str
    id: int


def clicked(body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> Click | None:
    """The click, or None for a stale or tampered value (nothing to do, nothing to say)."""
    value = str(action.get("value", ""))
    if not value.isdigit():
        return None
    return Click(deps_of(context), tenant_of(context), body["user"]["id"], int(value))


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
