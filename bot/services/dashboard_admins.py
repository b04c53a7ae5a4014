"""Who may open the insights dashboard beside the workspace's admins and owners ("dashboard admins"), chosen in the
settings modal by a workspace admin or by a dashboard admin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.repos import Repos
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


def access(repos: Repos, *, team_id: str, user_id: str) -> Access:
    """The person's rights, and the dashboard's admins as the settings modal shows them."""
    member = repos.members.get(team_id, user_id)
    admins = tuple(SignInRepo(repos.db).admins(team_id))
    workspace_admin = member is not None and member.active and member.is_admin
    return Access(workspace_admin, user_id in admins and member is not None and member.active, admins)


def choose(repos: Repos, *, team_id: str, user_id: str, chosen: Sequence[str]) -> bool:
    """Make `chosen` the dashboard's admins; False (and nothing changes) unless the person may grant."""
    if not access(repos, team_id=team_id, user_id=user_id).grants:
        return False
    SignInRepo(repos.db).set_admins(team_id, [user for user in chosen if user], repos.now())
    return True
