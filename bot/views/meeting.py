"""Meeting times: the modal that offers free times, the yes the other person gives, the calendar buttons of an
introduction, and what moving or cancelling a session tells both people. Every time is shown in the reader's
own timezone (Slack's date formatting in messages; the person's zone where Slack allows only plain text)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.calendar import availability
from bot.forms import DEFAULT_SESSION_LENGTH, JUST_CHAT, MAX_REASON, OTHER_TIME, SESSION_LENGTHS
from bot.services.asks import MatchInfo, Person, Reason, Refused
from bot.services.meeting import Cancelled, Confirmed, Meeting, Moved, Plan, Proposed, Taken, Timed
from bot.views.common import button, clip, context, escape, message, modal, section
from bot.wire import ConfirmValue, PickMetadata, SessionValue


def _local(when: datetime, tz: str) -> datetime:
    try:
        return when.astimezone(ZoneInfo(tz))
    except (KeyError, ValueError):
        return when


def _day_time(when: datetime, tz: str) -> str:
    return f"{_local(when, tz):%a %d %b, %H:%M}"


def _both(when: datetime, minutes: int, info: MatchInfo, fallback_tz: str) -> str:
    """`Tue 02 Dec, 14:00–14:45` for each of them, in their own timezone."""

    def one(person: Person) -> str:
        tz = person.tz or fallback_tz
        start = _local(when, tz)
        return f"*{start:%a %d %b, %H:%M}–{start + timedelta(minutes=minutes):%H:%M}* for <@{person.user_id}> ({tz})"

    return " · ".join(one(p) for p in (info.expert, info.learner))


def _slot_label(slot: datetime, tz: str, other_tz: str, other_name: str) -> str:
    """A free time in the picker's zone, and the other's clock beside it unless it reads the same."""
    if _day_time(slot, other_tz) == _day_time(slot, tz):
        return f"{_day_time(slot, tz)} for you both"
    return f"{_day_time(slot, tz)} · {_local(slot, other_tz):%H:%M} for {other_name}"


def pick_modal(plan: Plan, found: availability.Proposal, tz: str, today: date, *, dnd_known: bool) -> View:
    """The free times for both (in the picker's timezone, the other's beside), another time, or just chat."""
    # A "just chat" session getting its first time is not moved: it reads as picking a time.
    info, moving = plan.info, plan.session_id is not None and not plan.untimed
    other_tz = plan.other.tz
    other_name = info.learner.name if plan.other_user == info.learner.user_id else info.expert.name
    options = [
        Option(
            value=str(int(slot.timestamp())),
            label=clip(_slot_label(slot, tz, other_tz, other_name), 75),
        )
        for slot in found.slots
    ]
    options.append(Option(value=OTHER_TIME, label="Another date and time (below)"))
    if plan.session_id is None:  # a booked session is already at least a chat
        options.append(Option(value=JUST_CHAT, label="Just chat in a group DM, no fixed time"))
    if moving:
        head = f"Move your session with *<@{plan.other_user}>* on *{escape(info.topic)}*."
    elif plan.untimed:
        head = f"Pick a time for your chat with *<@{plan.other_user}>* on *{escape(info.topic)}*."
    else:
        head = f"Meet *<@{plan.other_user}>* about *{escape(info.topic)}*."
    if not found.slots:
        note = "No free time in the next two weeks: pick a date and time below, or just chat."
    elif found.overlap:
        note = f"Free in both your working hours, outside other sessions. Times in your timezone ({tz})."
    else:
        note = (
            "No time inside both your working hours is free in the next two weeks: these are the closest to both. "
            f"Times in your timezone ({tz})."
        )
    notes = [context(note)]
    if not dnd_known:
        notes.append(context("Slack's do-not-disturb hours couldn't be read just now, so they aren't counted."))
    lengths = [Option(value=str(m), label=f"{m} minutes") for m in SESSION_LENGTHS]
    # A session moved keeps its length unless the person changes it.
    length = plan.minutes if plan.minutes in SESSION_LENGTHS else DEFAULT_SESSION_LENGTH
    blocks: list[Block] = [
        section(head),
        *notes,
        InputBlock(
            block_id=ids.Field.WHEN,
            label=PlainTextObject(text="When"),
            element=RadioButtonsElement(action_id=ids.INPUT, options=options, initial_option=options[0]),
        ),
        InputBlock(
            block_id=ids.Field.DURATION,
            label=PlainTextObject(text="Length"),
            element=StaticSelectElement(
                action_id=ids.INPUT,
                options=lengths,
                initial_option=lengths[SESSION_LENGTHS.index(length)],
            ),
            optional=True,
        ),
        InputBlock(
            block_id=ids.Field.DATE,
            label=PlainTextObject(text="Another date"),
            element=DatePickerElement(action_id=ids.INPUT, initial_date=(today + timedelta(days=1)).isoformat()),
            optional=True,
        ),
        InputBlock(
            block_id=ids.Field.TIME,
            label=PlainTextObject(text="Another time"),
            # Empty until typed: a time here is the one proposed (bot/forms.py), read in the zone shown under it.
            element=TimePickerElement(action_id=ids.INPUT, timezone=tz),
            hint=PlainTextObject(text=f"Type a time to propose it on the date above, in your timezone ({tz})."),
            optional=True,
        ),
    ]
    title, submit = ("Move the session", "Propose") if moving else ("Pick a time", "Propose")
    return modal(
        ids.PROPOSE_MODAL, title, submit, blocks, metadata=PickMetadata(info.match_id, tuple(found.slots)).value
    )


def _choices(match_id: int, options: list[datetime], tz: str) -> ActionsBlock:
    first, *others = options
    yes = ids.numbered(ids.CONFIRM_TIME, 0)  # numbered: Slack refuses two buttons with one action_id in a block
    elements: list[ButtonElement] = [
        button(f"Yes, {_day_time(first, tz)}", yes, ConfirmValue(match_id, first).value, primary=True)
    ]
    elements += [
        button(_day_time(when, tz), ids.numbered(ids.CONFIRM_TIME, i), ConfirmValue(match_id, when).value)
        for i, when in enumerate(others[:4], start=1)
    ]
    return ActionsBlock(elements=elements)


def _tz_of(info: MatchInfo, user: str, fallback: str) -> str:
    person = info.expert if user == info.expert.user_id else info.learner
    return person.tz or fallback


def proposal(change: Proposed, fallback_tz: str) -> dict[str, Any]:
    """To the person asked to confirm (a DM; in the group DM when a session moves)."""
    # The picked time as each of them reads it: the same instant the session is booked at, the introduction
    # shows and the calendar file carries.
    info, topic = change.info, escape(change.info.topic)
    when = _both(change.starts_at, change.minutes, info, fallback_tz)
    if change.meeting is not None and change.meeting.starts_at is not None:
        text = f":calendar: <@{change.by}> would like to move your session on *{topic}* to {when}."
        text += f" <@{change.to}>, does it suit you?"
    elif change.meeting is not None:  # a "just chat" session, getting its first time
        text = f":calendar: <@{change.by}> proposes a time for your chat on *{topic}* ({change.minutes} min): {when}."
        text += f" <@{change.to}>, does it suit you?"
    else:
        text = f":calendar: <@{change.by}> proposes to meet about *{topic}* ({change.minutes} min): {when}."
    choices = _choices(info.match_id, change.options, _tz_of(info, change.to, fallback_tz))
    blocks: list[Block] = [section(text), choices]
    if len(change.options) > 1:
        blocks.append(context("Or take one of the other free times. Buttons show your timezone."))
    return message(
        f"{info.expert.name if change.by == info.expert.user_id else info.learner.name} proposes a time", blocks
    )


def proposed(change: Proposed, fallback_tz: str) -> dict[str, Any]:
    """The picker's own message once they picked: waiting for the other person."""
    when = _both(change.starts_at, change.minutes, change.info, fallback_tz)
    text = (
        f":hourglass_flowing_sand: You proposed {when} for *{escape(change.info.topic)}*. "
        f"<@{change.to}> is asked to confirm; then you're both introduced."
    )
    return message("Waiting for a confirmation", [section(text)])


def confirmed(change: Confirmed, fallback_tz: str) -> dict[str, Any]:
    """The yes/alternatives message once answered: the buttons go."""
    when = _both(change.starts_at, change.minutes, change.meeting.info, fallback_tz)
    return message("Confirmed", [section(f":white_check_mark: Confirmed: {when}.")])


def taken(change: Taken, fallback_tz: str) -> dict[str, Any]:
    """The chosen time was booked meanwhile: the next free ones, or a way on."""
    if not change.options:
        text = "That time isn't free any more, and nothing else is free for you both in the next two weeks."
        return message("No free time", [section(f":warning: {text} Settle a time in a message instead.")])
    blocks: list[Block] = [
        section(":warning: That time isn't free any more. Here are the next free ones:"),
        _choices(change.info.match_id, change.options, _tz_of(change.info, change.to, fallback_tz)),
    ]
    return message("That time isn't free any more", blocks)


def session_buttons(meeting: Meeting, calendar_link: str | None) -> ActionsBlock:
    """Under an introduction: add it to a calendar, move it, or call it off."""
    elements: list[ButtonElement] = []
    if calendar_link:
        elements.append(ButtonElement(text="Add to Google Calendar", url=calendar_link, action_id=ids.CALENDAR_LINK))
    label = "Reschedule" if meeting.starts_at else "Pick a time"
    elements.append(button(label, ids.RESCHEDULE, SessionValue(meeting.session_id).value))
    elements.append(button("Cancel", ids.CANCEL_SESSION, SessionValue(meeting.session_id).value, danger=True))
    return ActionsBlock(elements=elements)


def moved(change: Moved | Timed, fallback_tz: str) -> dict[str, Any]:
    """In the group DM: the session's new time (or a "just chat" session's first), for each of them."""
    meeting = change.meeting
    when = _both(change.starts_at, change.minutes, meeting.info, fallback_tz)
    if isinstance(change, Timed):
        text = f":calendar: Set: {when}. Here is the calendar invitation."
        return message(f"Set: {meeting.info.topic}", [section(text)])
    text = f":calendar: Moved: {when}. The calendar invitation is updated."
    return message(f"Moved: {meeting.info.topic}", [section(text)])


def cancel_modal(session_id: int) -> View:
    reason = InputBlock(
        block_id=ids.Field.REASON,
        label=PlainTextObject(text="Reason"),  # Slack adds "(optional)" itself
        element=PlainTextInputElement(action_id=ids.INPUT, max_length=MAX_REASON, multiline=False),
        optional=True,
    )
    blocks: list[Block] = [section("The other person is told, with your reason if you give one."), reason]
    return modal(ids.CANCEL_MODAL, "Cancel the session", "Cancel it", blocks, metadata=SessionValue(session_id).value)


def cancelled(change: Cancelled, fallback_tz: str) -> dict[str, Any]:
    """In the group DM: who called it off, why, and what the learner can do now."""
    info = change.meeting.info
    # As every other group-DM message: each of them, with their zone, so neither has to guess whose time it is.
    meeting = change.meeting
    minutes = meeting.minutes or DEFAULT_SESSION_LENGTH
    when = f", planned for {_both(meeting.starts_at, minutes, info, fallback_tz)}" if meeting.starts_at else ""
    lines = [f":x: <@{change.by}> cancelled the session on *{escape(info.topic)}*{when}."]
    if change.reason:
        lines.append(f">{escape(clip(change.reason, MAX_REASON))}")
    # Both read it in the group DM: each is told what it means for them, by name.
    learner, expert, topic = info.learner.user_id, info.expert.user_id, escape(info.topic)
    if change.by == learner:
        lines.append(
            f"<@{expert}>, nothing for you to do. <@{learner}>, your need stays open: `/learn {topic}` shows who "
            f"teaches it when you want to try again, `/learn done {topic}` closes it."
        )
    else:
        lines.append(f"<@{learner}>, your need is open again: `/learn {topic}` shows who teaches it.")
    return message(f"Cancelled: {info.topic}", [section("\n".join(lines))])


def intro_cancelled(meeting: Meeting) -> dict[str, Any]:
    """The introduction once its session is cancelled: no button left."""
    info = meeting.info
    text = f"~<@{info.expert.user_id}> and <@{info.learner.user_id}>: *{escape(info.topic)}*~ (cancelled)"
    return message(f"Cancelled: {info.topic}", [section(text)])


def calendar_title(topic: str, *, cancelled: bool = False) -> str:
    """The title of the calendar file in the group DM."""
    return f"{'Cancelled' if cancelled else 'Calendar invitation'}: {topic}"


CLASH = "That time meets another session, or a day off, of one of you. Pick another one."
ALREADY_CANCELLED = "This session is already cancelled."


def not_now(refused: Refused) -> str:
    """A click on a session's button that changes nothing says why."""
    if refused.reason is Reason.NOT_YOURS:
        return "That button is for someone else, so it does nothing for you."
    if refused.reason is Reason.GONE:
        return "This session was cancelled or is closed, so there's nothing to change here."
    return "That choice was already made (or replaced by a newer one), so nothing changed."
