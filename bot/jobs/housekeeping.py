"""Hourly upkeep: forget old event ids, and tell people about kudos a restart left untold."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.jobs import JobContext
from bot.services import kudos, workspace
from bot.views.kudos import thanked

# Slack retries an event for about an hour at most; a day of ids is plenty.
EVENT_MEMORY = timedelta(days=1)
# Longer than the kudos DM batching window, so the handler's own timer had its chance.
UNTOLD_AFTER = timedelta(minutes=10)


def run(ctx: JobContext, now: datetime) -> int:
    with ctx.deps.tx() as repos:
        workspace.forget_events_before(repos, now - EVENT_MEMORY)
        untold = kudos.untold(repos, before=now - UNTOLD_AFTER)
    told = 0
    for team_id, receiver in ctx.deps.pacer.each(untold):
        with ctx.tx(team_id, now) as scope:
            thanks = kudos.collect_thanks(scope, receiver=receiver)
        if thanks is not None:
            emoji = ctx.deps.workspace(team_id).kudos_emoji[0]
            told += ctx.dm(team_id, receiver, thanked(thanks, emoji=emoji))
    return told
