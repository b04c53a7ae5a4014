"""The people aggregate: workspaces, their members (as ORM rows, or the light MemberRef /learn reads), what
users.info tells about them, and the Events API ids already handled."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import String, Table, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ValuesBase

from store.models import Member, ProcessedEvent, Workspace
from store.repos._prebuilt import _MEMBERS, _core, _Read, _Write
from store.sql import Now, insert_ignoring_conflict, rowcount

_MEMBER_BY_USER = select(Member).where(Member.team_id == bindparam("team"), Member.user_id == bindparam("user"))
_MEMBER_REF = _Read(
    select(_MEMBERS.c.id, _MEMBERS.c.team_id, _MEMBERS.c.user_id, _MEMBERS.c.tz).where(
        _MEMBERS.c.team_id == bindparam("team"), _MEMBERS.c.user_id == bindparam("user")
    )
)


class Someone(Protocol):
    """A member as queries about them need one: a Member, or the MemberRef /learn reads."""

    @property
    def id(self) -> int: ...

    @property
    def team_id(self) -> str: ...


class HasId(Protocol):
    @property
    def id(self) -> int: ...


class MemberRef(NamedTuple):
    """A member as /learn needs them (who asks): a row, not an ORM object."""

    id: int
    team_id: str
    user_id: str
    tz: str | None


@dataclass(frozen=True)
class UserProfile:
    """What users.info tells us about a person."""

    user_id: str
    display_name: str
    tz: str | None
    is_bot: bool
    is_admin: bool
    deleted: bool
    status_emoji: str | None = None
    status_text: str | None = None
    status_expires_at: datetime | None = None
    workspace_id: str | None = None  # their own workspace (users.info's team_id); None: keep the one known


class WorkspaceRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def ensure(self, team_id: str) -> Workspace:
        """The workspace row, created on first sight."""
        insert_ignoring_conflict(self.db, Workspace, {"team_id": team_id, "created_at": self.now()})
        return self.db.get_one(Workspace, team_id)

    def get(self, team_id: str) -> Workspace | None:
        return self.db.get(Workspace, team_id)

    def get_one(self, team_id: str) -> Workspace:
        return self.db.get_one(Workspace, team_id)

    def installed(self, team_id: str, name: str | None) -> None:
        """A (re)install: the workspace is served again."""
        row = self.ensure(team_id)
        row.uninstalled_at = None
        row.name = name or row.name

    def uninstalled(self, team_id: str, now: datetime) -> None:
        row = self.ensure(team_id)
        row.uninstalled_at = row.uninstalled_at or now

    def claim_vocabulary(self, team_id: str, version: str) -> bool:
        """Take the job of moving this workspace's topics under `version`'s names; False if it is done or taken.

        A conditional update: of replicas starting together, one gets the row (and its lock, until commit).
        """
        result = self.db.execute(
            update(Workspace)
            .where(
                Workspace.team_id == team_id,
                (Workspace.vocabulary.is_(None)) | (Workspace.vocabulary != version),
            )
            .values(vocabulary=version)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def in_org(self, team_id: str, enterprise_id: str) -> None:
        """A workspace of an org-wide install: its row holds its own digest channel and timezone."""
        insert_ignoring_conflict(
            self.db, Workspace, {"team_id": team_id, "enterprise_id": enterprise_id, "created_at": self.now()}
        )
        self.db.execute(
            update(Workspace)
            .where(Workspace.team_id == team_id, Workspace.enterprise_id.is_(None))
            .values(enterprise_id=enterprise_id)
            .execution_options(synchronize_session=False)
        )

    def of_org(self, enterprise_id: str) -> list[str]:
        """The workspaces of an org-wide install that have sent a request."""
        query = select(Workspace.team_id).where(Workspace.enterprise_id == enterprise_id).order_by(Workspace.team_id)
        return list(self.db.scalars(query))

    def all_teams(self) -> list[str]:
        """Every tenant: a workspace installed on its own, or an org installed org-wide."""
        query = select(Workspace.team_id).where(Workspace.enterprise_id.is_(None)).order_by(Workspace.team_id)
        return list(self.db.scalars(query))

    def active_teams(self) -> list[str]:
        """Tenants the app is installed in, for the scheduler."""
        query = (
            select(Workspace.team_id)
            .where(Workspace.uninstalled_at.is_(None), Workspace.enterprise_id.is_(None))
            .order_by(Workspace.team_id)
        )
        return list(self.db.scalars(query))


class MemberRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def get(self, team_id: str, user_id: str) -> Member | None:
        return self.db.scalar(_MEMBER_BY_USER, {"team": team_id, "user": user_id})

    def find(self, team_id: str, user_id: str) -> MemberRef | None:
        """Who this is, when they were seen before (a light read: every /learn makes one)."""
        row = _MEMBER_REF.first(self.db, {"team": team_id, "user": user_id})
        return MemberRef._make(row) if row is not None else None

    def add(self, team_id: str, user_id: str) -> MemberRef:
        """A member first seen in a request, as `ensure` creates them (users.info fills in the rest later)."""
        now = self.now()
        _ADD_WORKSPACE.run(self.db, {"v_team_id": team_id, "v_created_at": now})
        values = {**_member_defaults(now), "team_id": team_id, "user_id": user_id, "display_name": user_id}
        _ADD_MEMBER.run(self.db, {f"v_{k}": v for k, v in values.items()})
        found = self.find(team_id, user_id)
        assert found is not None
        return found

    def ensure(self, team_id: str, user_id: str, display_name: str = "") -> Member:
        """The member row, created from what a request tells us when users.info has not been read yet."""
        member = self.get(team_id, user_id)
        if member is not None:
            return member
        WorkspaceRepo(self.db, self.now).ensure(team_id)
        values = {"team_id": team_id, "user_id": user_id, "display_name": display_name or user_id}
        insert_ignoring_conflict(self.db, Member, {**_member_defaults(self.now()), **values})
        member = self.get(team_id, user_id)
        assert member is not None
        return member

    def upsert_profile(self, team_id: str, profile: UserProfile) -> Member:
        """Create or refresh a member from users.info; a deleted user becomes inactive."""
        member = self.ensure(team_id, profile.user_id, profile.display_name)
        member.display_name = profile.display_name or member.display_name
        member.workspace_id = profile.workspace_id or member.workspace_id
        for column, value in _profile_columns(profile, self.now()).items():
            setattr(member, column, value)
        return member

    def store_profiles(self, team_id: str, profiles: Sequence[UserProfile]) -> None:
        """`upsert_profile` for many people at once (users.info is read in batches): the missing rows inserted, then
        every row updated, each statement run once with everyone's values."""
        if not profiles:
            return
        dialect = self.db.get_bind().dialect.name
        now = self.now()
        _core(self.db, _insert_ignoring(dialect, "workspace"), {"v_team_id": team_id, "v_created_at": now})
        new = [
            {f"v_{k}": v for k, v in _member_defaults(now).items()}
            | {"v_team_id": team_id, "v_user_id": p.user_id, "v_display_name": p.display_name or p.user_id}
            for p in profiles
        ]
        _core(self.db, _insert_ignoring(dialect, "member"), new)
        values = [
            {"p_team": team_id, "p_user": p.user_id, "p_display_name": p.display_name, "p_workspace": p.workspace_id}
            | {f"p_{column}": value for column, value in _profile_columns(p, now).items()}
            for p in profiles
        ]
        # As upsert_profile does: a name Slack leaves empty keeps the one known.
        keep_name = func.coalesce(func.nullif(bindparam("p_display_name", type_=String), ""), _MEMBERS.c.display_name)
        keep_workspace = func.coalesce(bindparam("p_workspace", type_=String), _MEMBERS.c.workspace_id)
        statement = (
            update(_MEMBERS)
            .where(_MEMBERS.c.team_id == bindparam("p_team"), _MEMBERS.c.user_id == bindparam("p_user"))
            .values(
                display_name=keep_name,
                workspace_id=keep_workspace,
                **{column: bindparam(f"p_{column}") for column in _profile_columns(profiles[0], now)},
            )
        )
        _core(self.db, statement, values)

    def refreshed(self, team_id: str, user_ids: Sequence[str]) -> dict[str, datetime | None]:
        """When users.info was last stored for these members (those with a row)."""
        query = select(Member.user_id, Member.refreshed_at).where(
            Member.team_id == team_id, Member.user_id.in_(list(user_ids))
        )
        return dict(self.db.execute(query).all())  # a list of rows: a Result itself looks like a mapping

    def by_user_ids(self, team_id: str, user_ids: Sequence[str]) -> Sequence[Member]:
        if not user_ids:
            return []
        return self.db.scalars(
            select(Member).where(Member.team_id == team_id, Member.user_id.in_(list(user_ids)))
        ).all()

    def by_ids(self, ids: Iterable[int]) -> dict[int, Member]:
        wanted = set(ids)
        if not wanted:
            return {}
        return {m.id: m for m in self.db.scalars(select(Member).where(Member.id.in_(wanted)))}

    def admins(self, team_id: str) -> Sequence[Member]:
        return self.db.scalars(
            select(Member).where(Member.team_id == team_id, Member.is_admin, Member.active, ~Member.is_bot)
        ).all()

    def set_paused(self, member: Member, paused: bool) -> None:
        member.paused = paused

    def set_working_hours(self, member: Member, hours: str | None) -> None:
        """`WorkingHours.to_text()`, or None for the default; setting the same twice (a retry) changes nothing."""
        member.working_hours = hours

    def working_hours(self, team_id: str) -> dict[str, str]:
        """user id → working hours of the members who set theirs (everyone else keeps the default)."""
        query = select(Member.user_id, Member.working_hours).where(
            Member.team_id == team_id, Member.working_hours.is_not(None)
        )
        return {user_id: hours for user_id, hours in self.db.execute(query) if hours}

    def lock(self, member: Member) -> None:
        """Hold this member's row until the transaction ends, so count-then-insert cannot race.

        A no-op UPDATE rather than SELECT … FOR UPDATE: PostgreSQL locks the row either way, and SQLite (which
        ignores FOR UPDATE) takes its write lock at the first write, which serialises the whole check.
        """
        self.db.execute(
            update(Member).where(Member.id == member.id).values(paused=Member.paused),
            execution_options={"synchronize_session": False},
        )


def _profile_columns(profile: UserProfile, now: datetime) -> dict[str, Any]:
    """What users.info says of a member, as the member's columns (besides the name): upsert_profile and
    store_profiles both write exactly these."""
    return {
        "tz": profile.tz,
        "is_bot": profile.is_bot,
        "is_admin": profile.is_admin,
        "active": not profile.deleted,
        "status_emoji": profile.status_emoji,
        "status_text": profile.status_text,
        "status_expires_at": profile.status_expires_at,
        "refreshed_at": now,
    }


@functools.cache
def _insert_ignoring(dialect: str, table: str) -> ValuesBase:
    """INSERT … ON CONFLICT DO NOTHING of a workspace or a member as /learn creates one, built once per backend."""
    columns = {
        "workspace": ("team_id", "created_at"),
        "member": ("team_id", "user_id", "display_name", *_MEMBER_DEFAULTS, "created_at"),
    }[table]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    target = _MEMBERS if table == "member" else cast(Table, Workspace.__table__)
    return insert(target).values({name: bindparam(f"v_{name}") for name in columns}).on_conflict_do_nothing()


_ADD_WORKSPACE = _Write(functools.partial(_insert_ignoring, table="workspace"))
_ADD_MEMBER = _Write(functools.partial(_insert_ignoring, table="member"))

_MEMBER_DEFAULTS = {
    "is_bot": False,
    "is_admin": False,
    "active": True,
    "opted_out": False,
    "paused": False,
    "kudos_dm": True,
}


def _member_defaults(now: datetime) -> dict[str, Any]:
    return {**_MEMBER_DEFAULTS, "created_at": now}


class EventRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def first_time(self, team_id: str, event_id: str) -> bool:
        """Record an Events API id; False when it was handled before (a Slack retry)."""
        return insert_ignoring_conflict(
            self.db, ProcessedEvent, {"event_id": event_id, "team_id": team_id, "received_at": self.now()}
        )

    def forget_before(self, cutoff: datetime) -> int:
        result = self.db.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
        return rowcount(result)
