"""Asks unanswered for 48 hours go to the next-best expert; the learner is told either way."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.jobs import JobContext
from bot.services import asks, reroute
from bot.views import asks as match_views
from bot.views import sessions as views
from store.repos import Repos


def run(ctx: JobContext, now: datetime) -> int:
    """Pass on every ask that waited too long; returns how many."""
    with ctx.deps.db.begin() as session:
        moved = reroute.reroute_due(Repos(session), ctx.deps.catalog, now)
    for item in ctx.deps.pacer.each(moved):
        client = ctx.slack(item.team_id)
        old, following = item.expired, item.next
        try:
            if old.dm_channel and old.dm_ts:
                client.chat_update(channel=old.dm_channel, ts=old.dm_ts, **views.ask_expired(old))
            if following is not None:
                posted = client.chat_postMessage(channel=following.expert.user_id, **match_views.ask_dm(following))
                with ctx.deps.db.begin() as session:
                    asks.remember_dm(
                        Repos(session),
                        team_id=item.team_id,
                        match_id=following.match_id,
                        channel=posted["channel"],
                        ts=posted["ts"],
                    )
            client.chat_postMessage(channel=old.learner.user_id, **views.rerouted(old, following))
        except SlackApiError as exc:
            # The database already moved on; an undelivered ask simply expires again in 48 hours.
            ctx.trouble(item.team_id, "re-routed ask", exc)
    return len(moved)
