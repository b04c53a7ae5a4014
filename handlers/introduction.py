"""The introduction: a group DM of learner, expert and peerlearn with who, what, when, the calendar file and the
session's buttons. A failed Slack call never blocks the flow: what can still be sent is sent."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.calendar import ics, session
from bot.context import Ctx
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
    if asked and asked.dm_channel and asked.dm_ts:
        # The request message's "Propose a time" would only say it was done: it goes.
        ctx.outbox.update(asked.dm_channel, asked.dm_ts, **match_views.introduced(info))
    placed = replace(booked, channel_id=opened.channel, message_ts=posted.ts)
    upload_calendar(ctx, placed, info.expert.tz or ctx.settings.timezone)


def intro_message(ctx: Ctx, booked: Meeting) -> dict[str, Any]:
    """The introduction as it reads now (posted once, updated when the session moves)."""
    effective = ctx.settings
    timed = booked.calendar
    buttons = views.session_buttons(booked, session.google_link(timed) if timed else None)
    return match_views.intro(
        booked.info, booked.starts_at, booked.minutes, effective.timezone, effective.kudos_emoji[0], buttons=buttons
    )


def upload_calendar(ctx: Ctx, booked: Meeting, tz: str, method: ics.Method = "REQUEST") -> None:
    """The .ics invitation (or cancellation) in the group DM."""
    timed = booked.calendar
    if timed is None or booked.channel_id is None:
        return
    content = session.invitation(timed, channel_id=booked.channel_id, tz=tz, method=method)
    title = views.calendar_title(booked.info.topic, cancelled=method == "CANCEL")
    ctx.outbox.upload(booked.channel_id, content=content, filename=timed.filename, title=title)
