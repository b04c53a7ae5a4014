"""Declaring what you want to learn: the need saved under the topic the ask names, and who can teach it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import NeedStatus
from bot.matcher import Resolution, TopicHit
from bot.services.catalog import Catalog
from bot.services.experts import Choice, ExpertCard, choices, find_experts, related
from bot.services.scope import Scope
from store.repos import MemberRef, Repos


@dataclass(frozen=True)
class LearnResult:
    """A need saved (or found again) under a topic, and the experts for it."""

    need_id: int
    topic: str  # the topic's one display name
    created: bool
    experts: Sequence[ExpertCard]
    now: datetime
    asked: str = ""  # the person's words, shown when they differ from the topic's name
    also: Sequence[Choice] = ()  # other topics the ask named ("python for data analysis")
    related: Sequence[Choice] = field(default=())  # when nobody teaches it: related topics taught here
    away: int = 0  # no expert shown, but this many colleagues teach it and are paused, away or busy
    yourself: bool = False  # the asker teaches it (and nobody else can be asked)


@dataclass(frozen=True)
class DidYouMean:
    """An ask close to more than one topic, or not close enough to one: which did they mean?"""

    asked: str
    choices: Sequence[Choice]
    own: str  # the ask's topic words, to save as a topic of their own if no choice fits


@dataclass(frozen=True)
class NotATopic:
    """Only the way of asking, no topic: "basics", "intro to"."""

    asked: str


@dataclass(frozen=True)
class NeedCard:
    topic: str
    status: NeedStatus
    since: datetime


@dataclass(frozen=True)
class Changed:
    """What a remove/done/cancel/pause touched: the topics changed and the ones that were not there."""

    changed: Sequence[str]
    missing: Sequence[str] = ()


# A did-you-mean button carries one of these: a topic's key, or this marker for "my own words, as a new topic".
AS_TYPED = ""


def declare_need(
    scope: Scope, *, text: str, choice: str | None = None, confirm_alias: bool = False
) -> LearnResult | DidYouMean | NotATopic:
    """Save a need under the topic the ask names (once per topic) and find the best experts for it.

    `choice` is a topic picked from a button: a topic key, or AS_TYPED for the ask's own words. With
    `confirm_alias` it answered "did you mean…?", and the workspace learns that the ask's words mean it.
    """
    repos, catalog, team_id, user_id, now = scope.repos, scope.catalog, scope.team, scope.user, scope.now
    # Someone asking for the first time is created with the need, last: every write comes at the end, so the
    # transaction holds SQLite's single write lock only for the inserts and the commit.
    member = repos.members.find(team_id, user_id)
    resolution = catalog.resolve(repos, team_id, text)
    if choice is None and member is not None and not resolution.confident and resolution.plausible:
        # They answered this question before: their own choice holds for them, whatever the workspace learned.
        mine = catalog.chosen_by(repos, member.id, resolution.core)
        choice = mine if mine and mine in {hit.topic for hit in resolution.plausible} else None
    if choice is not None:
        keys, typed = [choice or catalog.new_topic_key(resolution.core)], resolution.core
    elif resolution.confident:
        keys, typed = [hit.topic for hit in resolution.confident], ""
    elif resolution.plausible:
        candidates = choices(repos, catalog, team_id, [hit.topic for hit in resolution.plausible])
        _known(repos, member, team_id, user_id)
        return DidYouMean(text.strip(), candidates, resolution.core)
    elif not resolution.core or resolution.only_asking:
        _known(repos, member, team_id, user_id)
        return NotATopic(text.strip())
    else:
        keys, typed = [catalog.new_topic_key(resolution.core)], resolution.core
    if not keys[0]:
        _known(repos, member, team_id, user_id)
        return NotATopic(text.strip())
    result = _save(repos, catalog, member or _Newcomer(0, team_id, user_id, None), text, keys, typed, resolution, now)
    if choice and confirm_alias:
        chooser = repos.members.find(team_id, user_id)  # _save wrote a newcomer's row with their need
        if chooser is not None:
            catalog.learn_alias(repos, team_id, resolution.core, catalog.topic(repos, team_id, choice), chooser.id)
    return result


class _Newcomer(MemberRef):
    """Someone without a member row yet: no needs, offers or matches; the row is written with their need."""


def _known(repos: Repos, member: MemberRef | None, team_id: str, user_id: str) -> MemberRef:
    """The asker's row, created when this is their first request."""
    return member if member is not None and not isinstance(member, _Newcomer) else repos.members.add(team_id, user_id)


def _save(
    repos: Repos,
    catalog: Catalog,
    member: MemberRef,
    text: str,
    keys: list[str],
    typed: str,
    resolution: Resolution,
    now: datetime,
) -> LearnResult:
    """The need goes under the first named topic somebody here teaches, else under the first named topic."""
    team_id = member.team_id
    new = isinstance(member, _Newcomer)
    chosen, experts = keys[0], []
    live: dict[int, int | None] = {}  # topic id → the asker's open or matched need on it

    def teachers(topic_id: int, topic_key: str) -> list[ExpertCard]:
        existing = live[topic_id] = None if new else repos.needs.live_id(member, topic_id)
        tried = repos.matches.experts_of_need(existing) if existing else set()
        return find_experts(repos, member, [TopicHit(topic_id, topic_key, 100.0)], now, exclude=tried)

    for topic_key in keys:
        topic_id = catalog.topic_id(repos, team_id, topic_key)
        if topic_id is not None and (found := teachers(topic_id, topic_key)):
            chosen, experts = topic_key, found
            break
    row = catalog.topic_ref(repos, team_id, chosen, typed)
    if row.id not in live:
        # A row this process's index did not know yet (another worker or replica created it a moment ago): its
        # teachers count too. For a topic nobody named before this finds nobody, as it should.
        experts = teachers(row.id, chosen)
    also = choices(repos, catalog, team_id, [k for k in keys if k != chosen])
    nearby = related(repos, catalog, team_id, chosen) if not experts else []
    asked = text.strip() if _differs(text, row.label, resolution) else ""
    # Nobody to show does not always mean nobody teaches it: they may be paused, away or busy, or it is you.
    away = repos.offers.unavailable_teachers(team_id, row.id, member.id) if not experts else 0
    yourself = not experts and not new and repos.offers.teaches(member, row.id)
    existing = live[row.id]
    if existing is not None:
        return LearnResult(existing, row.label, False, experts, now, asked, also, nearby, away, yourself)
    # The writes come last, so the transaction holds SQLite's single write lock only for the inserts and commit.
    need_id, created = repos.needs.declare(_known(repos, member, team_id, member.user_id), row, text.strip()[:300])
    return LearnResult(need_id, row.label, created, experts, now, asked, also, nearby, away, yourself)


def _differs(text: str, label: str, resolution: Resolution) -> bool:
    """Say what was understood when the words were not simply the topic's name."""
    return resolution.core.casefold() != label.casefold() or text.strip().casefold() != label.casefold()


def my_needs(scope: Scope) -> list[NeedCard]:
    """The caller's open and matched needs, oldest first."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    return [NeedCard(need.topic.label, need.status, need.created_at) for need in repos.needs.live_for_member(member)]


def close_need(scope: Scope, *, topic: str, done: bool) -> Changed:
    """Mark a need done or cancelled, found however its topic is written; says so when there was no such need."""
    repos, catalog, team_id, user_id = scope.repos, scope.catalog, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    needs = {need.topic.name: need for need in repos.needs.live_for_member(member)}
    resolution = catalog.resolve(repos, team_id, topic)
    for hit in (*resolution.confident, *resolution.plausible):
        if hit.topic in needs:
            status = NeedStatus.CLOSED if done else NeedStatus.CANCELLED
            repos.needs.close(member, [needs[hit.topic].topic_id], status)
            return Changed([needs[hit.topic].topic.label])
    return Changed([], [topic])
