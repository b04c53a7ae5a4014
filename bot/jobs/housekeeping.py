"""Hourly upkeep: forget old event ids, and tell people about kudos a restart left untold."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.jobs import JobContext
from bot.services import kudos
from bot.views.kudos import thanked
from store.repos import Repos

# Slack retries an event for about an hour at most; a day of ids is plenty.
EVENT_MEMORY = timedelta(days=1)
# Longer than the kudos DM batching window, so the handler's own timer had its chance.
UNTOLD_AFTER = timedelta(minutes=10)


def run(ctx: JobContext, now: datetime) -> int:
    with ctx.deps.db.begin() as session:
        repos = Repos(session)
        repos.events.forget_before(now - EVENT_MEMORY)
        untold = repos.due.untold_kudos(now - UNTOLD_AFTER)
    told = 0
    for team_id, receiver in ctx.deps.pacer.each(untold):
        with ctx.deps.db.begin() as session:
            thanks = kudos.collect_thanks(Repos(session), team_id=team_id, receiver=receiver)
        if thanks is not None:
            emoji = ctx.deps.workspace(team_id).kudos_emoji[0]
            told += ctx.dm(team_id, receiver, thanked(thanks, emoji=emoji), "kudos DM")
    return told
