"""Declaring needs and offers, and finding the experts for a need."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.grammar import Teach
from bot.matcher import Candidate, TopicHit, rank_experts
from bot.services.catalog import Catalog
from store.models import Level, Member, NeedStatus
from store.repos import ExpertRow, Repos

# Matches this recent count against an expert, so the same few people are not asked every time.
RECENT = timedelta(days=28)
_AWAY_EMOJI = frozenset({":palm_tree:", ":airplane:", ":face_with_thermometer:", ":beach_with_umbrella:"})
_AWAY_WORDS = ("vacation", "holiday", "out of office", "ooo", "sick", "parental leave")


@dataclass(frozen=True)
class ExpertCard:
    user_id: str
    display_name: str
    topic: str
    level: Level | None
    note: str | None
    tz: str | None
    kudos: int


@dataclass(frozen=True)
class LearnResult:
    need_id: int
    topic: str
    created: bool
    experts: Sequence[ExpertCard]
    now: datetime


@dataclass(frozen=True)
class NeedCard:
    topic: str
    status: NeedStatus
    since: datetime


@dataclass(frozen=True)
class OfferCard:
    topic: str
    level: Level | None
    note: str | None


@dataclass(frozen=True)
class WaitingNeed:
    need_id: int
    text: str
    since: datetime


@dataclass(frozen=True)
class Waiting:
    """Open needs on one topic, anonymous: the expert sees what is wanted, never who wants it."""

    topic: str
    needs: Sequence[WaitingNeed]


@dataclass(frozen=True)
class NewTeacher:
    """A learner to tell that someone now teaches what they wait for."""

    need_id: int
    learner: str
    topic: str


@dataclass(frozen=True)
class TeachResult:
    saved: Sequence[str]
    waiting: Sequence[Waiting]
    paused: bool
    notify: Sequence[NewTeacher] = ()


@dataclass(frozen=True)
class MyTopics:
    offers: Sequence[OfferCard]
    paused: bool


@dataclass(frozen=True)
class Changed:
    """What a remove/done/cancel/pause touched: the topics changed and the ones that were not there."""

    changed: Sequence[str]
    missing: Sequence[str] = ()


class HasStatus(Protocol):
    @property
    def status_emoji(self) -> str | None: ...

    @property
    def status_text(self) -> str | None: ...


def is_away(member: HasStatus) -> bool:
    """A Slack status that says the person is away (vacation, sick, travelling)."""
    text = (member.status_text or "").casefold()
    return member.status_emoji in _AWAY_EMOJI or any(word in text for word in _AWAY_WORDS)


def declare_need(
    repos: Repos, catalog: Catalog, *, team_id: str, user_id: str, topic: str, now: datetime
) -> LearnResult:
    """Save a need (once per topic) and find the best experts for it."""
    member = repos.members.ensure(team_id, user_id)
    row = catalog.topic(repos, team_id, topic)
    existing = repos.needs.live_id(member, row)
    tried = repos.matches.experts_of_need(existing) if existing else set()
    experts = find_experts(repos, catalog, member, topic, now, exclude=tried)
    if existing is not None:
        return LearnResult(existing, row.label, False, experts, now)
    # The write comes last, so the transaction holds SQLite's single write lock only for the insert and commit.
    need_id, created = repos.needs.declare(member, row, topic.strip())
    return LearnResult(need_id, row.label, created, experts, now)


def find_experts(
    repos: Repos,
    catalog: Catalog,
    asker: Member,
    topic: str,
    now: datetime,
    *,
    exclude: Collection[int] = (),
    limit: int = 3,
) -> list[ExpertCard]:
    """The best available experts for a topic, never the asker nor `exclude`; empty when nobody is close enough.

    First only the topics that rank level with an exact match: when they have `limit` available teachers, the
    wider fuzzy search could add no one who ranks above them, so it is skipped (most asks name a known topic).
    """
    for top_band in (True, False):
        hits = catalog.search(repos, asker.team_id, topic, top_band=top_band)
        if not hits and top_band:
            continue
        ranked = _rank(repos, asker, hits, now, exclude, limit)
        if len(ranked) >= limit:
            break
    return [
        ExpertCard(
            user_id=offer.user_id,
            display_name=offer.display_name,
            topic=offer.topic_label,
            level=offer.level,
            note=offer.note,
            tz=offer.tz,
            kudos=offer.kudos,
        )
        for offer in ranked
    ]


def _rank(
    repos: Repos, asker: Member, hits: Sequence[TopicHit], now: datetime, exclude: Collection[int], limit: int
) -> list[ExpertRow]:
    offers = [
        offer
        for offer in repos.offers.experts_for(
            asker.team_id, [h.topic_id for h in hits], learner_id=asker.id, since=now - RECENT
        )
        if offer.member_id not in exclude
    ]
    candidates = [
        Candidate(
            member_id=offer.member_id,
            topic_id=offer.topic_id,
            tz=offer.tz,
            open_matches=offer.open_matches,
            kudos=offer.kudos,
            away=is_away(offer),
            recent_matches=offer.recent_matches,
            matched_before=offer.met_learner,
        )
        for offer in offers
    ]
    ranked = rank_experts(hits, candidates, asker_id=asker.id, asker_tz=asker.tz, now=now, limit=limit)
    by_key = {(offer.member_id, offer.topic_id): offer for offer in offers}
    return [by_key[(choice.candidate.member_id, choice.candidate.topic_id)] for choice in ranked]


def my_needs(repos: Repos, *, team_id: str, user_id: str) -> list[NeedCard]:
    """The caller's open and matched needs, oldest first."""
    member = repos.members.ensure(team_id, user_id)
    return [NeedCard(need.topic.label, need.status, need.created_at) for need in repos.needs.live_for_member(member)]


def close_need(repos: Repos, catalog: Catalog, *, team_id: str, user_id: str, topic: str, done: bool) -> Changed:
    """Mark a need done or cancelled; says so when there was no such need."""
    member = repos.members.ensure(team_id, user_id)
    row = repos.topics.by_name(team_id, catalog.normalise(topic, team_id))
    status = NeedStatus.CLOSED if done else NeedStatus.CANCELLED
    if row is not None and repos.needs.close(member, [row.id], status):
        return Changed([row.label])
    return Changed([], [topic])


def offer_topics(repos: Repos, catalog: Catalog, *, team_id: str, user_id: str, command: Teach) -> TeachResult:
    """Save what the caller teaches and count who is waiting for it."""
    member = repos.members.ensure(team_id, user_id)
    saved, all_ids, fresh_ids = [], set(), set()
    for text in command.topics:
        row = catalog.topic(repos, team_id, text)
        _, created = repos.offers.upsert(member, row, command.level, command.note)
        saved.append(row.label)
        hit_ids = {hit.topic_id for hit in catalog.search(repos, team_id, text)} | {row.id}
        all_ids |= hit_ids
        if created:
            fresh_ids |= hit_ids
    needs = repos.needs.open_for_topics(team_id, sorted(all_ids), exclude_member=member.id)
    grouped: dict[str, list[WaitingNeed]] = {}
    for need in needs:
        grouped.setdefault(need.topic.label, []).append(WaitingNeed(need.id, need.raw_text, need.created_at))
    waiting = [Waiting(topic, items) for topic, items in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    notify = []
    if not member.paused:
        for need in needs:
            if need.topic_id in fresh_ids and member.id not in repos.matches.experts_of_need(need.id):
                notify.append(NewTeacher(need.id, need.member.user_id, need.topic.label))
    return TeachResult(saved, waiting, member.paused, notify)


def my_topics(repos: Repos, *, team_id: str, user_id: str) -> MyTopics:
    """The caller's offers and whether they are paused."""
    member = repos.members.ensure(team_id, user_id)
    offers = [OfferCard(o.topic.label, o.level, o.note) for o in repos.offers.for_member(member)]
    return MyTopics(offers, member.paused)


def remove_topics(repos: Repos, catalog: Catalog, *, team_id: str, user_id: str, topics: Sequence[str]) -> Changed:
    """Stop teaching these topics."""
    member = repos.members.ensure(team_id, user_id)
    mine = {offer.topic.name: offer for offer in repos.offers.for_member(member)}
    found = [mine[name] for name in dict.fromkeys(catalog.normalise(t, team_id) for t in topics) if name in mine]
    repos.offers.remove(member, [offer.topic_id for offer in found])
    missing = [t for t in topics if catalog.normalise(t, team_id) not in mine]
    return Changed([offer.topic.label for offer in found], missing)


def set_paused(repos: Repos, *, team_id: str, user_id: str, paused: bool) -> bool:
    """Pause or resume being matched; returns whether anything changed."""
    member = repos.members.ensure(team_id, user_id)
    changed = member.paused != paused
    repos.members.set_paused(member, paused)
    return changed
