"""Rank the experts of the topics an ask names: score band, fairness, availability, endorsements, timezone, kudos."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CAPACITY = 3
SCORE_BAND = 5


@dataclass(frozen=True)
class TopicHit:
    """A topic of this workspace and how well the ask named it (0–100)."""

    topic_id: int
    name: str
    score: float


class Candidate(NamedTuple):
    """An expert offering a topic, with what ranking needs to know about them (a tuple: /learn ranks dozens)."""

    member_id: int
    topic_id: int
    tz: str | None
    open_matches: int
    kudos: int
    away: bool = False
    recent_matches: int = 0  # matches in the last few weeks, decided or not: spreads the load
    matched_before: bool = False  # this expert already met this learner: a new pair is preferred
    endorsements: int = 0  # colleagues who thanked them for a session on this topic


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float


def rank_experts(
    hits: Sequence[TopicHit],
    candidates: Iterable[Candidate],
    *,
    asker_id: int,
    asker_tz: str | None,
    now: datetime,
    limit: int = 3,
    capacity: int = DEFAULT_CAPACITY,
) -> list[Ranked]:
    """Best experts first: topic score, then fewer open matches (and new pairs, spread load), more endorsements for
    this topic, closer timezone, more kudos, then id."""
    score_of = {hit.topic_id: hit.score for hit in hits}
    # One tight pass: a popular topic can have thousands of experts (see bench/matcher.py).
    best: dict[int, tuple[float, Candidate]] = {}
    for candidate in candidates:
        score = score_of.get(candidate.topic_id)
        if score is None or candidate.away or candidate.open_matches >= capacity or candidate.member_id == asker_id:
            continue
        kept = best.get(candidate.member_id)
        if kept is None or score > kept[0]:
            best[candidate.member_id] = (score, candidate)
    # Thousands of experts live in a handful of timezones: one offset lookup per zone.
    asker_offset = _utc_offset(asker_tz, now)
    distance = {tz: abs(_utc_offset(tz, now) - asker_offset) for tz in {c.tz for _, c in best.values()}}

    def order(item: tuple[float, Candidate]) -> tuple[int, int, bool, int, int, float, int, int]:
        score, c = item
        # Scores in 5-point bands: a typo's 96 vs 100 should not outweigh fairness between equally good experts.
        band = int((100 - score) // SCORE_BAND)
        # Fairness first; then a thank-you for this very topic says more than a nearby clock or kudos for anything.
        fair = (band, c.open_matches, c.matched_before, c.recent_matches)
        return (*fair, -c.endorsements, distance[c.tz], -c.kudos, c.member_id)

    return [Ranked(c, score) for score, c in heapq.nsmallest(limit, best.values(), key=order)]


def _utc_offset(tz: str | None, now: datetime) -> float:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset() if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        offset = None
    return (offset or timedelta()).total_seconds() / 3600
