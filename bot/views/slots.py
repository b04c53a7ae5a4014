"""Group slots: the invitation to host, its modal, the channel announcement with Join / Leave."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextObject,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.forms import DEFAULT_SLOT_LENGTH, SLOT_LENGTHS
from bot.services.slots import DEFAULT_CAPACITY, MAX_CAPACITY, Invitation, Joined, Left, Reason, Refused, SlotInfo
from bot.views.common import button, context, escape, message, modal, section, slack_date
from bot.wire import InviteValue, SlotValue


def invite_dm(invite: Invitation) -> dict[str, Any]:
    """To the expert: several people want their topic; host one session for all of them?"""
    topic = escape(invite.topic)
    blocks: list[Block] = [
        section(f":busts_in_silhouette: *{invite.waiting} people* want to learn *{topic}*, which you teach."),
        section("Would you host one group session for all of them? You pick the time and how many can join."),
        ActionsBlock(
            elements=[
                button("Host a group slot", ids.SLOT_HOST, InviteValue(invite.invite_id).value, primary=True),
                button("Not now", ids.SLOT_NOT_NOW, InviteValue(invite.invite_id).value),
            ]
        ),
        context("It is announced in the learning channel with a Join button. Learners stay anonymous until they join."),
    ]
    return message(f"{invite.waiting} people want to learn {invite.topic}. Host a group slot?", blocks)


def invite_answered(topic: str, hosted: bool) -> dict[str, Any]:
    """The invitation once answered: the buttons go."""
    line = (
        f":white_check_mark: You're hosting a group slot on *{escape(topic)}*. Thank you!"
        if hosted
        else f"No group slot on *{escape(topic)}* for now. Thanks for letting us know."
    )
    return message(line, [section(line)])


def _weekday_after(today: date, *, days: int) -> date:
    """`days` after today, moved on to Monday when that is a Saturday or a Sunday."""
    day = today + timedelta(days=days)
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def slot_modal(invite: Invitation, tz: str, today: date) -> View:
    lengths = [Option(value=str(m), label=f"{m} minutes") for m in SLOT_LENGTHS]
    blocks: list[Block] = [
        section(f"A group session on *{escape(invite.topic)}*. Times are in your timezone ({tz})."),
        InputBlock(
            block_id=ids.Field.DATE,
            label=PlainTextObject(text="Date"),
            element=DatePickerElement(action_id=ids.INPUT, initial_date=_weekday_after(today, days=2).isoformat()),
        ),
        InputBlock(
            block_id=ids.Field.TIME,
            label=PlainTextObject(text="Time"),
            element=TimePickerElement(action_id=ids.INPUT, initial_time="15:00", timezone=tz),  # read in this zone
        ),
        InputBlock(
            block_id=ids.Field.DURATION,
            label=PlainTextObject(text="Length"),
            element=StaticSelectElement(
                action_id=ids.INPUT, options=lengths, initial_option=lengths[SLOT_LENGTHS.index(DEFAULT_SLOT_LENGTH)]
            ),
        ),
        InputBlock(
            block_id=ids.Field.CAPACITY,
            label=PlainTextObject(text="Seats"),
            element=NumberInputElement(
                action_id=ids.INPUT,
                is_decimal_allowed=False,
                initial_value=str(DEFAULT_CAPACITY),
                min_value="2",
                max_value=str(MAX_CAPACITY),
            ),
            hint=PlainTextObject(text=f"How many learners can join, 2 to {MAX_CAPACITY}."),
        ),
    ]
    return modal(
        ids.SLOT_MODAL, "Host a group slot", "Announce it", blocks, metadata=InviteValue(invite.invite_id).value
    )


def _seats(slot: SlotInfo) -> str:
    left = slot.capacity - slot.joined
    going = (
        f"*{slot.joined}* going · {left} seat{'s' if left != 1 else ''} left"
        if left
        else f"*{slot.joined}* going · full"
    )
    return f":busts_in_silhouette: {going}"


def announcement(slot: SlotInfo, fallback_tz: str) -> dict[str, Any]:
    """The channel message; updated in place as people join and leave."""
    topic = escape(slot.topic)
    when = slack_date(slot.starts_at, fallback_tz)
    blocks: list[Block] = [
        section(f":mortar_board: *Group slot: {topic}*\nHosted by <@{slot.host}> · {when} · {slot.duration_min} min"),
        section(_seats(slot)),
        ActionsBlock(
            elements=[
                button("Join", ids.SLOT_JOIN, SlotValue(slot.slot_id).value, primary=True),
                button("Leave", ids.SLOT_LEAVE, SlotValue(slot.slot_id).value),
            ]
        ),
        context("Joiners get a reminder 10 minutes before. Times show in your own timezone."),
    ]
    return message(f"Group slot on {slot.topic}: {slot.joined}/{slot.capacity} going", blocks)


def learner_news(slot: SlotInfo, fallback_tz: str) -> dict[str, Any]:
    """To someone waiting for the topic: a slot is open, join it here."""
    topic = escape(slot.topic)
    when = slack_date(slot.starts_at, fallback_tz)
    line = f":sparkles: <@{slot.host}> is hosting a group slot on *{topic}*, which you wanted to learn: {when}."
    blocks: list[Block] = [section(line, button("Join", ids.SLOT_JOIN, SlotValue(slot.slot_id).value, primary=True))]
    return message(f"A group slot on {slot.topic} is open.", blocks)


def seat_text(seat: Joined | Left | Refused, joining: bool) -> str:
    """The ephemeral reply to Join / Leave."""
    topic = f"*{escape(seat.slot.topic)}*" if seat.slot else "that slot"
    match seat:
        case Joined():
            return f"You're in for {topic}. See you there!"
        case Left():
            return f"You left {topic}. Your seat is free again."
    return {
        Reason.ALREADY: f"You had already joined {topic}." if joining else f"You weren't in {topic}.",
        Reason.FULL: f"Sorry, {topic} is full.",
        Reason.STARTED: f"{topic} has already started.",
        Reason.HOST: f"You host {topic}, so you're there anyway!",
        Reason.GONE: "That slot no longer exists.",
        Reason.NOT_YOURS: "That is someone else's.",
    }[seat.reason]


def invite_text(reason: Reason) -> str:
    """The reply to an invitation button that changed nothing."""
    if reason is Reason.NOT_YOURS:
        return "That invitation is for someone else, so nothing changed."
    if reason is Reason.GONE:
        return "That invitation no longer exists."
    if reason is Reason.EXPIRED:
        return "This invitation waited 48 hours without an answer, so another colleague was asked. Thanks anyway!"
    if reason is Reason.UNAVAILABLE:
        return "You've paused or opted out since this invitation, so it's closed: another colleague is asked."
    return "You already answered that invitation: nothing changed."


def invite_closed(reason: Reason) -> dict[str, Any]:
    """An invitation that can no longer be answered (expired, or its expert unavailable): the buttons go."""
    line = invite_text(reason)
    return message(line, [section(line)])


NO_CHANNEL = "No learning channel is set, so the slot cannot be announced. Ask an admin to set one."
