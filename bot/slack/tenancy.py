"""Whose data a request is about: a workspace, or a whole Enterprise Grid org that installed the app org-wide.

In an org-wide install a person is one member across the org's workspaces (Slack user ids are org-wide there),
so their topics, needs, kudos and limits live under the org's id (E…), wherever they type. A workspace install,
in a Grid or not, keeps its data under its workspace id (T…) exactly as before. Services and the store only ever
see this one id, the *tenant*; the workspace a request came from matters only for its digest (see
bot/services/workspace.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltContext, BoltRequest
from sqlalchemy.orm import Session, sessionmaker

from store.repos import Repos

TENANT = "tenant"  # the keys listeners read from Bolt's context
WORKSPACE = "workspace"


def is_org(tenant_id: str) -> bool:
    """An org-wide install's tenant: Slack's org ids start with E, workspace ids with T."""
    return tenant_id.startswith("E")


def tenant_of(context: Mapping[str, Any]) -> str:
    """The tenant of a request, from what Bolt read off it (`authorizations` first, as Bolt does)."""
    if context.get(TENANT):
        return str(context[TENANT])
    enterprise = context.get("enterprise_id")
    if context.get("is_enterprise_install") and enterprise:
        return str(enterprise)
    return str(context.get("team_id") or "")


def workspace_of(context: Mapping[str, Any]) -> str | None:
    """The workspace a request came from (None from org-level surfaces of an org-wide install)."""
    team = context.get(WORKSPACE) or context.get("team_id")
    return str(team) if team else None


def _workspace_in(body: Mapping[str, Any], context: BoltContext) -> str | None:
    # An org-wide install's events authorize the org with no workspace (Bolt's team_id is then None), but the
    # envelope still names the workspace the event happened in.
    team = body.get("team")
    found = context.team_id or body.get("team_id") or (team.get("id") if isinstance(team, dict) else None)
    return str(found) if found else None


class WorkspacesSeen:
    """Remembers which workspaces an org-wide install serves, from the requests they send (once per process).

    The digest of an org that chose one per workspace goes to each workspace seen here whose admins set a
    channel; the row also holds that workspace's timezone.
    """

    def __init__(self, db: sessionmaker[Session]) -> None:
        self.db = db
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def note(self, req: BoltRequest) -> None:
        """Put the request's tenant and workspace in its context; remember a workspace of an org seen first."""
        context: BoltContext = req.context
        tenant = tenant_of(context)
        team = _workspace_in(req.body, context)
        context[TENANT], context[WORKSPACE] = tenant, team
        if is_org(tenant) and team and team != tenant and team not in self._seen:
            with self.db.begin() as session:
                Repos(session).workspaces.in_org(team, tenant)
            with self._lock:
                self._seen.add(team)
