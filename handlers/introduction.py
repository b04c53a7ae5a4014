"""The introduction: a group DM of learner, expert and peerlearn with who, what, when, the calendar file and the
session's buttons. A failed Slack call never blocks the flow: what can still be sent is sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.calendar import ics
from bot.context import Ctx
from bot.forms import DEFAULT_SESSION_LENGTH
from bot.services import asks
from bot.services.meeting import Meeting
from bot.views import asks as match_views
from bot.views import meeting as views


def introduce(ctx: Ctx, booked: Meeting) -> None:
    """Open the group DM, post the introduction, retire the request's "Propose a time", attach the invitation."""
    info = booked.info
    opened = ctx.outbox.open_conversation((info.expert.user_id, info.learner.user_id))
    if not opened:
        return
    posted = ctx.outbox.post(opened.channel, **intro_message(ctx, booked))
    if not posted:
        return
    with ctx.tx() as scope:
        asks.record_intro(scope, session_id=booked.session_id, channel=opened.channel, ts=posted.ts)
        asked = asks.request_message(scope, match_id=info.match_id)
    if asked.match and asked.match.dm_channel and asked.match.dm_ts:
        # The request message's "Propose a time" would only say it was done: it goes.
        ctx.outbox.update(asked.match.dm_channel, asked.match.dm_ts, **match_views.introduced(info))
    placed = replace(booked, channel_id=opened.channel, message_ts=posted.ts)
    upload_calendar(ctx, placed, info.expert.tz or ctx.settings.timezone)


def intro_message(ctx: Ctx, booked: Meeting) -> dict[str, Any]:
    """The introduction as it reads now (posted once, updated when the session moves)."""
    effective = ctx.settings
    buttons = views.session_buttons(booked, calendar_link(booked))
    return match_views.intro(
        booked.info, booked.starts_at, booked.minutes, effective.timezone, effective.kudos_emoji[0], buttons=buttons
    )


def upload_calendar(ctx: Ctx, booked: Meeting, tz: str, method: ics.Method = "REQUEST") -> None:
    """The .ics invitation (or cancellation) in the group DM."""
    if booked.starts_at is None or booked.channel_id is None:
        return
    info = booked.info
    content = ics.invitation(
        uid=ics.event_uid(booked.team_id, booked.session_id),
        sequence=booked.sequence,
        start=booked.starts_at,
        length=timedelta(minutes=booked.minutes or DEFAULT_SESSION_LENGTH),
        summary=f"{info.topic}: {info.expert.name} and {info.learner.name}",
        description=f"A peerlearn session: {info.learner.name} learns {info.topic} from {info.expert.name}.",
        organizer=info.expert.name,
        attendees=[info.expert.name, info.learner.name],
        url=f"https://slack.com/app_redirect?channel={booked.channel_id}",
        tz_name=tz,
        method=method,
    )
    title = "Cancelled" if method == "CANCEL" else "Calendar invitation"
    filename = f"peerlearn-session-{booked.session_id}.ics"
    ctx.outbox.upload(booked.channel_id, content=content, filename=filename, title=f"{title}: {info.topic}")


def calendar_link(booked: Meeting) -> str | None:
    """An "Add to Google Calendar" link for a timed session."""
    if booked.starts_at is None:
        return None
    info = booked.info
    return ics.google_calendar_link(
        start=booked.starts_at,
        length=timedelta(minutes=booked.minutes or DEFAULT_SESSION_LENGTH),
        summary=f"{info.topic}: {info.expert.name} and {info.learner.name}",
        details=f"A peerlearn session: {info.learner.name} learns {info.topic} from {info.expert.name}.",
    )
