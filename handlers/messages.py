"""Direct messages in the app's Messages tab (`message.im`) and @mentions in channels (`app_mention`).

Each is acked at once and answered after, in its own conversation's lane (one reply at a time, in order): a
direct message in the same DM, a mention privately, to its author only, in its channel or thread. Slack's
retries carry the same event id (dropped by bot/app.py's middleware); the same message delivered twice under
another id is caught here by its channel and ts.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, BoltContext

from bot import ids
from bot.context import Ctx
from bot.services import anywhere
from handlers.anywhere import answer, follow_up

# What a person writes arrives without a subtype, or with one of these; edits, deletions, joins, bots' posts and
# the rest carry other subtypes and are no message to answer.
_WRITTEN = (None, "file_share", "thread_broadcast")


def written_by_a_person(event: dict[str, Any], context: BoltContext) -> bool:
    """A new message by a person: not an edit or deletion, not peerlearn's own, not another bot's."""
    if event.get("subtype") not in _WRITTEN or event.get("bot_id") or event.get("bot_profile") or event.get("hidden"):
        return False
    user = event.get("user")
    return bool(user) and user != context.get("bot_user_id")


def first_time(ctx: Ctx, event: dict[str, Any]) -> bool:
    """Whether this is the message's first delivery (the claim is the service's)."""
    with ctx.tx() as scope:
        return anywhere.first_time(scope, channel=event["channel"], ts=event["ts"])


def on_message(event: dict[str, Any], context: BoltContext, ctx: Ctx) -> None:
    """A direct message to peerlearn: read as /learn or /teach, answered in the same DM."""
    if event.get("channel_type") != "im" or not written_by_a_person(event, context):
        return
    if not first_time(ctx, event):
        return
    where = {"thread_ts": event["thread_ts"]} if event.get("thread_ts") else {}
    args = (ctx, event["channel"], str(event.get("text") or ""), where)
    ctx.deps.lanes.submit((ctx.team, event["channel"]), reply_in_dm, *args)


def reply_in_dm(ctx: Ctx, channel: str, text: str, where: dict[str, str]) -> None:
    for sent in answer(ctx, text):
        ctx.outbox.post(channel, **sent.payload, **where)
        follow_up(ctx, sent)


def on_mention(event: dict[str, Any], context: BoltContext, ctx: Ctx) -> None:
    """@peerlearn in a channel: answered to its author only, in that channel (and thread); nothing is posted for
    the others to see."""
    if not written_by_a_person(event, context):
        return
    if not first_time(ctx, event):
        return
    thread = event.get("thread_ts")
    text = without_me(str(event.get("text") or ""), context.get("bot_user_id"))
    ctx.deps.lanes.submit((ctx.team, event["channel"], ctx.user), reply_in_channel, ctx, event["channel"], text, thread)


def reply_in_channel(ctx: Ctx, channel: str, text: str, thread: str | None) -> None:
    where = {"thread_ts": thread} if thread else {}
    for sent in answer(ctx, text, in_channel=True):
        if not ctx.outbox.post_ephemeral(channel, ctx.user, **sent.payload, **where):
            # Slack would not show it there (the channel was archived, peerlearn was removed): their DM still gets it.
            ctx.outbox.post(ctx.user, **sent.payload)
        follow_up(ctx, sent)


def without_me(text: str, bot_user: str | None) -> str:
    """The words of a mention, without peerlearn's own mention (other people's stay: the grammar sets them aside
    and says so when nothing else is left)."""
    if not bot_user:
        return text
    return re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", text).strip()


def register(app: App) -> None:
    app.event(ids.MESSAGE)(on_message)
    app.event(ids.APP_MENTION)(on_mention)
