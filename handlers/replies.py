"""What listeners share: updating the clicked message, telling waiting learners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.context import Ctx
from bot.services import teaching
from bot.services.teaching import NewTeacher
from bot.slack import outbox
from bot.views.asks import new_teacher


def update_clicked(ctx: Ctx, body: dict[str, Any], payload: dict[str, Any]) -> outbox.Result:
    """Replace the message whose button was clicked (its buttons go once the choice is made)."""
    container = body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        return ctx.outbox.update(container["channel_id"], container["message_ts"], **payload)
    return outbox.Sent()


def tell_waiting_learners(ctx: Ctx, notify: Sequence[NewTeacher], *, back: bool = False) -> None:
    """DM learners waiting on a topic that the requester now teaches (or is `back` from a pause to teach);
    sequential, so a big topic is paced."""
    for notice in teaching.learners_to_tell(notify):
        ctx.outbox.post(notice.learner, **new_teacher(notice, ctx.user, back=back))
