"""Messages around a session: the reminder, the follow-up, marking a need done, and a colleague who left."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block

from bot import ids
from bot.domain import SessionKind
from bot.services.asks import Person
from bot.services.home import Left
from bot.services.sessions import Done, SessionNotice
from bot.views.common import button, context, escape, in_zone, message, section, slack_date
from bot.wire import SessionValue


def reminder(notice: SessionNotice, to: Person, now: datetime, fallback_tz: str) -> dict[str, Any]:
    """Ten minutes before: when it starts, in the reader's own timezone, and with whom."""
    assert notice.starts_at is not None
    start, zone = in_zone(notice.starts_at, to.tz, fallback_tz)
    end = start + timedelta(minutes=notice.duration_min)
    # Rounded up: the scheduler's first tick inside the ten minutes reads "in 10 minutes", as promised, and a
    # session booked 40 seconds before it starts is "in 1 minute", never "in 0".
    minutes = max(1, math.ceil((notice.starts_at - now).total_seconds() / 60))
    topic = escape(notice.topic)
    if notice.kind is SessionKind.SLOT:
        if to.user_id == notice.host.user_id:
            what = f"Your group slot on *{topic}* ({len(notice.learners)} joined)"
        else:
            what = f"The group slot on *{topic}* hosted by <@{notice.host.user_id}>"
    elif to.user_id == notice.host.user_id:
        what = f"Your session on *{topic}* with " + ", ".join(f"<@{p.user_id}>" for p in notice.learners)
    else:
        what = f"Your session on *{topic}* with <@{notice.host.user_id}>"
    soon = f"{minutes} minute{'s' if minutes != 1 else ''}"
    line = f":alarm_clock: {what} starts in {soon}: *{start:%H:%M}–{end:%H:%M}* your time ({zone})."
    return message(f"Starting in {soon}: {notice.topic}, {start:%H:%M} your time", [section(line)])


def follow_up(notice: SessionNotice) -> dict[str, Any]:
    """To a learner an hour after: did it help? Thank the host, or mark the need done."""
    topic = escape(notice.topic)
    blocks: list[Block] = [
        section(f":wave: How was *{topic}* with <@{notice.host.user_id}>? Did it help?"),
        ActionsBlock(
            elements=[
                button("Give kudos", ids.GIVE_KUDOS, SessionValue(notice.session_id).value, primary=True),
                button("Mark need done", ids.MARK_DONE, SessionValue(notice.session_id).value),
            ]
        ),
        context("Kudos thank them in the weekly digest. Marking it done closes your request for this topic."),
    ]
    return message(f"How was {notice.topic} with {notice.host.name}?", blocks)


DONE_TEXT = {
    Done.CLOSED: "Marked done. Well learned! :tada:",
    Done.ALREADY: "That was already done: nothing changed.",
    Done.NOT_YOURS: "That session isn't yours to close.",
}


def colleague_left(notice: Left, user: str, fallback_tz: str) -> dict[str, Any]:
    """To a colleague: the person they were to meet (or asked, or were asked by, or offered to help) deleted their
    peerlearn data. Worded for the reader: a learner is told how to find someone else, a teacher that there is
    nothing to do; a teacher whose offer was never accepted is not told who it was for."""
    topic = escape(notice.topic)
    when = f" ({slack_date(notice.starts_at, fallback_tz)})" if notice.starts_at is not None else ""
    who = f"<@{user}> deleted their peerlearn data"
    if notice.reader == "teacher":
        lost = {
            "session": f"{who}, so your session on *{topic}*{when} is off.",
            "request": f"{who}, so their request about *{topic}* is closed.",
            "offer": f"The colleague you offered to help with *{topic}* has left peerlearn, so your offer is closed.",
        }.get(notice.lost, f"{who}, so your session on *{topic}*{when} is off.")
        line = f":wave: {lost} Nothing for you to do."
        more = "`/teach` shows who else wants to learn what you teach."
    else:
        lost = {
            "request": f"{who}, so your request about *{topic}* is closed.",
            "offer": f"{who}, so their offer to help you with *{topic}* is closed.",
            "slot": f"{who}, so their group slot on *{topic}*{when} is off.",
        }.get(notice.lost, f"{who}, so your session on *{topic}*{when} is off.")
        line = f":wave: {lost}"
        more = f"You still want to learn it: `/learn {topic}` shows who else teaches it."
    return message(f"{notice.topic}: a session or request is off", [section(line), context(more)])


def withdrawn(notice: Left, user: str) -> dict[str, Any]:
    """An Accept/Decline message that no longer waits for an answer: its buttons go. It waits on whoever did not
    start the match: a teacher someone asked, or a learner someone offered help."""
    topic = escape(notice.topic)
    if notice.reader == "learner":
        text = f"<@{user}> offered to help you learn *{topic}*, but has left peerlearn."
    else:
        text = f"<@{user}> would have liked to learn *{topic}* with you, but has left peerlearn."
    return message(f"{notice.topic}: request withdrawn", [section(text), context("Nothing for you to do.")])
