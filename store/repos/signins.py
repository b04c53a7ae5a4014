"""Sign in with Slack for the insights dashboard: each state and nonce used once, and the extra admins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from store.models import InsightsAdmin, InsightsLogin, Member, Workspace
from store.sql import insert_ignoring_conflict, rowcount

# Long enough to type a password and approve, short enough that a leaked state is soon worthless.
LOGIN_TTL = timedelta(minutes=10)


class SignInRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def begin(self, state: str, nonce: str, team_id: str | None, now: datetime) -> None:
        """Remember a sign-in under way (and forget those long expired, so the table stays small)."""
        self.db.execute(delete(InsightsLogin).where(InsightsLogin.created_at < now - 10 * LOGIN_TTL))
        self.db.add(InsightsLogin(state=state, nonce=nonce, team_id=team_id, created_at=now))

    def consume(self, state: str, now: datetime) -> tuple[str, str | None] | None:
        """(nonce, pinned team) of a fresh, unused state, marking it used in the same statement (so two callbacks
        with one state cannot both pass); None for an unknown, expired or reused one."""
        used = self.db.execute(
            update(InsightsLogin)
            .where(
                InsightsLogin.state == state,
                InsightsLogin.used_at.is_(None),
                InsightsLogin.created_at >= now - LOGIN_TTL,
            )
            .values(used_at=now),
            execution_options={"synchronize_session": False},
        )
        if rowcount(used) != 1:
            return None
        row = self.db.execute(select(InsightsLogin.nonce, InsightsLogin.team_id).where(InsightsLogin.state == state))
        nonce, team = row.one()
        return nonce, team

    def tenant_of(self, team_id: str) -> tuple[str, str] | None:
        """(tenant, name) of a signed-in person's workspace: itself, or the org of an org-wide install."""
        workspace = self.db.get(Workspace, team_id)
        if workspace is None:
            return None
        if workspace.enterprise_id and self.db.get(Workspace, workspace.enterprise_id) is not None:
            org = self.db.get(Workspace, workspace.enterprise_id)
            return workspace.enterprise_id, (org.name if org and org.name else workspace.enterprise_id)
        return team_id, workspace.name or team_id

    def is_extra_admin(self, tenant: str, user_id: str) -> bool:
        found = select(InsightsAdmin.id).where(InsightsAdmin.team_id == tenant, InsightsAdmin.user_id == user_id)
        return self.db.scalar(found) is not None

    def grant(self, tenant: str, user_id: str, now: datetime) -> bool:
        """Let `user_id` into the dashboard beside the workspace's admins; False when they were already."""
        values = {"team_id": tenant, "user_id": user_id, "created_at": now}
        return insert_ignoring_conflict(self.db, InsightsAdmin, values, index_elements=["team_id", "user_id"])

    def admins(self, tenant: str) -> list[str]:
        """The user ids let into the dashboard beside the workspace's admins, in the order they were let in."""
        found = select(InsightsAdmin.user_id).where(InsightsAdmin.team_id == tenant).order_by(InsightsAdmin.id)
        return list(self.db.scalars(found))

    def set_admins(self, tenant: str, user_ids: Sequence[str], now: datetime) -> None:
        """Exactly these people are the dashboard's extra admins: the others are removed, the new ones added (the
        same list saved twice changes nothing)."""
        self.db.execute(
            delete(InsightsAdmin).where(InsightsAdmin.team_id == tenant, InsightsAdmin.user_id.not_in(list(user_ids)))
        )
        for user_id in dict.fromkeys(user_ids):
            self.grant(tenant, user_id, now)

    def who_can_grant(self, tenant: str, limit: int = 5) -> list[str]:
        """Names of the workspace's admins and owners that peerlearn knows, then of the dashboard's admins, for the
        refusal page."""
        extra = select(InsightsAdmin.user_id).where(InsightsAdmin.team_id == tenant)
        rows = self.db.execute(
            select(Member.display_name, Member.is_admin)
            .where(Member.team_id == tenant, Member.active, ~Member.is_bot)
            .where(or_(Member.is_admin, Member.user_id.in_(extra)))
            .order_by(Member.is_admin.desc(), Member.display_name)
            .limit(limit)
        )
        return [name for name, _ in rows if name]
