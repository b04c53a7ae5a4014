"""Kudos: a reaction with the kudos emoji on a colleague's message thanks its author."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from store.repos import Repos


class Outcome(enum.StrEnum):
    GIVEN = "given"
    TAKEN_BACK = "taken_back"
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


def base_emoji(name: str) -> str:
    """`clap::skin-tone-3` → `clap`: a skin tone is still the same thanks."""
    return name.split("::", 1)[0]


def give(repos: Repos, reaction: Reaction, *, kudos_emoji: tuple[str, ...], timezone: str, now: datetime) -> Outcome:
    """Record a kudos once per giver, message and emoji; the unique key makes Slack's retries harmless."""
    if not _counts(reaction, kudos_emoji) or reaction.receiver is None:
        return Outcome.IGNORED
    giver = repos.members.ensure(reaction.team_id, reaction.giver)
    receiver = repos.members.ensure(reaction.team_id, reaction.receiver)
    if giver.is_bot or receiver.is_bot or not giver.active or not receiver.active:
        return Outcome.IGNORED
    day = now.astimezone(ZoneInfo(timezone)).date()
    created = repos.kudos.add(giver, receiver, reaction.channel, reaction.message_ts, base_emoji(reaction.emoji), day)
    return Outcome.GIVEN if created else Outcome.DUPLICATE


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
