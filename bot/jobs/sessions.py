"""Reminders ten minutes before a session or slot, and the follow-up an hour after it ends."""

from __future__ import annotations

from datetime import datetime

from bot.jobs import JobContext
from bot.services import sessions
from bot.views import sessions as views


def remind(ctx: JobContext, now: datetime) -> int:
    """DM everyone in a session about to start, each in their own timezone; returns DMs sent."""
    with ctx.deps.tx() as repos:
        due = sessions.reminders_due(repos, now)
    sent = 0
    for notice in due:
        fallback = ctx.deps.workspace(notice.team_id).timezone
        for person in ctx.deps.pacer.each((notice.host, *notice.learners)):
            if notice.starts_at is not None and ctx.deps.clock.now() >= notice.starts_at:
                break  # paced past the start (a big slot, Slack slow): "starts in 1 minute" would now be false
            sent += ctx.dm(notice.team_id, person.user_id, views.reminder(notice, person, now, fallback))
    return sent


def follow_up(ctx: JobContext, now: datetime) -> int:
    """Ask each learner whether the session helped, with Give kudos and Mark need done."""
    with ctx.deps.tx() as repos:
        due = sessions.followups_due(repos, now)
    sent = 0
    for notice in due:
        for learner in ctx.deps.pacer.each(notice.learners):
            sent += ctx.dm(notice.team_id, learner.user_id, views.follow_up(notice))
    return sent
