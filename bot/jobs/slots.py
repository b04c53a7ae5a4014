"""Invite an expert to host a group slot when three or more people wait for their topic."""

from __future__ import annotations

from datetime import datetime

from bot.jobs import JobContext
from bot.services import slots, workspace
from bot.views import slots as views


def run(ctx: JobContext, now: datetime) -> int:
    """Send the invitations that are due; returns how many."""
    with ctx.deps.tx() as repos:
        teams = workspace.active_teams(repos)
    # A slot is announced in the learning channel: only workspaces that chose one get invitations.
    with_channel = {team for team in teams if ctx.deps.workspace(team).learning_channel}
    with ctx.deps.tx() as repos:
        due = slots.invitations_due(repos, now, with_channel)
    for invite in ctx.deps.pacer.each(due):
        # Undelivered, it expires unanswered in 48 hours and the next expert is asked.
        ctx.dm(invite.team_id, invite.expert, views.invite_dm(invite))
    return len(due)
