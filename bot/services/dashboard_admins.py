"""Who may open the insights dashboard beside the workspace's admins and owners ("dashboard admins"), chosen in the
settings modal by a workspace admin or by a dashboard admin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.scope import Scope
from store.repos.signins import SignInRepo


@dataclass(frozen=True)
class Access:
    """What a person may do with the settings: every setting (a workspace admin), or only the dashboard's admins."""

    workspace_admin: bool
    dashboard_admin: bool
    admins: tuple[str, ...]  # the dashboard's admins now (user ids)

    @property
    def grants(self) -> bool:
        return self.workspace_admin or self.dashboard_admin


def access(scope: Scope) -> Access:
    """The person's rights, and the dashboard's admins as the settings modal shows them."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.get(team_id, user_id)
    admins = tuple(SignInRepo(repos.db).admins(team_id))
    workspace_admin = member is not None and member.active and member.is_admin
    return Access(workspace_admin, user_id in admins and member is not None and member.active, admins)


def choose(scope: Scope, chosen: Sequence[str]) -> bool:
    """Make `chosen` the dashboard's admins; False (and nothing changes) unless the person may grant."""
    if not access(scope).grants:
        return False
    SignInRepo(scope.repos.db).set_admins(scope.team, [user for user in chosen if user], scope.now)
    return True
