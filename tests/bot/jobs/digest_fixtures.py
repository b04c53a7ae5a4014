"""What a digest test arranges in the database: when a workspace was installed, and something worth reporting.

A digest with nothing to report is not posted, and a workspace installed after a week's digest hour gets its first
digest the week after; tests that look at a fixed week in the past install their workspaces before it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from bot.deps import Deps
from store.models import Workspace
from store.repos import Repos
from tests import factories as make

# Before every week the digest tests look at (the earliest is March 2026's daylight-saving change).
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def installed_on(deps: Deps, when: datetime, *teams: str) -> None:
    """These workspaces (and orgs) were installed at `when`, as if the test had started then."""
    with deps.db.begin() as session:
        for team in teams:
            make.workspace(Repos(session), team)
        session.execute(update(Workspace).where(Workspace.team_id.in_(teams)).values(created_at=when))


def wanted(deps: Deps, team: str, topic: str = "elixir", user: str = "UWAITING") -> None:
    """Someone in `team` waits for a topic nobody teaches: the digest has a line to show."""
    with deps.db.begin() as session:
        repos = Repos(session)
        make.need(
            repos,
            make.member(repos, user, "Waiting", team=team),
            make.topic(repos, topic, topic.capitalize(), team=team),
        )
