"""Listener middleware that reads a button's value (or a modal's metadata) once, with its codec (bot/wire.py).

`decoded(AskValue)` on a listener puts the typed value in Bolt's context, which Bolt hands to the listener as its
`value` (`metadata` for a modal) argument. A value that does not parse never reaches the listener: the click is
acked and told it expired (a modal just closes), and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

from bot.context import Ctx
from bot.views.common import EXPIRED
from bot.wire import Codec

VALUE, METADATA = "value", "metadata"  # the listeners' argument names, and so the keys in Bolt's context

Middleware = Callable[..., BoltResponse | None]


def decoded(codec: type[Codec], stale: str = EXPIRED) -> Middleware:
    """A listener middleware giving the listener `codec`'s reading of what was clicked or submitted; a stale
    click is told `stale`."""

    def decode(
        ack: Ack, body: dict[str, Any], context: BoltContext, ctx: Ctx, next: Callable[[], None]
    ) -> BoltResponse | None:
        submitted = body.get("type") == "view_submission"
        raw = (body.get("view") or {}).get("private_metadata") if submitted else _clicked(body).get("value")
        parsed = codec.parse(str(raw or ""))
        if parsed is None:
            # Returning a response without next() ends the request here: no other listener sees it.
            answered = ack()
            if not submitted:
                ctx.background.submit(ctx.tell, stale)
            return answered
        context[METADATA if submitted else VALUE] = parsed
        next()
        return None

    return decode


def _clicked(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return dict(actions[0])
