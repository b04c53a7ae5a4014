"""reaction_added / reaction_removed: kudos. Acked at once; the work runs after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.services import kudos
from bot.views.kudos import NOT_YOUR_SESSION, button_reply, limit_reached, thanked
from bot.wire import SessionValue
from handlers.decoding import decoded


def reaction(event: dict[str, Any], ctx: Ctx, bot_user: str | None) -> kudos.Reaction | None:
    """The reaction an event carries, when it is on a message and someone gave it."""
    item = event.get("item") or {}
    if item.get("type") != "message" or not event.get("user"):
        return None
    receiver = event.get("item_user")
    if receiver == bot_user:
        receiver = None  # thanks aimed at peerlearn itself count for nobody
    return kudos.Reaction(event["user"], receiver, item["channel"], item["ts"], event["reaction"])


def record(ctx: Ctx, given: kudos.Reaction, by_button: bool = False) -> None:
    """Count the kudos within the limits; tell the giver when a limit stops it, and the receiver soon after."""
    # users.info tells us who is a bot; cached, so a busy channel does not call Slack each time.
    for user in (given.giver, given.receiver):
        if user:
            ctx.directory.refresh(ctx.client, ctx.team, user)
    effective = ctx.settings
    with ctx.tx() as scope:
        result = kudos.give(scope, given, rules=effective, by_button=by_button)
    # Say the workspace's own weekly limit and show its first kudos emoji, not the built-in defaults.
    limit, shown = effective.kudos_pair_weekly_limit, effective.kudos_emoji[0]
    if by_button:
        ctx.tell(button_reply(result, pair_limit=limit, emoji=shown))
    match result:
        case kudos.Counted(receiver):
            ctx.deps.kudos_batch.touch((ctx.team, receiver), thank, ctx, receiver)
        case kudos.Limited(tell_giver=True) if not by_button:
            ctx.outbox.post(given.giver, **limit_reached(result, pair_limit=limit, emoji=shown))


def thank(ctx: Ctx, receiver: str) -> None:
    """One DM for the kudos that arrived together."""
    with ctx.later().tx() as scope:  # debounced: it runs a while after the request, on its own time
        thanks = kudos.collect_thanks(scope, receiver=receiver)
    if thanks is not None:
        ctx.outbox.post(receiver, **thanked(thanks, emoji=ctx.settings.kudos_emoji[0]))


def withdraw(ctx: Ctx, given: kudos.Reaction) -> None:
    with ctx.tx() as scope:
        kudos.take_back(scope, given, kudos_emoji=ctx.settings.kudos_emoji)


def on_reaction_added(event: dict[str, Any], context: dict[str, Any], ctx: Ctx) -> None:
    """A reaction: kudos when it is the kudos emoji on a colleague's message."""
    given = reaction(event, ctx, context.get("bot_user_id"))
    if given and kudos.base_emoji(given.emoji) in ctx.settings.kudos_emoji:
        ctx.background.submit(record, ctx, given)


def on_give_kudos(ack: Ack, value: SessionValue, ctx: Ctx) -> None:
    """ "Give kudos" on a session follow-up: counts like a reaction and obeys the same limits."""
    ack()
    with ctx.tx() as scope:
        given = kudos.for_session(scope, session_id=value.id)
    if given is None:
        ctx.background.submit(ctx.tell, NOT_YOUR_SESSION)
        return
    ctx.background.submit(record, ctx, given, True)


def on_reaction_removed(event: dict[str, Any], context: dict[str, Any], ctx: Ctx) -> None:
    """The reaction was taken away, and so is the kudos it gave."""
    given = reaction(event, ctx, context.get("bot_user_id"))
    if given and kudos.base_emoji(given.emoji) in ctx.settings.kudos_emoji:
        ctx.background.submit(withdraw, ctx, given)


def register(app: App) -> None:
    app.event(ids.REACTION_ADDED)(on_reaction_added)
    app.action(ids.GIVE_KUDOS, middleware=[decoded(SessionValue)])(on_give_kudos)
    app.event(ids.REACTION_REMOVED)(on_reaction_removed)
