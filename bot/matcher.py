"""Pure matching: normalise topic text, find candidate topics, rank experts. No I/O, no Slack."""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

# Below this score a topic is not offered as a match: "nobody yet" beats a random expert.
CUTOFF = 86.0
DEFAULT_CAPACITY = 3

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
    table: dict[str, str] = {}
    for alias, canonical in raw["aliases"].items():
        table[_clean(alias)] = _clean(canonical)
    return table


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
    folded = " ".join(_singular(word) for word in cleaned.split(" "))
    return aliases.get(folded, folded)


@dataclass(frozen=True)
class TopicHit:
    topic_id: int
    name: str
    score: float


class TopicIndex:
    """Each workspace's distinct topic names in memory, kept fresh on writes (no table scan per query)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_team: dict[str, dict[str, int]] = {}
        self._choices: dict[str, list[str]] = {}

    def is_loaded(self, team_id: str) -> bool:
        return team_id in self._by_team

    def load(self, team_id: str, rows: Iterable[tuple[int, str]]) -> None:
        names = {name: topic_id for topic_id, name in rows}
        with self._lock:
            self._by_team[team_id] = names
            self._choices[team_id] = list(names)

    def add(self, team_id: str, topic_id: int, name: str) -> None:
        with self._lock:
            names = self._by_team.setdefault(team_id, {})
            if name not in names:
                names[name] = topic_id
                # Copy-on-write: a query running in another thread keeps its own list.
                self._choices[team_id] = [*self._choices.get(team_id, []), name]

    def search(self, team_id: str, name: str, limit: int = 5) -> list[TopicHit]:
        """Topics close to a normalised name, best first; an exact name always ranks first."""
        names = self._by_team.get(team_id, {})
        hits: dict[str, float] = {}
        if name in names:
            hits[name] = 100.0
        found = process.extract(
            name, self._choices.get(team_id, []), scorer=fuzz.token_sort_ratio, score_cutoff=CUTOFF, limit=limit
        )
        for choice, score, _ in found:
            hits.setdefault(choice, float(score))
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [TopicHit(names[choice], choice, score) for choice, score in ranked]


@dataclass(frozen=True)
class Candidate:
    """An expert offering a topic, with what ranking needs to know about them."""

    member_id: int
    topic_id: int
    tz: str | None
    open_matches: int
    kudos: int
    away: bool = False


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
    best: dict[int, Ranked] = {}
    for candidate in candidates:
        if candidate.member_id == asker_id or candidate.away or candidate.open_matches >= capacity:
            continue
        score = score_of.get(candidate.topic_id)
        if score is None:
            continue
        kept = best.get(candidate.member_id)
        if kept is None or score > kept.score:
            best[candidate.member_id] = Ranked(candidate, score)
    asker_offset = _utc_offset(asker_tz, now)

    def order(ranked: Ranked) -> tuple[float, int, float, int, int]:
        c = ranked.candidate
        distance = abs(_utc_offset(c.tz, now) - asker_offset)
        return (-ranked.score, c.open_matches, distance, -c.kudos, c.member_id)

    return sorted(best.values(), key=order)[:limit]


def _utc_offset(tz: str | None, now: datetime) -> float:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset() if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        offset = None
    return (offset or timedelta()).total_seconds() / 3600
