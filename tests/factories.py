"""Rows a test arranges, in one place: workspaces, members, topics, offers, needs, matches, sessions and kudos.

Each takes the `Repos` of the test's open transaction and writes through the repositories, as the app does, so a
row is what the app would have saved; keyword arguments set what a test wants different (a paused member, kudos
given last week). The caller commits or rolls back.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from bot.domain import Level, SessionKind
from store.models import Kudos, LearningSession, Match, Member, Need, Offer, Topic, Workspace
from store.repos import Repos

TEAM = "T1"


def workspace(repos: Repos, team: str = TEAM, /, *, name: str | None = None, **fields: object) -> Workspace:
    """A workspace row (installed under `name` when one is given); `fields` such as created_at or
    learning_channel."""
    if name is not None:
        repos.workspaces.installed(team, name)
    row = repos.workspaces.ensure(team)
    for field, value in fields.items():
        setattr(row, field, value)
    return row


def member(repos: Repos, user: str, name: str = "", /, *, team: str = TEAM, **fields: object) -> Member:
    """A member; `fields` such as paused, opted_out, active or is_admin."""
    row = repos.members.ensure(team, user, name)
    for field, value in fields.items():
        setattr(row, field, value)
    return row


def members(repos: Repos, *people: tuple[str, str], team: str = TEAM) -> list[Member]:
    """Several members at once, from (user id, name) pairs."""
    return [member(repos, user, name, team=team) for user, name in people]


def topic(repos: Repos, name: str, label: str | None = None, *, team: str = TEAM) -> Topic:
    """A topic under its name, shown as `label` (the name itself unless given)."""
    return repos.topics.ensure(team, name, name if label is None else label)


def offer(
    repos: Repos,
    teacher: Member,
    taught: Topic,
    level: Level | None = None,
    note: str | None = None,
    *,
    created_at: datetime | None = None,
) -> Offer:
    """`teacher` teaches `taught`."""
    row, _ = repos.offers.upsert(teacher, taught, level, note)
    if created_at is not None:
        row.created_at = created_at
    return row


def need(repos: Repos, learner: Member, wanted: Topic, text: str | None = None) -> Need:
    """`learner` wants `wanted`, asked in `text` (the topic's name unless given)."""
    need_id, _ = repos.needs.declare(learner, wanted, wanted.name if text is None else text)
    return repos.db.get_one(Need, need_id)


def match(repos: Repos, wanted: Need, expert: Member, *, by_expert: bool = False) -> Match:
    """The learner of `wanted` asks `expert` (or the expert offers help, `by_expert`)."""
    row, _ = repos.matches.propose(wanted, expert, wanted.topic_id, by_expert=by_expert)
    return row


def session(
    repos: Repos,
    host: Member,
    taught: Topic,
    starts_at: datetime | None,
    minutes: int | None = 30,
    *,
    kind: SessionKind = SessionKind.PAIR,
    **fields: object,
) -> LearningSession:
    """A learning session `host` holds on `taught`; `fields` such as match_id, capacity or cancelled_at."""
    row = LearningSession(
        team_id=host.team_id,
        kind=kind,
        topic_id=taught.id,
        host_id=host.id,
        starts_at=starts_at,
        duration_min=minutes,
        **fields,
    )
    repos.db.add(row)
    repos.db.flush()
    return row


def kudos(
    repos: Repos,
    giver: Member,
    receiver: Member,
    message_ts: str,
    *,
    day: date,
    at: datetime | None = None,
    channel: str = "C1",
    emoji: str = "mortar_board",
) -> Kudos:
    """`giver` thanks `receiver` for a message, on the giver's `day`; `at` backdates when it was recorded."""
    repos.kudos.add(giver, receiver, channel, message_ts, emoji, day)
    row = repos.db.scalars(
        select(Kudos).where(Kudos.giver_id == giver.id, Kudos.message_ts == message_ts, Kudos.emoji == emoji)
    ).one()
    if at is not None:
        row.created_at = at
    return row
