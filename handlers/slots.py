"""Group slots: the invitation's buttons and modal, and Join / Leave on the channel announcement."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.forms import SlotForm, read_slot
from bot.services import slots
from bot.services.slots import Hosted, Passed, Reason, Refused, SlotInfo
from bot.views import slots as views
from bot.wire import InviteValue, SlotValue
from handlers.decoding import decoded
from handlers.replies import update_clicked


def host_tz(ctx: Ctx) -> str:
    """The host's own timezone, else the workspace's: the slot form's date and time are read in it."""
    with ctx.tx() as scope:
        tz = slots.host_tz(scope)
    return tz or ctx.settings.timezone


def on_host(ack: Ack, body: dict[str, Any], value: InviteValue, ctx: Ctx) -> None:
    """The invited expert opens the slot modal."""
    ack()
    with ctx.tx() as scope:
        invite = slots.invitation(scope, invite_id=value.id)
    if isinstance(invite, Refused):
        ctx.background.submit(refuse, ctx, body, invite.reason)
        return
    tz = host_tz(ctx)
    today = ctx.now.astimezone(ZoneInfo(tz)).date()
    ctx.outbox.open_view(body["trigger_id"], views.slot_modal(invite, tz, today))


def on_not_now(ack: Ack, body: dict[str, Any], value: InviteValue, ctx: Ctx) -> None:
    """The invited expert passes; the next expert is asked on a later run."""
    ack()
    with ctx.tx() as scope:
        passed = slots.decline(scope, invite_id=value.id)
    match passed:
        case Passed(topic):
            ctx.background.submit(update_clicked, ctx, body, views.invite_answered(topic, hosted=False))
        case Refused(reason):
            ctx.background.submit(refuse, ctx, body, reason)


def refuse(ctx: Ctx, body: dict[str, Any], reason: Reason) -> None:
    """Say why an invitation button changed nothing: one that can never be answered again loses its buttons."""
    if reason in (Reason.EXPIRED, Reason.UNAVAILABLE):
        update_clicked(ctx, body, views.invite_closed(reason))
    else:
        ctx.tell(views.invite_text(reason))


def on_slot_submit(ack: Ack, view: dict[str, Any], metadata: InviteValue, ctx: Ctx) -> None:
    """Open the slot and announce it; a bad date, time or seat count is pointed out in the modal."""
    channel = ctx.settings.learning_channel
    form = read_slot(view["state"]["values"], host_tz(ctx), ctx.now)
    if not channel:
        ack(response_action="errors", errors={ids.Field.DATE: views.NO_CHANNEL})
        return
    if not isinstance(form, SlotForm):
        ack(response_action="errors", errors=form)
        return
    with ctx.tx() as scope:
        hosted = slots.host(
            scope, invite_id=metadata.id, starts_at=form.starts_at, duration_min=form.minutes, capacity=form.seats
        )
    match hosted:
        case Hosted(slot, learners):
            ack()
            ctx.background.submit(announce, ctx, slot, channel, learners)
        case Refused(Reason.ALREADY):
            ack()  # a second submit of the same modal changes nothing and needs no word
        case Refused(reason):
            ack(response_action="errors", errors={ids.Field.DATE: views.invite_text(reason)})


def announce(ctx: Ctx, slot: SlotInfo, channel: str, learners: list[str]) -> None:
    """The slot in the learning channel, the host's invitation answered, and news to each waiting learner."""
    tz = ctx.settings.timezone
    posted = ctx.outbox.post(channel, **views.announcement(slot, tz))
    if not posted:
        return
    with ctx.tx() as scope:
        slots.announced(scope, slot_id=slot.slot_id, channel=posted.channel, ts=posted.ts)
    ctx.outbox.post(slot.host, **views.invite_answered(slot.topic, hosted=True))
    for learner in ctx.deps.pacer.each(learners):
        ctx.outbox.post(learner, **views.learner_news(slot, tz))


def refresh_announcement(ctx: Ctx, slot_id: int) -> None:
    # Read the count just before updating, so the last update after a burst of clicks shows the true number.
    with ctx.tx() as scope:
        slot = slots.current(scope, slot_id=slot_id)
    if slot is not None and slot.channel_id and slot.message_ts:
        ctx.outbox.update(slot.channel_id, slot.message_ts, **views.announcement(slot, ctx.settings.timezone))


def seat(slot: SlotValue, ctx: Ctx, joining: bool) -> None:
    """Join or leave a slot, say how it went, and refresh the seat count on the announcement."""
    slot_id = slot.id
    with ctx.tx() as scope:
        seated = slots.join(scope, slot_id=slot_id) if joining else slots.leave(scope, slot_id=slot_id)
    ctx.background.submit(ctx.tell, views.seat_text(seated, joining))
    if not isinstance(seated, Refused):
        ctx.background.submit(refresh_announcement, ctx, slot_id)


def on_join(ack: Ack, value: SlotValue, ctx: Ctx) -> None:
    """Take a seat (from the channel announcement or the DM to a waiting learner)."""
    ack()
    seat(value, ctx, joining=True)


def on_leave(ack: Ack, value: SlotValue, ctx: Ctx) -> None:
    ack()
    seat(value, ctx, joining=False)


def register(app: App) -> None:
    app.action(ids.SLOT_HOST, middleware=[decoded(InviteValue)])(on_host)
    app.action(ids.SLOT_NOT_NOW, middleware=[decoded(InviteValue)])(on_not_now)
    app.view(ids.SLOT_MODAL, middleware=[decoded(InviteValue)])(on_slot_submit)
    app.action(ids.SLOT_JOIN, middleware=[decoded(SlotValue)])(on_join)
    app.action(ids.SLOT_LEAVE, middleware=[decoded(SlotValue)])(on_leave)
