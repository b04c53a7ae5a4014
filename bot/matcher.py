"""Pure matching: normalise topic text, find candidate topics, rank experts. No I/O, no Slack."""

from __future__ import annotations

import bisect
import heapq
import json
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

# Below this score a topic is not offered as a match: "nobody yet" beats a random expert.
CUTOFF = 86.0
DEFAULT_CAPACITY = 3
SCORE_BAND = 5
# Scores strictly above this rank level with an exact match (100 − 95 is the next band down).
_TOP_BAND = math.nextafter(100.0 - SCORE_BAND, 100.0)

_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")
# Keep characters that carry meaning in technical names: c++, c#, .net, node.js, ci/cd.
_PUNCT = re.compile(r"[^\w\s+#./&]|_")
_EDGE = re.compile(r"^[\s./&]+|[\s./&]+$")
_SPACES = re.compile(r"\s+")
_NO_PLURAL = ("ss", "us", "sis", "ics", "ous")
# Names that end in "s" but are not plurals; both sides of a match fold the same way, so this is cosmetic.
_INVARIANT = frozenset({"kubernetes", "jenkins", "pandas", "sass", "less", "redis", "ios", "macos", "windows", "news"})


def load_shipped_aliases() -> dict[str, str]:
    """The alias table shipped in bot/data/aliases.json, keys and values normalised."""
    raw = json.loads(resources.files("bot").joinpath("data/aliases.json").read_text("utf-8"))
    # Canonical names are folded like any typed text, so "nn" and "neural networks" meet at "neural network".
    return {_clean(alias): _fold(_clean(canonical)) for alias, canonical in raw["aliases"].items()}


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _EMOJI_CODE.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return _EDGE.sub("", text)


def _singular(word: str) -> str:
    # Light folding only: "pipelines" → "pipeline", "libraries" → "library"; "analytics", "node.js" stay.
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_PLURAL) or word in _INVARIANT or "." in word:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def normalise(text: str, aliases: Mapping[str, str]) -> str:
    """Canonical form of a topic: NFKC, casefold, punctuation trimmed, plurals folded, aliases applied."""
    cleaned = _clean(text)
    if cleaned in aliases:
        return aliases[cleaned]
    folded = _fold(cleaned)
    return aliases.get(folded, folded)


def _fold(cleaned: str) -> str:
    return " ".join(_singular(word) for word in cleaned.split(" "))


def _sort_key(name: str) -> str:
    # Tokens sorted once per topic at index time, so a query is one fuzz.ratio per topic (token_sort_ratio
    # would re-sort every choice on every query).
    return " ".join(sorted(name.split(" ")))


@dataclass(frozen=True)
class TopicHit:
    topic_id: int
    name: str
    score: float


# New topics go to a short unsorted list beside the sorted ones, merged in when it reaches this length: inserting
# into the sorted lists copied all 20,000 names per new topic (about 1 ms), the short list costs ~0.1 ms a search.
MERGE_AT = 1024


@dataclass(frozen=True)
class _TeamTopics:
    """One workspace's topics: a snapshot that searches never see change.

    The base lists are sorted by key length so a query scores one slice of plausible lengths, and never change.
    Topics added since the base was built are appended to `added_names`/`added_keys`, which every later snapshot
    shares; a snapshot sees the first `generation` of them. Only `ids` is shared and grows in place.
    """

    ids: dict[str, int]  # normalised name → topic id
    lengths: list[int]  # parallel lists, sorted by (length, key)
    keys: list[str]
    names: list[str]
    added_names: list[str] = field(default_factory=list)
    added_keys: list[str] = field(default_factory=list)
    generation: int = 0

    @classmethod
    def build(cls, ids: dict[str, int]) -> _TeamTopics:
        rows = sorted((len(key), key, name) for name, key in ((name, _sort_key(name)) for name in ids))
        return cls(ids, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def _length_window(length: int, cutoff: float) -> tuple[int, int]:
    # ratio = 2·matches / (len_a + len_b) · 100 ≥ cutoff needs the shorter string to be at least
    # cutoff / (200 − cutoff) of the longer: other lengths cannot reach the cutoff, so they are not scored.
    factor = cutoff / (200 - cutoff)
    return int(length * factor), int(length / factor) + 1


class TopicIndex:
    """Each workspace's distinct topic names in memory, kept fresh on writes (no table scan per query)."""

    def __init__(self, remember: int = 4096) -> None:
        self._lock = threading.Lock()
        self._teams: dict[str, _TeamTopics] = {}
        # Recent searches: people ask for the same topics over and over. An answer remembers the snapshot it was
        # computed from; later it is served as is, or brought up to date with the topics added since.
        self._remember = remember
        self._recent: OrderedDict[tuple[str, str, int, float], tuple[_TeamTopics, list[TopicHit]]] = OrderedDict()

    def is_loaded(self, team_id: str) -> bool:
        return team_id in self._teams

    def load(self, team_id: str, rows: Iterable[tuple[int, str]]) -> None:
        ids: dict[str, int] = {}
        for topic_id, name in rows:
            ids.setdefault(name, topic_id)
        topics = _TeamTopics.build(ids)
        with self._lock:
            self._teams[team_id] = topics

    def add(self, team_id: str, topic_id: int, name: str) -> None:
        with self._lock:
            topics = self._teams.get(team_id) or _TeamTopics.build({})
            if name in topics.ids:
                return
            topics.ids[name] = topic_id
            if topics.generation >= MERGE_AT:
                self._teams[team_id] = _TeamTopics.build(topics.ids)
                return
            topics.added_names.append(name)
            topics.added_keys.append(_sort_key(name))
            self._teams[team_id] = replace(topics, generation=len(topics.added_names))

    def search(self, team_id: str, name: str, limit: int = 5, *, top_band: bool = False) -> list[TopicHit]:
        """Topics close to a normalised name, best first; an exact name always ranks first.

        `top_band` keeps only the topics that rank level with an exact match (see `rank_experts`): a narrower,
        cheaper search that is enough whenever those topics have teachers to spare.
        """
        cutoff = _TOP_BAND if top_band else CUTOFF
        topics = self._teams.get(team_id)
        if topics is None or not name:
            return []
        key = (team_id, name, limit, cutoff)
        with self._lock:
            recent = self._recent.get(key)
        if recent is not None and recent[0] is topics:
            hits = recent[1]
        elif recent is not None and recent[0].added_names is topics.added_names:
            # Same base: only the topics added since need scoring against the earlier answer.
            added = _score_added(topics, recent[0].generation, name, limit, cutoff)
            hits = _merge(recent[1], topics, added, limit)
        else:
            hits = _search(topics, name, limit, cutoff)
        with self._lock:
            self._recent[key] = (topics, hits)
            self._recent.move_to_end(key)
            if len(self._recent) > self._remember:
                self._recent.popitem(last=False)
        return list(hits)


def _search(topics: _TeamTopics, name: str, limit: int, cutoff: float) -> list[TopicHit]:
    query = _sort_key(name)
    shortest, longest = _length_window(len(query), cutoff)
    start = bisect.bisect_left(topics.lengths, shortest)
    stop = bisect.bisect_right(topics.lengths, longest)
    hits: dict[str, float] = {}
    if name in topics.ids:
        hits[name] = 100.0
    found = process.extract(query, topics.keys[start:stop], scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    for _, score, position in found:
        hits.setdefault(topics.names[start + position], float(score))
    return _merge([], topics, hits | _score_added(topics, 0, name, limit, cutoff), limit)


def _score_added(topics: _TeamTopics, since: int, name: str, limit: int, cutoff: float) -> dict[str, float]:
    """Scores of the added topics from position `since` on, as far as this snapshot sees them."""
    keys = topics.added_keys[since : topics.generation]
    found = process.extract(_sort_key(name), keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    hits = {topics.added_names[since + position]: float(score) for _, score, position in found}
    if name in topics.added_names[since : topics.generation]:
        hits[name] = 100.0
    return hits


def _merge(earlier: list[TopicHit], topics: _TeamTopics, scores: dict[str, float], limit: int) -> list[TopicHit]:
    hits = {hit.name: hit.score for hit in earlier}
    for choice, score in scores.items():
        hits[choice] = max(score, hits.get(choice, 0.0))
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [TopicHit(topics.ids[choice], choice, score) for choice, score in ranked]


@dataclass(frozen=True)
class Candidate:
    """An expert offering a topic, with what ranking needs to know about them."""

    member_id: int
    topic_id: int
    tz: str | None
    open_matches: int
    kudos: int
    away: bool = False
    recent_matches: int = 0  # matches in the last few weeks, decided or not: spreads the load
    matched_before: bool = False  # this expert already met this learner: a new pair is preferred


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
    """Best experts first: topic score, then fewer open matches, closer timezone, more kudos, then id."""
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

    def order(item: tuple[float, Candidate]) -> tuple[int, int, bool, int, float, int, int]:
        score, c = item
        # Scores in 5-point bands: a typo's 96 vs 100 should not outweigh fairness between equally good experts.
        band = int((100 - score) // SCORE_BAND)
        return (band, c.open_matches, c.matched_before, c.recent_matches, distance[c.tz], -c.kudos, c.member_id)

    return [Ranked(c, score) for score, c in heapq.nsmallest(limit, best.values(), key=order)]


def _utc_offset(tz: str | None, now: datetime) -> float:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset() if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        offset = None
    return (offset or timedelta()).total_seconds() / 3600
