"""Who can teach a topic here: the ranked experts of a need, and the related topics colleagues teach."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain import Level
from bot.matcher import Candidate, TopicHit, rank_experts
from bot.services.catalog import Catalog
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
    endorsements: int = 0  # colleagues who thanked them for a session on this topic


@dataclass(frozen=True)
class Choice:
    """A topic to offer in a button: a "did you mean…?" candidate, or a related topic taught here."""

    key: str
    label: str
    teachers: int  # colleagues who teach it here and can be asked now


class HasStatus(Protocol):
    @property
    def status_emoji(self) -> str | None: ...

    @property
    def status_text(self) -> str | None: ...


def is_away(member: HasStatus) -> bool:
    """A Slack status that says the person is away (vacation, sick, travelling)."""
    text = (member.status_text or "").casefold()
    return member.status_emoji in _AWAY_EMOJI or any(word in text for word in _AWAY_WORDS)


class Asker(Protocol):
    """Who asks: a Member, or the row /learn reads."""

    @property
    def id(self) -> int: ...

    @property
    def team_id(self) -> str: ...

    @property
    def tz(self) -> str | None: ...


def find_experts(
    repos: Repos,
    asker: Asker,
    topics: Sequence[TopicHit],
    now: datetime,
    *,
    exclude: Collection[int] = (),
    limit: int = 3,
) -> list[ExpertCard]:
    """The best available experts for these topics, never the asker nor `exclude`; empty when none teaches."""
    offers = [
        offer
        for offer in repos.offers.experts_for(
            asker.team_id, [t.topic_id for t in topics], learner_id=asker.id, since=now - RECENT
        )
        if offer.member_id not in exclude
    ]
    ranked = rank_experts(
        topics, [_candidate(offer) for offer in offers], asker_id=asker.id, asker_tz=asker.tz, now=now, limit=limit
    )
    by_key = {(offer.member_id, offer.topic_id): offer for offer in offers}
    return [_card(by_key[(choice.candidate.member_id, choice.candidate.topic_id)]) for choice in ranked]


def _candidate(offer: ExpertRow) -> Candidate:
    # Positional, in Candidate's field order: a /learn makes dozens, and keywords take twice as long.
    return Candidate(
        offer.member_id,
        offer.topic_id,
        offer.tz,
        offer.open_matches,
        offer.kudos,
        bool(offer.status_emoji or offer.status_text) and is_away(offer),  # away; most show no status
        offer.recent_matches,
        offer.met_learner,  # matched_before
        offer.endorsements,
    )


def _card(offer: ExpertRow) -> ExpertCard:
    return ExpertCard(
        user_id=offer.user_id,
        display_name=offer.display_name,
        topic=offer.topic_label,
        level=offer.level,
        note=offer.note,
        tz=offer.tz,
        kudos=offer.kudos,
        endorsements=offer.endorsements,
    )


def choices(repos: Repos, catalog: Catalog, team_id: str, keys: Sequence[str]) -> list[Choice]:
    """Buttons for these topics, with how many colleagues teach each here."""
    ids = {k: catalog.topic_id(repos, team_id, k) for k in keys}
    counts = repos.offers.teacher_counts(team_id, [i for i in ids.values() if i is not None])
    return [Choice(k, catalog.label(team_id, k), counts.get(ids[k] or 0, 0)) for k in dict.fromkeys(keys)]


def related(repos: Repos, catalog: Catalog, team_id: str, topic_key: str, limit: int = 3) -> list[Choice]:
    """Topics colleagues here teach that someone wanting this one may learn from: those its own (paused or
    former) teachers teach, then the vocabulary's related topics. Only evidence counts: a topic that is merely
    popular in the same category is no relation (`git rebase` is not Terraform)."""
    index = catalog.index
    concept = index.concept(topic_key)
    near: list[str] = []
    topic_id = catalog.topic_id(repos, team_id, topic_key)
    if topic_id is not None:
        by_id = {row.id: row.name for row in repos.topics.by_ids(repos.offers.co_taught(team_id, topic_id))}
        near += list(by_id.values())
    if concept is not None:
        near += [*concept.related, *index.vocabulary.related_to(topic_key)]
    found = [c for c in choices(repos, catalog, team_id, [k for k in near if k != topic_key]) if c.teachers]
    order = {key: place for place, key in enumerate(dict.fromkeys(near))}
    ranked = sorted(found, key=lambda c: order[c.key])
    return ranked[:limit]
