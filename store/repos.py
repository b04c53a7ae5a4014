"""Repositories: typed queries over one Session. They never commit and never open sessions."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    Float,
    Integer,
    Result,
    ScalarSelect,
    Select,
    String,
    Table,
    and_,
    bindparam,
    delete,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, aliased

from store.endorsements import EndorsementRepo
from store.meetings import MeetingRepo
from store.models import (
    LIVE_NEED_SQL,
    Kudos,
    LearningSession,
    Level,
    Match,
    MatchStatus,
    Member,
    Need,
    NeedStatus,
    Offer,
    ProcessedEvent,
    SessionKind,
    SessionParticipant,
    SlotInvite,
    Topic,
    TopicAlias,
    Workspace,
    utcnow,
)
from store.scheduling import DigestRunRepo, DueRepo, SlotRepo
from store.sql import insert_ignoring_conflict, rowcount

LIVE_NEED = (NeedStatus.OPEN, NeedStatus.MATCHED)
# Matches that take up an expert's capacity: ranking (experts_for) and asking (open_matches) count the same ones.
OPEN_MATCH = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


# Statements every /learn runs, built once: building and hashing a statement cost more than running it. Those
# on the tables run without the ORM (see _Read and _core); a status is compared with OR rather than IN, which
# SQLAlchemy would render into the SQL again on every run.
_MEMBER_BY_USER = select(Member).where(Member.team_id == bindparam("team"), Member.user_id == bindparam("user"))
_TOPIC_BY_NAME = select(Topic).where(Topic.team_id == bindparam("team"), Topic.name == bindparam("name"))
_MEMBERS = cast(Table, Member.__table__)
_TOPICS = cast(Table, Topic.__table__)
_NEEDS = cast(Table, Need.__table__)


def _core(session: Session, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]) -> Result[Any]:
    """Run a prebuilt statement on the session's connection, after flushing what the session holds (as the ORM's
    autoflush would): rows as tuples, without the ORM's per-call work. A list of parameters runs it for each."""
    session.flush()
    return session.connection().execute(statement, params)


class _Read:
    """A prebuilt SELECT for the hottest reads, run on the DBAPI cursor of the session's connection (so inside its
    transaction): compiled once per backend, its parameters and columns converted by their types' own processors.
    SQLAlchemy's execution (context, events, result objects) cost several times the query itself on SQLite.

    Anything out of the ordinary (a dropped connection, a lock) runs the statement again the usual way, so errors
    are wrapped, and dead connections dropped from the pool, exactly as for every other statement.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._built: dict[str, _Compiled] = {}

    def rows(self, session: Session, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        session.flush()  # as the ORM's autoflush would
        connection = session.connection()
        compiled = self._built.get(connection.dialect.name) or self._compile(connection.dialect)
        values = compiled.values(params)
        try:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(compiled.sql, values)
                found = cursor.fetchall()
            finally:
                cursor.close()
        except Exception:
            return [tuple(row) for row in connection.execute(self.statement, params)]
        return compiled.convert(found)

    def first(self, session: Session, params: dict[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(session, params)
        return found[0] if found else None

    def _compile(self, dialect: Dialect) -> _Compiled:
        built = self._built[dialect.name] = _Compiled(self.statement, dialect)
        return built


class _Compiled:
    """A statement's SQL for one backend, and how its parameters and columns are converted."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("IN lists are rendered at each run: write them as ORs")
        self.sql = compiled.string
        self._compiled = compiled
        self._order = compiled.positiontup if compiled.positional else None
        processors = {name: bind.type.bind_processor(dialect) for bind, name in compiled.bind_names.items()}
        self._binds = {name: processor for name, processor in processors.items() if processor is not None}
        columns = [column.type.result_processor(dialect, None) for column in statement.selected_columns]
        self._columns = [(place, processor) for place, processor in enumerate(columns) if processor is not None]

    def values(self, params: dict[str, Any]) -> Any:
        values = self._compiled.construct_params(params)
        for name, processor in self._binds.items():
            values[name] = processor(values[name])
        return values if self._order is None else tuple(values[name] for name in self._order)

    def convert(self, rows: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows with the values of typed columns (an enum, a boolean on SQLite, a datetime) converted."""
        if not self._columns:
            return list(rows)
        converted = []
        for row in rows:
            values = list(row)
            for place, processor in self._columns:
                if values[place] is not None:
                    values[place] = processor(values[place])
            converted.append(tuple(values))
        return converted


_MEMBER_REF = _Read(
    select(_MEMBERS.c.id, _MEMBERS.c.team_id, _MEMBERS.c.user_id, _MEMBERS.c.tz).where(
        _MEMBERS.c.team_id == bindparam("team"), _MEMBERS.c.user_id == bindparam("user")
    )
)
_TOPIC_REF = _Read(
    select(_TOPICS.c.id, _TOPICS.c.name, _TOPICS.c.label).where(
        _TOPICS.c.team_id == bindparam("team"), _TOPICS.c.name == bindparam("name")
    )
)
# The live-need condition written as the unique partial index's own (a status bound as a parameter could be
# anything, so SQLite would read the member's needs by status instead).
_LIVE_NEED_ID = _Read(
    select(_NEEDS.c.id).where(
        _NEEDS.c.member_id == bindparam("member"), _NEEDS.c.topic_id == bindparam("topic"), text(LIVE_NEED_SQL)
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


class TopicRef(NamedTuple):
    """A topic's row as /learn needs it."""

    id: int
    name: str
    label: str


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


class WorkspaceRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def ensure(self, team_id: str) -> Workspace:
        """The workspace row, created on first sight."""
        insert_ignoring_conflict(self.db, Workspace, {"team_id": team_id, "created_at": utcnow()})
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
            self.db, Workspace, {"team_id": team_id, "enterprise_id": enterprise_id, "created_at": utcnow()}
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
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, team_id: str, user_id: str) -> Member | None:
        return self.db.scalar(_MEMBER_BY_USER, {"team": team_id, "user": user_id})

    def find(self, team_id: str, user_id: str) -> MemberRef | None:
        """Who this is, when they were seen before (a light read: every /learn makes one)."""
        row = _MEMBER_REF.first(self.db, {"team": team_id, "user": user_id})
        return MemberRef._make(row) if row is not None else None

    def add(self, team_id: str, user_id: str) -> MemberRef:
        """A member first seen in a request, as `ensure` creates them (users.info fills in the rest later)."""
        dialect = self.db.get_bind().dialect.name
        now = utcnow()
        _core(self.db, _insert_ignoring(dialect, "workspace"), {"v_team_id": team_id, "v_created_at": now})
        values = {**_member_defaults(), "team_id": team_id, "user_id": user_id, "display_name": user_id}
        _core(self.db, _insert_ignoring(dialect, "member"), {f"v_{k}": v for k, v in values.items()})
        found = self.find(team_id, user_id)
        assert found is not None
        return found

    def ensure(self, team_id: str, user_id: str, display_name: str = "") -> Member:
        """The member row, created from what a request tells us when users.info has not been read yet."""
        member = self.get(team_id, user_id)
        if member is not None:
            return member
        WorkspaceRepo(self.db).ensure(team_id)
        values = {"team_id": team_id, "user_id": user_id, "display_name": display_name or user_id}
        insert_ignoring_conflict(self.db, Member, {**_member_defaults(), **values})
        member = self.get(team_id, user_id)
        assert member is not None
        return member

    def upsert_profile(self, team_id: str, profile: UserProfile) -> Member:
        """Create or refresh a member from users.info; a deleted user becomes inactive."""
        member = self.ensure(team_id, profile.user_id, profile.display_name)
        member.display_name = profile.display_name or member.display_name
        for column, value in _profile_columns(profile).items():
            setattr(member, column, value)
        return member

    def store_profiles(self, team_id: str, profiles: Sequence[UserProfile]) -> None:
        """`upsert_profile` for many people at once (users.info is read in batches): the missing rows inserted, then
        every row updated, each statement run once with everyone's values."""
        if not profiles:
            return
        dialect = self.db.get_bind().dialect.name
        now = utcnow()
        _core(self.db, _insert_ignoring(dialect, "workspace"), {"v_team_id": team_id, "v_created_at": now})
        new = [
            {f"v_{k}": v for k, v in _member_defaults().items()}
            | {"v_team_id": team_id, "v_user_id": p.user_id, "v_display_name": p.display_name or p.user_id}
            for p in profiles
        ]
        _core(self.db, _insert_ignoring(dialect, "member"), new)
        values = [
            {"p_team": team_id, "p_user": p.user_id, "p_display_name": p.display_name}
            | {f"p_{column}": value for column, value in _profile_columns(p).items()}
            for p in profiles
        ]
        # As upsert_profile does: a name Slack leaves empty keeps the one known.
        keep_name = func.coalesce(func.nullif(bindparam("p_display_name", type_=String), ""), _MEMBERS.c.display_name)
        statement = (
            update(_MEMBERS)
            .where(_MEMBERS.c.team_id == bindparam("p_team"), _MEMBERS.c.user_id == bindparam("p_user"))
            .values(
                display_name=keep_name, **{column: bindparam(f"p_{column}") for column in _profile_columns(profiles[0])}
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


def _profile_columns(profile: UserProfile) -> dict[str, Any]:
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
        "refreshed_at": utcnow(),
    }


@functools.cache
def _insert_ignoring(dialect: str, table: str) -> Executable:
    """INSERT … ON CONFLICT DO NOTHING of a workspace or a member as /learn creates one, built once per backend."""
    columns = {
        "workspace": ("team_id", "created_at"),
        "member": ("team_id", "user_id", "display_name", *_member_defaults()),
    }[table]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    target = _MEMBERS if table == "member" else cast(Table, Workspace.__table__)
    return insert(target).values({name: bindparam(f"v_{name}") for name in columns}).on_conflict_do_nothing()


def _member_defaults() -> dict[str, Any]:
    return {
        "is_bot": False,
        "is_admin": False,
        "active": True,
        "opted_out": False,
        "paused": False,
        "kudos_dm": True,
        "created_at": utcnow(),
    }


class TopicRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def ensure(self, team_id: str, name: str, label: str) -> Topic:
        """The topic with this normalised name, created on first use."""
        # Read first: nearly every topic exists already, and a read takes no write lock (SQLite has one for all).
        existing = self.by_name(team_id, name)
        if existing is not None:
            return existing
        values = {"team_id": team_id, "name": name, "label": label, "created_at": utcnow()}
        insert_ignoring_conflict(self.db, Topic, values)
        return self.db.scalars(select(Topic).where(Topic.team_id == team_id, Topic.name == name)).one()

    def get(self, topic_id: int) -> Topic | None:
        return self.db.get(Topic, topic_id)

    def by_name(self, team_id: str, name: str) -> Topic | None:
        return self.db.scalar(_TOPIC_BY_NAME, {"team": team_id, "name": name})

    def ref(self, team_id: str, name: str, label: str) -> TopicRef:
        """What `ensure` returns, as a row: read first, created only when missing."""
        row = _TOPIC_REF.first(self.db, {"team": team_id, "name": name})
        if row is None:
            created = self.ensure(team_id, name, label)
            return TopicRef(created.id, created.name, created.label)
        return TopicRef._make(row)

    def names(self, team_id: str) -> list[tuple[int, str, str]]:
        """(id, key, label) of every topic of the workspace someone teaches or wants (for the matcher's index)."""
        taught = select(Offer.topic_id).where(Offer.team_id == team_id)
        wanted = select(Need.topic_id).where(Need.team_id == team_id)
        rows = self.db.execute(
            select(Topic.id, Topic.name, Topic.label).where(
                Topic.team_id == team_id, Topic.id.in_(taught.union(wanted))
            )
        )
        return [(row.id, row.name, row.label) for row in rows]

    def last_id(self, team_id: str) -> int:
        return int(self.db.scalar(select(func.max(Topic.id)).where(Topic.team_id == team_id)) or 0)

    def by_ids(self, ids: Sequence[int]) -> Sequence[Topic]:
        if not ids:
            return []
        return self.db.scalars(select(Topic).where(Topic.id.in_(list(ids)))).all()

    def all_of(self, team_id: str) -> Sequence[Topic]:
        return self.db.scalars(select(Topic).where(Topic.team_id == team_id).order_by(Topic.id)).all()

    def merge(self, source: Topic, target: Topic) -> None:
        """Move everything on `source` to `target` and delete it; what would be twice is kept once.

        An offer of a member who offers the target already goes; a live need of a member who wants the target
        already is cancelled as the duplicate it is; a slot invitation already sent for the target goes.
        """
        on_target = select(Offer.member_id).where(Offer.topic_id == target.id)
        self.db.execute(delete(Offer).where(Offer.topic_id == source.id, Offer.member_id.in_(on_target)))
        self.db.execute(update(Offer).where(Offer.topic_id == source.id).values(topic_id=target.id))
        wanting = select(Need.member_id).where(Need.topic_id == target.id, Need.status.in_(LIVE_NEED))
        self.db.execute(
            update(Need)
            .where(Need.topic_id == source.id, Need.status.in_(LIVE_NEED), Need.member_id.in_(wanting))
            .values(status=NeedStatus.CANCELLED, closed_at=utcnow())
        )
        self.db.execute(update(Need).where(Need.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(Match).where(Match.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(LearningSession).where(LearningSession.topic_id == source.id).values(topic_id=target.id))
        invited = select(SlotInvite.expert_id).where(SlotInvite.topic_id == target.id)
        self.db.execute(delete(SlotInvite).where(SlotInvite.topic_id == source.id, SlotInvite.expert_id.in_(invited)))
        self.db.execute(update(SlotInvite).where(SlotInvite.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(update(TopicAlias).where(TopicAlias.topic_id == source.id).values(topic_id=target.id))
        self.db.execute(delete(Topic).where(Topic.id == source.id))
        self.db.expire_all()

    def rename(self, topic: Topic, name: str, label: str) -> None:
        topic.name, topic.label = name, label

    def newer(self, team_id: str, after_id: int) -> list[tuple[int, str, str]]:
        """(id, key, label) of topics created after `after_id` (by any replica), oldest first."""
        rows = self.db.execute(
            select(Topic.id, Topic.name, Topic.label)
            .where(Topic.team_id == team_id, Topic.id > after_id)
            .order_by(Topic.id)
        )
        return [(row.id, row.name, row.label) for row in rows]


class OfferRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def upsert(self, member: Member, topic: Topic, level: Level | None, note: str | None) -> tuple[Offer, bool]:
        """Save that `member` teaches `topic`; returns the offer and whether it is new (or re-activated)."""
        created = insert_ignoring_conflict(
            self.db,
            Offer,
            {
                "team_id": member.team_id,
                "member_id": member.id,
                "topic_id": topic.id,
                "level": level,
                "note": note,
                "active": True,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            },
        )
        offer = self.db.scalars(select(Offer).where(Offer.member_id == member.id, Offer.topic_id == topic.id)).one()
        if not created:
            created = not offer.active
            offer.active = True
            # A repeated /teach without level or note keeps what was said before.
            offer.level = level or offer.level
            offer.note = note or offer.note
            offer.updated_at = utcnow()
        return offer, created

    def for_member(self, member: Member) -> Sequence[Offer]:
        return self.db.scalars(
            select(Offer).where(Offer.member_id == member.id, Offer.active).order_by(Offer.created_at, Offer.id)
        ).all()

    def remove(self, member: Member, topic_ids: Iterable[int]) -> int:
        result = self.db.execute(delete(Offer).where(Offer.member_id == member.id, Offer.topic_id.in_(list(topic_ids))))
        return rowcount(result)

    def teacher_counts(self, team_id: str, topic_ids: Sequence[int]) -> dict[int, int]:
        """How many colleagues teach each of these topics and can be matched now."""
        if not topic_ids:
            return {}
        rows = self.db.execute(
            select(Offer.topic_id, func.count())
            .join(Member, Member.id == Offer.member_id)
            .where(
                Offer.team_id == team_id,
                Offer.topic_id.in_(list(topic_ids)),
                Offer.active,
                Member.active,
                ~Member.opted_out,
                ~Member.paused,
                ~Member.is_bot,
            )
            .group_by(Offer.topic_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()

    def unavailable_teachers(self, team_id: str, topic_id: int, exclude_member: int) -> int:
        """Colleagues who teach this topic but are paused (away or at capacity is seen by ranking)."""
        params = {"team": team_id, "topic": topic_id, "member": exclude_member}
        row = _UNAVAILABLE.first(self.db, params)
        return int(row[0] or 0) if row is not None else 0

    def teaches(self, member: Someone, topic_id: int) -> bool:
        return _TEACHES.first(self.db, {"member": member.id, "topic": topic_id}) is not None

    def co_taught(self, team_id: str, topic_id: int, limit: int = 5) -> list[int]:
        """Topics most often taught by the people who teach (or taught, or are paused on) this one."""
        rows = _CO_TAUGHT.rows(self.db, {"team": team_id, "topic": topic_id, "limit": limit})
        return [topic for topic, _ in rows]

    def withdraw_all(self, member: Member) -> int:
        """Stop every offer of this member (they left, or opted out)."""
        result = self.db.execute(
            update(Offer).where(Offer.member_id == member.id, Offer.active).values(active=False, updated_at=utcnow())
        )
        return rowcount(result)

    def experts_for(
        self,
        team_id: str,
        topic_ids: Sequence[int],
        *,
        learner_id: int = 0,
        since: datetime | None = None,
        per_topic: int = 50,
        draw: float | None = None,
    ) -> list[ExpertRow]:
        """Active offers on these topics by members who can be matched, with each expert's load, as plain rows.

        A popular topic has thousands of teachers and /learn shows three, so each topic gives at most `per_topic`,
        read in id order from a random starting id (`draw` of the way up the offer ids), wrapping round. That is an
        index range scan that stops early (sorting all 9,000 teachers of a topic at random took 15 ms), and the
        random start spreads the asks. The load (open matches, matches since `since`, met `learner_id` before)
        and kudos come in the same statement, from indexes, for the rows kept.
        """
        if not topic_ids:
            return []
        params = {
            "team": team_id,
            "draw": random.random() if draw is None else draw,
            "learner": learner_id,
            "since": since or datetime.min.replace(tzinfo=UTC),
        } | {f"topic_{i}": topic for i, topic in enumerate(topic_ids)}
        rows = _experts_read(len(topic_ids), per_topic).rows(self.db, params)
        return list(map(ExpertRow._make, rows))


_OFFERS = cast(Table, Offer.__table__)
_UNAVAILABLE = _Read(
    select(func.count())
    .select_from(_OFFERS.join(_MEMBERS, _MEMBERS.c.id == _OFFERS.c.member_id))
    .where(
        _OFFERS.c.team_id == bindparam("team"),
        _OFFERS.c.topic_id == bindparam("topic"),
        _OFFERS.c.active,
        _OFFERS.c.member_id != bindparam("member"),
        _MEMBERS.c.active,
        ~_MEMBERS.c.opted_out,
        ~_MEMBERS.c.is_bot,
    )
)
_TEACHES = _Read(
    select(_OFFERS.c.id).where(
        _OFFERS.c.member_id == bindparam("member"), _OFFERS.c.topic_id == bindparam("topic"), _OFFERS.c.active
    )
)
# From this topic's teachers to their other offers, along the (member, topic) key: a member's offers are all in
# their workspace, and the IN (…) form made SQLite read every offer of the workspace.
_TEACHER = _OFFERS.alias("teacher")
_CO_TAUGHT = _Read(
    select(_OFFERS.c.topic_id, func.count())
    .select_from(_TEACHER.join(_OFFERS, _OFFERS.c.member_id == _TEACHER.c.member_id))
    .where(
        _TEACHER.c.team_id == bindparam("team"),
        _TEACHER.c.topic_id == bindparam("topic"),
        _OFFERS.c.topic_id != bindparam("topic"),
        _OFFERS.c.active,
    )
    .group_by(_OFFERS.c.topic_id)
    .order_by(func.count().desc(), _OFFERS.c.topic_id)
    .limit(bindparam("limit"))
)


class ExpertRow(NamedTuple):
    """One teacher of one topic, as the matcher needs them (a tuple: /learn makes hundreds of these)."""

    member_id: int
    topic_id: int
    level: Level | None
    note: str | None
    user_id: str
    display_name: str
    tz: str | None
    status_emoji: str | None
    status_text: str | None
    topic_label: str
    open_matches: int = 0
    recent_matches: int = 0  # created since `since`, whatever came of them
    met_learner: bool = False  # an accepted or done match with this learner
    kudos: int = 0
    endorsements: int = 0  # colleagues who thanked them for a session on this very topic


@functools.cache
def _experts_read(topics: int, per_topic: int) -> _Read:
    return _Read(_experts_statement(topics, per_topic))


def _experts_statement(topics: int, per_topic: int) -> Select[*tuple[Any, ...]]:
    """experts_for's query for this many topics, built once and reused with new parameters."""
    # An integer, so PostgreSQL can use the (team, topic, id) index; computed in SQL, so no extra round trip.
    start = sql_cast(bindparam("draw", type_=Float) * select(func.max(Offer.id)).scalar_subquery(), Integer)
    runs = []
    for i in range(topics):
        for lap, after in enumerate((True, False)):
            run = (
                select(Offer.id, Offer.topic_id, literal_column(str(lap)).label("lap"))
                .join(Member, Member.id == Offer.member_id)
                .where(
                    Offer.team_id == bindparam("team"),
                    Offer.topic_id == bindparam(f"topic_{i}"),
                    Offer.id >= start if after else Offer.id < start,
                    Offer.active,
                    Member.active,
                    ~Member.opted_out,
                    ~Member.paused,
                    ~Member.is_bot,
                )
                .order_by(Offer.id)
                .limit(per_topic)
                .subquery()
            )
            runs.append(select(run.c.id, run.c.topic_id, run.c.lap))
    found = union_all(*runs).subquery()
    # The run from the start comes first; the wrapped run fills a topic up to per_topic.
    place = func.row_number().over(partition_by=found.c.topic_id, order_by=(found.c.lap, found.c.id))
    chosen = select(found.c.id, place.label("place")).subquery()
    expert = Offer.member_id
    mine = and_(Match.team_id == bindparam("team"), Match.expert_id == expert)
    return (
        select(
            Offer.member_id,
            Offer.topic_id,
            Offer.level,
            Offer.note,
            Member.user_id,
            Member.display_name,
            Member.tz,
            Member.status_emoji,
            Member.status_text,
            Topic.label,
            _count(Match, mine, _any_of(Match.status, OPEN_MATCH)),
            _count(Match, mine, Match.created_at >= bindparam("since")),
            exists()
            .where(
                mine,
                _any_of(Match.status, (MatchStatus.ACCEPTED, MatchStatus.DONE)),
                Match.need_id.in_(select(Need.id).where(Need.member_id == bindparam("learner"))),
            )
            .correlate(Offer),
            _count(Kudos, Kudos.team_id == bindparam("team"), Kudos.receiver_id == expert),
            select(func.count(distinct(Kudos.giver_id)))
            .where(Kudos.team_id == bindparam("team"), Kudos.topic_id == Offer.topic_id, Kudos.receiver_id == expert)
            .correlate(Offer)
            .scalar_subquery(),
        )
        .join(chosen, chosen.c.id == Offer.id)
        .join(Member, Member.id == Offer.member_id)
        .join(Topic, Topic.id == Offer.topic_id)
        .where(chosen.c.place <= per_topic)
        .order_by(Offer.topic_id, chosen.c.place)
    )


def _any_of(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)` as ORs: an IN list is rendered into the SQL again on every run, ORs once."""
    return or_(*(column == value for value in values))


def _count(table: type[Match | Kudos], *where: ColumnElement[bool]) -> ScalarSelect[int]:
    """A count per expert row, correlated to the offer; each one reads an index."""
    return select(func.count()).select_from(table).where(*where).correlate(Offer).scalar_subquery()


@functools.cache
def _need_insert(dialect: str) -> Executable:
    """NeedRepo.declare's statement, built once per backend."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = ("team_id", "member_id", "topic_id", "raw_text", "status", "created_at")
    return (
        insert(_NEEDS)
        .values({name: bindparam(f"v_{name}") for name in columns})
        .on_conflict_do_nothing(index_elements=["member_id", "topic_id"], index_where=text(LIVE_NEED_SQL))
        .returning(_NEEDS.c.id)
    )


class NeedRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def declare(self, member: Someone, topic: HasId, raw_text: str) -> tuple[int, bool]:
        """Save a need; declaring the same topic again returns the live one's id and False."""
        values = {
            "v_team_id": member.team_id,
            "v_member_id": member.id,
            "v_topic_id": topic.id,
            "v_raw_text": raw_text,
            "v_status": NeedStatus.OPEN,
            "v_created_at": utcnow(),
        }
        statement = _need_insert(self.db.get_bind().dialect.name)
        # RETURNING gives the new id in the same statement; nothing comes back when the need was live already.
        created = _core(self.db, statement, values).scalar()
        if created is not None:
            return int(created), True
        existing = self.live_id(member, topic.id)
        assert existing is not None
        return existing, False

    def live_id(self, member: Someone, topic_id: int) -> int | None:
        """The id of the member's open or matched need on this topic, if any (a light query: /learn runs it)."""
        row = _LIVE_NEED_ID.first(self.db, {"member": member.id, "topic": topic_id})
        return int(row[0]) if row is not None else None

    def get(self, team_id: str, need_id: int) -> Need | None:
        return self.db.scalar(select(Need).where(Need.team_id == team_id, Need.id == need_id))

    def mark_matched(self, need: Need) -> None:
        if need.status == NeedStatus.OPEN:
            need.status = NeedStatus.MATCHED

    def live_for_member(self, member: Member) -> Sequence[Need]:
        return self.db.scalars(self._live().where(Need.member_id == member.id).order_by(Need.created_at, Need.id)).all()

    def close(self, member: Member, topic_ids: Iterable[int], status: NeedStatus) -> int:
        """Mark the member's live needs on these topics done or cancelled; returns how many."""
        result = self.db.execute(
            update(Need)
            .where(Need.member_id == member.id, Need.topic_id.in_(list(topic_ids)), Need.status.in_(LIVE_NEED))
            .values(status=status, closed_at=utcnow())
        )
        return rowcount(result)

    def cancel_all(self, member: Member) -> int:
        """Cancel every live need of this member."""
        result = self.db.execute(
            update(Need)
            .where(Need.member_id == member.id, Need.status.in_(LIVE_NEED))
            .values(status=NeedStatus.CANCELLED, closed_at=utcnow())
        )
        return rowcount(result)

    def open_for_topics(self, team_id: str, topic_ids: Sequence[int], exclude_member: int) -> Sequence[Need]:
        """Open needs on these topics, oldest first, excluding one member's own."""
        if not topic_ids:
            return []
        return self.db.scalars(
            select(Need)
            .join(Need.member)
            .where(
                Need.team_id == team_id,
                Need.topic_id.in_(topic_ids),
                Need.status == NeedStatus.OPEN,
                Need.member_id != exclude_member,
                Member.active,
                ~Member.opted_out,
            )
            .order_by(Need.created_at, Need.id)
        ).all()

    def _live(self) -> Select[Need]:
        return select(Need).where(Need.status.in_(LIVE_NEED))


_MATCHES = cast(Table, Match.__table__)
_EXPERTS_OF_NEED = _Read(select(_MATCHES.c.expert_id).where(_MATCHES.c.need_id == bindparam("need")))


class MatchRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def propose(self, need: Need, expert: Member, topic_id: int | None, *, by_expert: bool) -> tuple[Match, bool]:
        """A proposed match; asking the same expert for the same need again returns the first one and False."""
        created = insert_ignoring_conflict(
            self.db,
            Match,
            {
                "team_id": need.team_id,
                "need_id": need.id,
                "expert_id": expert.id,
                "topic_id": topic_id,
                "status": MatchStatus.PROPOSED,
                "offered_by_expert": by_expert,
                "created_at": utcnow(),
            },
        )
        match = self.between(need, expert)
        assert match is not None
        return match, created

    def between(self, need: Need, expert: Member) -> Match | None:
        """The match of this need with this expert, whatever its status."""
        return self.db.scalar(select(Match).where(Match.need_id == need.id, Match.expert_id == expert.id))

    def get(self, team_id: str, match_id: int) -> Match | None:
        return self.db.scalar(select(Match).where(Match.team_id == team_id, Match.id == match_id))

    def decide(self, match: Match, *, expected: MatchStatus, to: MatchStatus) -> bool:
        """Move a match on only from `expected`: a second click, or a click on a stale message, changes nothing."""
        result = self.db.execute(
            update(Match)
            .where(Match.id == match.id, Match.status == expected)
            .values(status=to, decided_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        changed = rowcount(result) == 1
        if changed:
            self.db.refresh(match)
        return changed

    def expire_pending(self, member: Member) -> int:
        """Proposals still waiting on or from this member will never be answered now."""
        mine = select(Need.id).where(Need.member_id == member.id)
        result = self.db.execute(
            update(Match)
            .where(Match.status == MatchStatus.PROPOSED, (Match.expert_id == member.id) | Match.need_id.in_(mine))
            .values(status=MatchStatus.EXPIRED, decided_at=utcnow())
        )
        return rowcount(result)

    def remember_message(self, match: Match, channel: str, ts: str) -> None:
        match.dm_channel, match.dm_ts = channel, ts

    def experts_of_need(self, need_id: int) -> set[int]:
        """Everyone already asked or offering for this need, whatever came of it."""
        return {expert for (expert,) in _EXPERTS_OF_NEED.rows(self.db, {"need": need_id})}


class SessionRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def starts_between(self, start: datetime, end: datetime) -> list[datetime]:
        """When sessions and slots start in this window, every workspace (the console's clock stops there)."""
        query = select(LearningSession.starts_at).where(
            LearningSession.starts_at > start, LearningSession.starts_at <= end
        )
        return [when for when in self.db.scalars(query) if when is not None]

    def book(self, match: Match, starts_at: datetime | None, duration_min: int | None) -> tuple[LearningSession, bool]:
        """The session of an accepted match (one per match: the unique key makes a double submit harmless)."""
        created = insert_ignoring_conflict(
            self.db,
            LearningSession,
            {
                "team_id": match.team_id,
                "kind": SessionKind.PAIR,
                "match_id": match.id,
                "topic_id": match.topic_id or match.need.topic_id,
                "host_id": match.expert_id,
                "starts_at": starts_at,
                "duration_min": duration_min,
                "created_at": utcnow(),
            },
        )
        booked = self.db.scalars(select(LearningSession).where(LearningSession.match_id == match.id)).one()
        if created:
            insert_ignoring_conflict(
                self.db,
                SessionParticipant,
                {"session_id": booked.id, "member_id": match.need.member_id, "joined_at": utcnow()},
            )
        return booked, created

    def has_participant(self, booked: LearningSession, user_id: str) -> bool:
        query = (
            select(SessionParticipant.member_id)
            .join(Member, Member.id == SessionParticipant.member_id)
            .where(SessionParticipant.session_id == booked.id, Member.user_id == user_id)
        )
        return self.db.scalar(query) is not None

    def for_match(self, match_id: int) -> LearningSession | None:
        return self.db.scalar(select(LearningSession).where(LearningSession.match_id == match_id))

    def get(self, team_id: str, session_id: int) -> LearningSession | None:
        return self.db.scalar(
            select(LearningSession).where(LearningSession.team_id == team_id, LearningSession.id == session_id)
        )


class AliasRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def learn(self, team_id: str, alias: str, topic_id: int) -> bool:
        """Remember that `alias` means this topic in this workspace; the first lesson wins."""
        values = {"team_id": team_id, "alias": alias, "topic_id": topic_id, "created_at": utcnow()}
        return insert_ignoring_conflict(self.db, TopicAlias, values)

    def for_team(self, team_id: str, after_id: int = 0) -> dict[str, str]:
        """alias → canonical topic name (only those learned after `after_id`, when given)."""
        rows = self.db.execute(
            select(TopicAlias.alias, Topic.name)
            .join(Topic, Topic.id == TopicAlias.topic_id)
            .where(TopicAlias.team_id == team_id, TopicAlias.id > after_id)
        )
        return dict(rows.all())

    def last_id(self, team_id: str) -> int:
        return int(self.db.scalar(select(func.max(TopicAlias.id)).where(TopicAlias.team_id == team_id)) or 0)


class StatsRepo:
    """Counts shown beside people: kudos received, open matches."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def kudos_received(self, team_id: str, member_ids: Sequence[int]) -> dict[int, int]:
        if not member_ids:
            return {}
        rows = self.db.execute(
            select(Kudos.receiver_id, func.count())
            .where(Kudos.team_id == team_id, Kudos.receiver_id.in_(member_ids))  # team first: its index
            .group_by(Kudos.receiver_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()

    def open_matches(self, team_id: str, member_ids: Sequence[int]) -> dict[int, int]:
        if not member_ids:
            return {}
        rows = self.db.execute(
            select(Match.expert_id, func.count())
            .where(
                Match.team_id == team_id,
                Match.expert_id.in_(member_ids),
                Match.status.in_(OPEN_MATCH),
            )
            .group_by(Match.expert_id)
        )
        return dict(rows.all())  # list of rows: a Result itself looks like a mapping to dict()


class KudosRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def add(
        self,
        giver: Member,
        receiver: Member,
        channel: str,
        message_ts: str,
        emoji: str,
        day: date,
        topic_id: int | None = None,
    ) -> bool:
        """Record a kudos (an endorsement for `topic_id`, when given for a session on it); False when this giver
        already gave it for this message and emoji."""
        values = {
            "topic_id": topic_id,
            "team_id": giver.team_id,
            "giver_id": giver.id,
            "receiver_id": receiver.id,
            "channel_id": channel,
            "message_ts": message_ts,
            "emoji": emoji,
            "giver_day": day,
            "created_at": utcnow(),
        }
        return insert_ignoring_conflict(self.db, Kudos, values)

    def take_unnotified(self, receiver: Member) -> list[tuple[str, str, str]]:
        """(giver user id, channel, message ts) of kudos the receiver has not been told about; marks them told."""
        rows = self.db.execute(
            select(Kudos.id, Member.user_id, Kudos.channel_id, Kudos.message_ts)
            .join(Member, Member.id == Kudos.giver_id)
            .where(Kudos.receiver_id == receiver.id, Kudos.notified_at.is_(None))
            .order_by(Kudos.created_at, Kudos.id)
            .with_for_update(of=Kudos)
        ).all()
        if rows:
            self.db.execute(
                update(Kudos).where(Kudos.id.in_([row.id for row in rows])).values(notified_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
        return [(row.user_id, row.channel_id, row.message_ts) for row in rows]

    def exists(self, giver: Member, channel: str, message_ts: str, emoji: str) -> bool:
        return self.db.scalar(self._one(giver, channel, message_ts, emoji).exists().select()) or False

    def given_between(self, giver: Member, first: date, last: date, receiver: Member | None = None) -> int:
        """Kudos this giver gave on days first..last (workspace days), optionally to one receiver."""
        query = select(func.count()).where(
            Kudos.giver_id == giver.id, Kudos.giver_day >= first, Kudos.giver_day <= last
        )
        if receiver is not None:
            query = query.where(Kudos.receiver_id == receiver.id)
        return int(self.db.scalar(query) or 0)

    def _one(self, giver: Member, channel: str, message_ts: str, emoji: str) -> Select[Kudos]:
        return select(Kudos).where(
            Kudos.team_id == giver.team_id,
            Kudos.giver_id == giver.id,
            Kudos.channel_id == channel,
            Kudos.message_ts == message_ts,
            Kudos.emoji == emoji,
        )

    def remove(self, giver: Member, channel: str, message_ts: str, emoji: str) -> bool:
        result = self.db.execute(
            delete(Kudos).where(
                Kudos.team_id == giver.team_id,
                Kudos.giver_id == giver.id,
                Kudos.channel_id == channel,
                Kudos.message_ts == message_ts,
                Kudos.emoji == emoji,
            )
        )
        return rowcount(result) > 0


def _topic_counts(session: Session, statement: Select[str, int], limit: int) -> list[tuple[str, int]]:
    """(topic label, count) for a `select(Topic.label, func.count())` with its joins and filters, top first."""
    rows = session.execute(
        statement.group_by(Topic.id, Topic.label).order_by(func.count().desc(), Topic.label).limit(limit)
    ).all()
    return [(label, count) for label, count in rows]


class HomeRepo:
    """What the App Home shows beyond the member's own topics and needs."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def kudos_received_since(self, member: Member, since: datetime) -> int:
        query = select(func.count()).where(Kudos.receiver_id == member.id, Kudos.created_at >= since)
        return int(self.db.scalar(query) or 0)

    def upcoming_sessions(self, member: Member, now: datetime, limit: int = 5) -> list[tuple[LearningSession, str]]:
        """Sessions this member hosts or joins that start after `now`, with their topic label."""
        joined = select(SessionParticipant.session_id).where(SessionParticipant.member_id == member.id)
        rows = self.db.execute(
            select(LearningSession, Topic.label)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.starts_at > now,
                (LearningSession.host_id == member.id) | LearningSession.id.in_(joined),
            )
            .order_by(LearningSession.starts_at)
            .limit(limit)
        ).all()
        return [(row[0], row[1]) for row in rows]

    def most_taught(self, team_id: str, limit: int = 5) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Offer, Offer.topic_id == Topic.id)
            .join(Member, Member.id == Offer.member_id)
            .where(Offer.team_id == team_id, Offer.active, Member.active, ~Member.opted_out),
            limit,
        )

    def most_wanted(self, team_id: str, limit: int = 5) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Need, Need.topic_id == Topic.id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN),
            limit,
        )

    def counterparts(
        self, member: Member, now: datetime
    ) -> list[tuple[str, str, datetime | None, str | None, str | None]]:
        """Who loses something if this member leaves: the other person of each open match or upcoming pair
        session, and the learners of each upcoming slot they host, as (user id, topic, start, DM channel, DM ts).
        The DM is the Accept/Decline message still waiting on the other person, if any."""
        learner = aliased(Member)
        expert = aliased(Member)
        session_start = select(LearningSession.starts_at).where(LearningSession.match_id == Match.id).scalar_subquery()
        rows = self.db.execute(
            select(learner.id, learner.user_id, expert.id, expert.user_id, Topic.label, session_start, Match)
            .join(Need, Need.id == Match.need_id)
            .join(learner, learner.id == Need.member_id)
            .join(expert, expert.id == Match.expert_id)
            .join(Topic, Topic.id == func.coalesce(Match.topic_id, Need.topic_id))
            .where(
                (Need.member_id == member.id) | (Match.expert_id == member.id),
                Match.status.in_((MatchStatus.PROPOSED, MatchStatus.ACCEPTED)),
            )
        ).all()
        found = []
        for learner_id, learner_user, _, expert_user, label, starts, match in rows:
            if starts is not None and starts <= now:
                continue  # over already: nothing of theirs is lost
            other = expert_user if learner_id == member.id else learner_user
            # While proposed, the Accept/Decline message waits with whoever did not start the match.
            decider = learner_user if match.offered_by_expert else expert_user
            pending = match.status == MatchStatus.PROPOSED and other == decider
            found.append(
                (other, label, starts, match.dm_channel if pending else None, match.dm_ts if pending else None)
            )
        slots = self.db.execute(
            select(Member.user_id, Topic.label, LearningSession.starts_at)
            .join(SessionParticipant, SessionParticipant.session_id == LearningSession.id)
            .join(Member, Member.id == SessionParticipant.member_id)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.host_id == member.id,
                LearningSession.kind == SessionKind.SLOT,
                LearningSession.starts_at > now,
            )
        ).all()
        found += [(user, label, starts, None, None) for user, label, starts in slots]
        return found

    def forget_member(self, member: Member) -> None:
        """Delete the member and, through ON DELETE rules, their offers, needs, matches, sessions and kudos
        received; kudos they gave keep counting for the receiver but no longer name them."""
        self.db.execute(delete(Member).where(Member.id == member.id), execution_options={"synchronize_session": False})
        self.db.expunge(member)


class ExportRepo:
    """The skills matrix and open needs of a workspace, streamed for large workspaces."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def teams(self) -> list[str]:
        return list(self.db.scalars(select(Workspace.team_id).order_by(Workspace.team_id)))

    def count(self, team_id: str) -> int:
        offers = select(func.count()).select_from(Offer).join(Member, Member.id == Offer.member_id)
        offers = offers.where(Offer.team_id == team_id, Offer.active, Member.active, ~Member.opted_out)
        needs = select(func.count()).select_from(Need).join(Member, Member.id == Need.member_id)
        needs = needs.where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Member.active, ~Member.opted_out)
        return int(self.db.scalar(offers) or 0) + int(self.db.scalar(needs) or 0)

    def rows(self, team_id: str, batch: int = 2000) -> Iterator[tuple[str, str, str, str, str, str, int]]:
        """(kind, user id, name, topic, level, since, kudos received) for every active offer, then open need."""
        kudos = (
            select(Kudos.receiver_id, func.count().label("n"))
            .where(Kudos.team_id == team_id)
            .group_by(Kudos.receiver_id)
            .subquery()
        )
        visible = (Member.active, ~Member.opted_out)
        offers = (
            select(Member.user_id, Member.display_name, Topic.label, Offer.level, Offer.created_at, kudos.c.n)
            .join(Member, Member.id == Offer.member_id)
            .join(Topic, Topic.id == Offer.topic_id)
            .outerjoin(kudos, kudos.c.receiver_id == Member.id)
            .where(Offer.team_id == team_id, Offer.active, *visible)
            .order_by(Member.display_name, Member.user_id, Topic.label)
        )
        for user_id, name, topic, level, since, received in self.db.execute(
            offers, execution_options={"yield_per": batch}
        ):
            yield (
                "teaches",
                user_id,
                name,
                topic,
                level.value if level else "",
                since.date().isoformat(),
                received or 0,
            )
        needs = (
            select(Member.user_id, Member.display_name, Topic.label, Need.created_at, kudos.c.n)
            .join(Member, Member.id == Need.member_id)
            .join(Topic, Topic.id == Need.topic_id)
            .outerjoin(kudos, kudos.c.receiver_id == Member.id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, *visible)
            .order_by(Member.display_name, Member.user_id, Topic.label)
        )
        for user_id, name, topic, since, received in self.db.execute(needs, execution_options={"yield_per": batch}):
            yield ("wants", user_id, name, topic, "", since.date().isoformat(), received or 0)


class DigestRepo:
    """The weekly digest's queries; each is one aggregate, so a 100k-member workspace stays fast."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def wanted_untaught(self, team_id: str, limit: int) -> list[tuple[str, int]]:
        taught = (
            select(Offer.id)
            .join(Member, Member.id == Offer.member_id)
            .where(Offer.topic_id == Topic.id, Offer.active, Member.active, ~Member.opted_out, ~Member.paused)
        )
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Need, Need.topic_id == Topic.id)
            .join(Member, Member.id == Need.member_id)
            .where(Need.team_id == team_id, Need.status == NeedStatus.OPEN, Member.active, ~taught.exists()),
            limit,
        )

    def new_experts(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, int]]:
        return _topic_counts(
            self.db,
            select(Topic.label, func.count())
            .join(Offer, Offer.topic_id == Topic.id)
            .join(Member, Member.id == Offer.member_id)
            .where(
                Offer.team_id == team_id,
                Offer.active,
                Offer.created_at >= start,
                Offer.created_at < end,
                Member.active,
                ~Member.opted_out,
            ),
            limit,
        )

    def sessions_between(self, team_id: str, start: datetime, end: datetime) -> int:
        query = select(func.count()).where(
            LearningSession.team_id == team_id, LearningSession.starts_at >= start, LearningSession.starts_at < end
        )
        return int(self.db.scalar(query) or 0)

    def upcoming(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, datetime]]:
        rows = self.db.execute(
            select(Topic.label, LearningSession.starts_at)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.team_id == team_id,
                LearningSession.starts_at >= start,
                LearningSession.starts_at < end,
            )
            .order_by(LearningSession.starts_at, LearningSession.id)
            .limit(limit)
        ).all()
        return [(label, starts) for label, starts in rows if starts is not None]

    def teachers(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, str]]:
        """(host user id, topic) of sessions held in the window, one line per host: the digest's shout-outs."""
        return _people_ranked(
            self.db,
            select(Member.user_id, func.min(Topic.label))
            .join(LearningSession, LearningSession.host_id == Member.id)
            .join(Topic, Topic.id == LearningSession.topic_id)
            .where(
                LearningSession.team_id == team_id,
                LearningSession.starts_at >= start,
                LearningSession.starts_at < end,
            ),
            limit,
        )

    def leaderboard(self, team_id: str, start: datetime, end: datetime, limit: int) -> list[tuple[str, int]]:
        """Most thanked last week; opted-out members are never named."""
        return _people_ranked(
            self.db,
            select(Member.user_id, func.count())
            .join(Kudos, Kudos.receiver_id == Member.id)
            .where(Kudos.team_id == team_id, Kudos.created_at >= start, Kudos.created_at < end),
            limit,
        )


def _people_ranked(session: Session, statement: Select[str, Any], limit: int) -> list[tuple[str, Any]]:
    """(user id, value) for a `select(Member.user_id, …)`, most rows first; opted-out members are never named."""
    rows = session.execute(
        statement.where(Member.active, ~Member.opted_out)
        .group_by(Member.id, Member.user_id)
        .order_by(func.count().desc(), Member.user_id)
        .limit(limit)
    ).all()
    return [(user_id, value) for user_id, value in rows]


class EventRepo:
    def __init__(self, db: Session) -> None:
        self.db = db

    def first_time(self, team_id: str, event_id: str) -> bool:
        """Record an Events API id; False when it was handled before (a Slack retry)."""
        return insert_ignoring_conflict(
            self.db, ProcessedEvent, {"event_id": event_id, "team_id": team_id, "received_at": utcnow()}
        )

    def forget_before(self, cutoff: datetime) -> int:
        result = self.db.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
        return rowcount(result)


class Repos:
    """Every repository over one database session (`db`), so a service takes a single argument."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.workspaces = WorkspaceRepo(db)
        self.members = MemberRepo(db)
        self.topics = TopicRepo(db)
        self.offers = OfferRepo(db)
        self.needs = NeedRepo(db)
        self.stats = StatsRepo(db)
        self.kudos = KudosRepo(db)
        self.matches = MatchRepo(db)
        self.sessions = SessionRepo(db)
        self.aliases = AliasRepo(db)
        self.events = EventRepo(db)
        self.home = HomeRepo(db)
        self.export = ExportRepo(db)
        self.digest = DigestRepo(db)
        self.runs = DigestRunRepo(db)
        self.due = DueRepo(db)
        self.meetings = MeetingRepo(db)
        self.endorsements = EndorsementRepo(db)
        self.slots = SlotRepo(db)
