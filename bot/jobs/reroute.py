"""Asks unanswered for 48 hours go to the next-best expert; the learner is told either way."""

from __future__ import annotations

from datetime import datetime

from bot.jobs import JobContext
from bot.services import asks, reroute
from bot.slack import outbox
from bot.views import asks as match_views
from bot.views import reroute as views


def run(ctx: JobContext, now: datetime) -> int:
    """Pass on every ask that waited too long; returns how many."""
    with ctx.deps.tx() as repos:
        moved = reroute.reroute_due(repos, ctx.deps.catalog, now)
    for item in ctx.deps.pacer.each(moved):
        team, old, following = item.team_id, item.expired, item.next
        # The database already moved on; an undelivered ask simply expires again in 48 hours. A failure stops
        # this ask's messages (the outbox logged it), never the others'.
        if old.dm_channel and old.dm_ts:
            updated = outbox.update(
                ctx.slack(team),
                team,
                old.dm_channel,
                old.dm_ts,
                **views.ask_expired(old, passed_on=following is not None),
            )
            if not updated:
                ctx.trouble(team, updated)
                continue
        if following is not None:
            posted = ctx.post(team, following.expert.user_id, **match_views.ask_dm(following))
            if not posted:
                continue
            with ctx.tx(team, now) as scope:
                asks.remember_dm(scope, match_id=following.match_id, channel=posted.channel, ts=posted.ts)
        ctx.post(team, old.learner.user_id, **views.rerouted(old, following))
    return len(moved)
