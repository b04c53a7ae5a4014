"""Kudos: a reaction with the kudos emoji on a colleague's message thanks its author."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.domain import SESSION_TS
from bot.services.scope import Scope
from store.repos import Repos

# Kudos given with the follow-up button are recorded under this name.
SESSION_EMOJI = "mortar_board"
# A giver can thank the same colleague this many times per week.
PAIR_WEEKLY_LIMIT = 3


class Outcome(enum.StrEnum):
    GIVEN = "given"
    TAKEN_BACK = "taken_back"
    DAILY_LIMIT = "daily_limit"  # the giver already gave their kudos for today
    PAIR_LIMIT = "pair_limit"  # the giver already thanked this colleague often this week
    DUPLICATE = "duplicate"  # Slack retried the event, or the same person reacted twice with the same emoji
    IGNORED = "ignored"  # not a kudos emoji, one's own message, a bot's message, an inactive member


@dataclass(frozen=True)
class Reaction:
    """What a reaction event says, reduced to what kudos needs."""

    team_id: str
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
class Given:
    outcome: Outcome
    tell_giver: bool = False  # a limit stopped it and the giver has not been told today


def give(
    repos: Repos,
    reaction: Reaction,
    *,
    kudos_emoji: tuple[str, ...],
    timezone: str,
    now: datetime,
    daily_limit: int,
    pair_weekly_limit: int = PAIR_WEEKLY_LIMIT,
) -> Given:
    """Record a kudos once per giver, message and emoji, within the daily and weekly-pair limits."""
    if not _counts(reaction, kudos_emoji) or reaction.receiver is None:
        return Given(Outcome.IGNORED)
    giver = repos.members.ensure(reaction.team_id, reaction.giver)
    receiver = repos.members.ensure(reaction.team_id, reaction.receiver)
    if giver.is_bot or receiver.is_bot or not giver.active or not receiver.active:
        return Given(Outcome.IGNORED)
    emoji = base_emoji(reaction.emoji)
    # Slack delivers reactions in parallel: lock the giver so two of them cannot both pass the count.
    repos.members.lock(giver)
    if repos.kudos.exists(giver, reaction.channel, reaction.message_ts, emoji):
        return Given(Outcome.DUPLICATE)
    day = now.astimezone(ZoneInfo(timezone)).date()
    monday = day - timedelta(days=day.weekday())
    limited = None
    if repos.kudos.given_between(giver, day, day) >= daily_limit:
        limited = Outcome.DAILY_LIMIT
    elif repos.kudos.given_between(giver, monday, monday + timedelta(days=6), receiver) >= pair_weekly_limit:
        limited = Outcome.PAIR_LIMIT
    if limited is not None:
        tell = giver.kudos_limit_noticed_on != day
        giver.kudos_limit_noticed_on = day
        return Given(limited, tell_giver=tell)
    # A thank-you for a session (its button, or a reaction in its group DM) endorses the expert for its topic.
    topic_id = reaction.topic_id or repos.endorsements.session_topic(
        reaction.team_id, reaction.channel, giver, receiver
    )
    repos.kudos.add(giver, receiver, reaction.channel, reaction.message_ts, emoji, day, topic_id)
    return Given(Outcome.GIVEN)


def take_back(repos: Repos, reaction: Reaction, *, kudos_emoji: tuple[str, ...]) -> Outcome:
    """Remove the kudos a removed reaction had given; nothing to remove is fine."""
    if not _counts(reaction, kudos_emoji):
        return Outcome.IGNORED
    giver = repos.members.get(reaction.team_id, reaction.giver)
    if giver is None:
        return Outcome.IGNORED
    removed = repos.kudos.remove(giver, reaction.channel, reaction.message_ts, base_emoji(reaction.emoji))
    return Outcome.TAKEN_BACK if removed else Outcome.IGNORED


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


def collect_thanks(repos: Repos, *, team_id: str, receiver: str) -> Thanks | None:
    """Take the receiver's untold kudos; None when there are none or they switched these DMs off."""
    member = repos.members.get(team_id, receiver)
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
        team_id,
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
