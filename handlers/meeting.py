"""Meeting times: the pick in the free-times modal, the other person's yes, moving or cancelling a session.

The modal itself is built in handlers/picker.py, the introduction and its calendar file in
handlers/introduction.py. A failed Slack call never blocks the flow: the form still opens, the introduction
still arrives.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.forms import Proposal, read_cancel_reason, read_proposal
from bot.services import asks, meeting
from bot.services.asks import Reason, Refused
from bot.services.meeting import Booked, Cancelled, ChatBooked, Clash, Confirmed, Moved, Plan, Proposed, Taken, Timed
from bot.views import meeting as views
from bot.wire import ConfirmValue, PickMetadata, SessionValue
from handlers.decoding import decoded
from handlers.introduction import intro_message, introduce, upload_calendar
from handlers.picker import open_picker
from handlers.replies import update_clicked


def on_pick(ack: Ack, view: dict[str, Any], metadata: PickMetadata, ctx: Ctx) -> None:
    """A free time (or another, or just chat) is picked: it goes to the other person to confirm."""
    workspace_tz = ctx.settings.timezone
    with ctx.tx() as scope:
        tz = meeting.member_tz(scope) or workspace_tz
    picked = read_proposal(view["state"]["values"], tz, ctx.now)
    if not isinstance(picked, Proposal):
        ack(response_action="errors", errors=picked)
        return
    with ctx.tx() as scope:
        change = meeting.pick(
            scope,
            match_id=metadata.match_id,
            starts_at=picked.starts_at,
            minutes=picked.minutes,
            others=list(metadata.offered),
            tz=workspace_tz,
        )
    if isinstance(change, Clash):
        ack(response_action="errors", errors={picked.field: views.CLASH})
        return
    ack()
    match change:
        case ChatBooked(booked):
            ctx.background.submit(introduce, ctx, booked)
        case Proposed():
            ctx.background.submit(ask_to_confirm, ctx, change)
        case Refused():
            pass  # a stale or second submit: the first one's messages stand


def ask_to_confirm(ctx: Ctx, change: Proposed) -> None:
    """The picked time goes to the other person, with the other free times; the request message says so."""
    tz = ctx.settings.timezone
    if change.meeting is not None and change.meeting.channel_id:  # moving: ask in the group DM, both see it
        ctx.outbox.post(change.meeting.channel_id, **views.proposal(change, tz))
        return
    if not ctx.outbox.post(change.to, **views.proposal(change, tz)):
        return
    with ctx.tx() as scope:
        asked = asks.request_message(scope, match_id=change.info.match_id)
    if asked and asked.dm_channel and asked.dm_ts:
        ctx.outbox.update(asked.dm_channel, asked.dm_ts, **views.proposed(change, tz))


def on_confirm(ack: Ack, body: dict[str, Any], value: ConfirmValue, ctx: Ctx) -> None:
    """The other person takes one of the offered times: booked (or moved), once."""
    ack()
    with ctx.tx() as scope:
        change = meeting.confirm(scope, match_id=value.match_id, starts_at=value.starts_at, tz=ctx.settings.timezone)
    if isinstance(change, Refused):
        ctx.background.submit(ctx.tell, views.not_now(change))
        return
    ctx.background.submit(after_confirm, ctx, body, change)


def after_confirm(ctx: Ctx, body: dict[str, Any], change: Confirmed | Taken) -> None:
    tz = ctx.settings.timezone
    match change:
        case Taken():
            update_clicked(ctx, body, views.taken(change, tz))
        case Booked(booked):
            update_clicked(ctx, body, views.confirmed(change, tz))
            introduce(ctx, booked)
        case Moved(booked) | Timed(booked):
            # The introduction shows the time, both read it in the group DM, the calendar follows.
            update_clicked(ctx, body, views.confirmed(change, tz))
            if booked.channel_id and booked.message_ts:
                ctx.outbox.update(booked.channel_id, booked.message_ts, **intro_message(ctx, booked))
                ctx.outbox.post(booked.channel_id, **views.moved(change, tz))
            upload_calendar(ctx, booked, booked.info.expert.tz or tz)


def on_reschedule(ack: Ack, body: dict[str, Any], value: SessionValue, ctx: Ctx) -> None:
    """Either person moves the session (or gives an untimed one a time): back to the free times."""
    ack()
    if (plan := _movable(value, ctx)) is not None:
        open_picker(ctx, body["trigger_id"], plan)


def on_cancel(ack: Ack, body: dict[str, Any], value: SessionValue, ctx: Ctx) -> None:
    """Either person cancels: a modal asks for an optional reason first."""
    ack()
    if _movable(value, ctx) is not None:
        ctx.outbox.open_view(body["trigger_id"], views.cancel_modal(value.id))


def _movable(session: SessionValue, ctx: Ctx) -> Plan | None:
    """The plan for moving the clicked session, or None (and the clicker told why) when it cannot move."""
    with ctx.tx() as scope:
        plan = meeting.plan_move(scope, session_id=session.id, tz=ctx.settings.timezone)
    if isinstance(plan, Refused):
        ctx.background.submit(ctx.tell, views.not_now(plan))
        return None
    return plan


def on_cancel_submit(ack: Ack, view: dict[str, Any], metadata: SessionValue, ctx: Ctx) -> None:
    """The cancel modal, sent: the session is cancelled, with the reason if one was given."""
    reason = read_cancel_reason(view["state"]["values"])
    with ctx.tx() as scope:
        change = meeting.cancel(scope, session_id=metadata.id, reason=reason)
    if isinstance(change, Refused) and change.reason is Reason.ALREADY:
        ack(response_action="errors", errors={ids.Field.REASON: views.ALREADY_CANCELLED})
        return
    ack()
    if isinstance(change, Cancelled):
        ctx.background.submit(after_cancel, ctx, change)


def after_cancel(ctx: Ctx, change: Cancelled) -> None:
    booked = change.meeting
    tz = ctx.settings.timezone
    if booked.channel_id:
        if booked.message_ts:
            ctx.outbox.update(booked.channel_id, booked.message_ts, **views.intro_cancelled(booked))
        ctx.outbox.post(booked.channel_id, **views.cancelled(change, tz))
    upload_calendar(ctx, booked, booked.info.expert.tz or tz, method="CANCEL")


def on_calendar_link(ack: Ack) -> None:
    """A link button opens the browser itself; Slack still reports the click, which needs only an ack."""
    ack()


def register(app: App) -> None:
    app.view(ids.PROPOSE_MODAL, middleware=[decoded(PickMetadata)])(on_pick)
    app.action(ids.any_numbered(ids.CONFIRM_TIME), middleware=[decoded(ConfirmValue)])(on_confirm)
    app.action(ids.RESCHEDULE, middleware=[decoded(SessionValue)])(on_reschedule)
    app.action(ids.CANCEL_SESSION, middleware=[decoded(SessionValue)])(on_cancel)
    app.view(ids.CANCEL_MODAL, middleware=[decoded(SessionValue)])(on_cancel_submit)
    app.action(ids.CALENDAR_LINK)(on_calendar_link)
