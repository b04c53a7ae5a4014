"""Kudos: a reaction with the kudos emoji on a colleague's message thanks its author."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from bot.domain import SESSION_TS
from bot.services.scope import Scope
from store.repos import Repos

if TYPE_CHECKING:  # workspace reads this module's PAIR_WEEKLY_LIMIT
    from bot.services.workspace import WorkspaceSettings

# Kudos given with the follow-up button are recorded under this name.
SESSION_EMOJI = "mortar_board"
# A giver can thank the same colleague this many times per week.
PAIR_WEEKLY_LIMIT = 3


class Limit(enum.StrEnum):
    DAILY = "daily"  # the giver already gave their kudos for today
    PAIR = "pair"  # the giver already thanked this colleague often this week


@dataclass(frozen=True)
class Reaction:
    """What a reaction event says, reduced to what kudos needs."""

    giver: str
    receiver: str | None
    channel: str
    message_ts: str
    emoji: str
    topic_id: int | None = None  # a session's topic: the kudos endorses the receiver for it


def base_emoji(name: str) -> str:
    """`clap::skin-tone-3` → `clap`: a skin tone is still the same thanks."""
    return name.split("::", 1)[0]


@dataclass(frozen=True)
class Counted:
    """The kudos counts: the receiver is told soon."""

    receiver: str


@dataclass(frozen=True)
class Limited:
    """A limit stopped it; `tell_giver` when the giver has not been told so today."""

    receiver: str
    limit: Limit
    tell_giver: bool


@dataclass(frozen=True)
class Duplicate:
    """Slack retried the event, or the same person reacted twice with the same emoji (or clicked twice)."""

    receiver: str


@dataclass(frozen=True)
class Ignored:
    """Not a kudos emoji, one's own message, a bot's message, an inactive member."""


Given = Counted | Limited | Duplicate | Ignored


def give(scope: Scope, reaction: Reaction, *, rules: WorkspaceSettings, by_button: bool = False) -> Given:
    """Record a kudos once per giver, message and emoji, within the workspace's daily and weekly-pair limits."""
    # The follow-up button always counts, whatever reaction emoji the workspace chose.
    emoji_counted = (*rules.kudos_emoji, SESSION_EMOJI) if by_button else rules.kudos_emoji
    if not _counts(reaction, emoji_counted) or reaction.receiver is None:
        return Ignored()
    repos, team_id, now = scope.repos, scope.team, scope.now
    giver = repos.members.ensure(team_id, reaction.giver)
    receiver = repos.members.ensure(team_id, reaction.receiver)
    if giver.is_bot or receiver.is_bot or not giver.active or not receiver.active:
        return Ignored()
    emoji = base_emoji(reaction.emoji)
    # Slack delivers reactions in parallel: lock the giver so two of them cannot both pass the count.
    repos.members.lock(giver)
    if repos.kudos.exists(giver, reaction.channel, reaction.message_ts, emoji):
        return Duplicate(reaction.receiver)
    day = now.astimezone(ZoneInfo(rules.timezone)).date()
    monday = day - timedelta(days=day.weekday())
    limited = None
    if repos.kudos.given_between(giver, day, day) >= rules.kudos_daily_limit:
        limited = Limit.DAILY
    elif (
        repos.kudos.given_between(giver, monday, monday + timedelta(days=6), receiver) >= rules.kudos_pair_weekly_limit
    ):
        limited = Limit.PAIR
    if limited is not None:
        tell = giver.kudos_limit_noticed_on != day
        giver.kudos_limit_noticed_on = day
        return Limited(reaction.receiver, limited, tell_giver=tell)
    # A thank-you for a session (its button, or a reaction in its group DM) endorses the expert for its topic.
    topic_id = reaction.topic_id or repos.endorsements.session_topic(team_id, reaction.channel, giver, receiver)
    repos.kudos.add(giver, receiver, reaction.channel, reaction.message_ts, emoji, day, topic_id)
    return Counted(reaction.receiver)


def take_back(scope: Scope, reaction: Reaction, *, kudos_emoji: tuple[str, ...]) -> bool:
    """Remove the kudos a removed reaction had given; whether there was one (nothing to remove is fine)."""
    if not _counts(reaction, kudos_emoji):
        return False
    giver = scope.repos.members.get(scope.team, reaction.giver)
    if giver is None:
        return False
    return scope.repos.kudos.remove(giver, reaction.channel, reaction.message_ts, base_emoji(reaction.emoji))


def _counts(reaction: Reaction, kudos_emoji: tuple[str, ...]) -> bool:
    return base_emoji(reaction.emoji) in kudos_emoji and reaction.giver != reaction.receiver


class Thank(NamedTuple):
    """One kudos to tell its receiver about: who gave it, on which message, or for which session's topic."""

    giver: str
    channel: str
    message_ts: str
    # Given with a follow-up's "Give kudos" (there is no message to link): its topic, "" when it has none (the
    # session was cancelled since, and endorses nobody).
    session_topic: str | None = None


@dataclass(frozen=True)
class Thanks:
    """Kudos a receiver has not been told about yet, to go out in one DM."""

    receiver: str
    givers: list[Thank]


def collect_thanks(scope: Scope, *, receiver: str) -> Thanks | None:
    """Take the receiver's untold kudos; None when there are none or they switched these DMs off."""
    repos = scope.repos
    member = repos.members.get(scope.team, receiver)
    if member is None:
        return None
    untold = repos.kudos.take_unnotified(member)
    if not untold or not member.kudos_dm or not member.active:
        return None
    givers = [
        Thank(giver, channel, ts, (topic or "") if ts.startswith(SESSION_TS) else None)
        for giver, channel, ts, topic in untold
    ]
    return Thanks(receiver, givers)


def for_session(scope: Scope, *, session_id: int) -> Reaction | None:
    """A session follow-up's "Give kudos": the learner thanks the host, once per session, like a reaction."""
    repos, team_id, learner = scope.repos, scope.team, scope.user
    booked = repos.sessions.get(team_id, session_id)
    if booked is None or not repos.sessions.has_participant(booked, learner):
        return None
    host = repos.members.by_ids([booked.host_id]).get(booked.host_id)
    if host is None:
        return None
    # The session stands in for "the message": one kudos per learner per session, by the same unique key.
    return Reaction(
        learner,
        host.user_id,
        booked.channel_id or "session",
        f"{SESSION_TS}{booked.id}",
        SESSION_EMOJI,
        booked.topic_id if booked.cancelled_at is None else None,  # a cancelled session endorses nobody
    )


def untold(repos: Repos, *, before: datetime) -> list[tuple[str, str]]:
    """(tenant, receiver) of kudos given before `before` whose receiver was never told (a restart lost the DM)."""
    return repos.due.untold_kudos(before)
