"""Reminders ten minutes before a session or slot, and the follow-up an hour after it ends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.jobs import JobContext
from bot.services import sessions
from bot.views import sessions as views
from store.repos import Repos


def remind(ctx: JobContext, now: datetime) -> int:
    """DM everyone in a session about to start, each in their own timezone; returns DMs sent."""
    with ctx.deps.sessions.begin() as session:
        due = sessions.reminders_due(Repos(session), now)
    sent = 0
    for notice in due:
        fallback = ctx.deps.workspace(notice.team_id).timezone
        client = ctx.slack(notice.team_id)
        for person in ctx.deps.pacer.each((notice.host, *notice.learners)):
            sent += _dm(ctx, notice.team_id, client, person.user_id, views.reminder(notice, person, now, fallback))
    return sent


def follow_up(ctx: JobContext, now: datetime) -> int:
    """Ask each learner whether the session helped, with Give kudos and Mark need done."""
    with ctx.deps.sessions.begin() as session:
        due = sessions.followups_due(Repos(session), now)
    sent = 0
    for notice in due:
        client = ctx.slack(notice.team_id)
        for learner in ctx.deps.pacer.each(notice.learners):
            sent += _dm(ctx, notice.team_id, client, learner.user_id, views.follow_up(notice))
    return sent


def _dm(ctx: JobContext, team_id: str, client: WebClient, user: str, payload: dict[str, Any]) -> bool:
    try:
        client.chat_postMessage(channel=user, **payload)
    except SlackApiError as exc:  # one person's closed DMs must not cost the others their message
        ctx.trouble(team_id, "session DM", exc)
        return False
    return True
