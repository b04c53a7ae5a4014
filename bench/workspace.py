"""A synthetic large workspace, deterministic from a seed: members, distinct topics, offers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.matcher.text import key
from bot.matcher.vocabulary import shipped

# Words that make a narrower topic of a name ("postgresql performance"); "advanced" or "basics" would not: they
# say how someone asks, and the matcher sets them aside.
QUALIFIERS = (
    "internals",
    "performance",
    "security",
    "testing",
    "migration",
    "architecture",
    "debugging",
    "at scale",
    "tooling",
    "design",
    "operations",
    "patterns",
)
EXTRA = (
    "budgeting",
    "hiring",
    "onboarding",
    "mentoring",
    "pricing",
    "forecasting",
    "copywriting",
    "illustration",
    "photography",
    "typography",
    "negotiation",
    "storytelling",
    "coaching",
    "facilitation",
    "compliance",
    "auditing",
    "procurement",
    "logistics",
    "sales",
    "support",
    "research",
    "writing",
    "editing",
    "podcasting",
    "video editing",
    "spanish",
    "french",
    "german",
    "japanese",
    "mandarin",
    "statistics",
    "calculus",
    "linear algebra",
    "chess",
)
TIMEZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata")


@dataclass(frozen=True)
class Workspace:
    topics: list[str]  # distinct, already normalised
    members: int
    offers: list[tuple[int, int]]  # (member index, topic index)
    member_tz: list[str]


def base_topics() -> list[str]:
    """Real topic names: every topic of the shipped vocabulary, and some non-technical ones."""
    return sorted({concept.key for concept in shipped().concepts.values()} | {key(extra) for extra in EXTRA})


def generate(*, members: int = 100_000, topics: int = 20_000, offers: int = 300_000, seed: int = 7) -> Workspace:
    """Distinct topics from real names plus qualified variants ("postgresql performance"), then random offers."""
    rng = random.Random(seed)
    names = base_topics()
    seen = set(names)
    while len(names) < topics:
        name = key(f"{rng.choice(names[:400])} {rng.choice(QUALIFIERS)}")
        if rng.random() < 0.3:
            name = f"{name} {rng.randrange(2, 99)}"  # versions and course numbers: "react 18"
        if name not in seen:
            seen.add(name)
            names.append(name)
    # Popular topics are taught by many people: a skewed (Zipf-like) pick.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(names))]
    picks = rng.choices(range(len(names)), weights=weights, k=offers)
    pairs = [(rng.randrange(members), topic) for topic in picks]
    zones = [rng.choice(TIMEZONES) for _ in range(members)]
    return Workspace(names, members, pairs, zones)
