"""An outside evaluation of the matcher: asks it has not seen, built from public data, next to naive baselines.

The workspace: one colleague teaches each programming language GitHub Linguist knows, under its name; a tenth of
the languages are taught by nobody, so that "nobody" is sometimes the right answer.

The asks, all generated here, none read by the matcher:
- aliases: the other names Linguist, Pygments, Prism and highlight.js give the taught languages, held out in five
  folds. For each
  fold, the matcher is built from the vocabulary without that fold's entries of that source, and asked for them:
  what it finds comes from the other source, the language's other fields (extensions, interpreters) or its own
  rules. "aliases (strict)" removes every spelling of the name from every source, so only the rules are left.
  The shipped vocabulary keeps them all.
- variants: the name run together, hyphenated, or with its symbols spelled out ("c sharp").
- phrasings: the name inside templates written blind to the matcher (bench/data/phrasings.txt), half used while
  building the matcher (dev), half never looked at while tuning (test).
- typos: one letter left out, or two neighbouring letters swapped, anywhere in the name.
- not taught: the names of the languages nobody teaches, in the same templates: the right answer is nobody.
"""

from __future__ import annotations

import difflib
import random
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.matcher import TopicIndex
from bot.matcher.text import key, squash, symbol_variants
from bot.matcher.vocabulary import Vocabulary

TEAM = "TEVAL"
FOLDS = 5
PHRASINGS = Path(__file__).parent / "data" / "phrasings.txt"
OUTCOMES = ("first", "asked", "nobody", "asked_wrong", "wrong")
PUBLIC_ALIASES = frozenset({"linguist:alias", "pygments:alias", "prism:alias", "highlightjs:alias"})


@dataclass(frozen=True)
class Query:
    text: str
    expected: str | None  # topic key, or None when nobody teaches it
    fold: int = -1  # the held-out fold this alias belongs to; -1: asked of the full vocabulary
    source: str = ""  # the source entry held out ("linguist:alias", "pygments:alias")


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (ask, expected, answer)

    def add(self, outcome: str, query: Query, answer: str) -> None:
        self.counts[outcome] += 1
        if outcome != "first" and not (query.expected is None and outcome == "nobody"):
            self.misses.append((query.text, query.expected or "(nobody)", answer))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rate(self, outcome: str) -> float:
        return self.counts[outcome] / self.total if self.total else 0.0

    def right(self, negative: bool) -> float:
        return self.rate("nobody") if negative else self.rate("first")


@dataclass(frozen=True)
class Workspace:
    taught: dict[str, str]  # topic key → name as taught
    untaught: dict[str, str]


def workspace(data: dict[str, Any], seed: int = 5) -> Workspace:
    languages = {key(t["name"]): t["name"] for t in data["topics"] if t["category"] == "Programming languages"}
    rng = random.Random(seed)
    untaught = set(rng.sample(sorted(languages), len(languages) // 10))
    return Workspace(
        {k: n for k, n in languages.items() if k not in untaught}, {k: n for k, n in languages.items() if k in untaught}
    )


def _fold(text: str) -> int:
    return zlib.crc32(text.encode()) % FOLDS


def alias_queries(data: dict[str, Any], space: Workspace) -> list[Query]:
    """Other names of taught languages from Linguist and Pygments that name one language and are not its name."""
    owners: dict[str, set[str]] = {}
    for topic in data["topics"]:
        for form in (topic["name"], *topic.get("forms", {})):
            owners.setdefault(squash(key(form)), set()).add(key(topic["name"]))
    queries = []
    for topic in data["topics"]:
        topic_key = key(topic["name"])
        if topic_key not in space.taught:
            continue
        for form, sources in topic.get("forms", {}).items():
            squashed = squash(key(form))
            if squashed == squash(topic_key) or owners[squashed] != {topic_key}:
                continue
            for source in sorted(set(sources) & PUBLIC_ALIASES):
                queries.append(Query(form, topic_key, _fold(f"{source}:{squashed}"), source))
    return queries


def held_out_vocabulary(data: dict[str, Any], fold: int, queries: list[Query], *, strict: bool) -> Vocabulary:
    """The vocabulary without this fold's entries; `strict`: without any spelling of them, from any source."""
    held = [q for q in queries if q.fold == fold]
    if strict:
        names = {(squash(key(q.text)), q.expected) for q in held}
        return Vocabulary.from_data(data, keep=lambda form, concept, _: (squash(key(form)), concept) not in names)
    entries = {(q.text, q.expected, q.source) for q in held}

    def keep(form: str, concept: str, sources: list[str]) -> bool:
        return any((form, concept, source) not in entries for source in sources)

    return Vocabulary.from_data(data, keep=keep)


def variant_queries(space: Workspace) -> list[Query]:
    queries = []
    for topic_key, name in space.taught.items():
        parts = name.split()
        if len(parts) > 1:
            queries += [Query("".join(parts), topic_key), Query("-".join(parts).lower(), topic_key)]
        for spelled in symbol_variants(key(name)):
            queries.append(Query(spelled, topic_key))
        if "." in name.strip("."):
            queries.append(Query(name.replace(".", " "), topic_key))
    return queries


def templates(split: str) -> list[str]:
    lines = [line.strip() for line in PHRASINGS.read_text().splitlines()]
    kept = [line for line in lines if line and not line.startswith("#")]
    return kept[0::2] if split == "dev" else kept[1::2]


def phrasing_queries(names: dict[str, str], split: str, per_name: int, expected: bool, seed: int) -> list[Query]:
    rng = random.Random(seed)
    forms = templates(split)
    return [
        Query(template.replace("{x}", name if rng.random() < 0.5 else name.lower()), topic_key if expected else None)
        for topic_key, name in sorted(names.items())
        for template in rng.sample(forms, per_name)
    ]


def typo_queries(space: Workspace, seed: int = 9) -> list[Query]:
    """One letter left out, and two neighbouring letters swapped, at a random place in each name of 4+ letters."""
    rng = random.Random(seed)
    queries = []
    for topic_key, name in sorted(space.taught.items()):
        letters = [i for i, ch in enumerate(name) if ch.isalpha()]
        if len(letters) < 4:
            continue
        i = rng.choice(letters)
        queries.append(Query(name[:i] + name[i + 1 :], topic_key))
        pairs = [i for i in letters if i + 1 < len(name) and name[i + 1].isalpha() and name[i] != name[i + 1]]
        if pairs:
            j = rng.choice(pairs)
            queries.append(Query(name[:j] + name[j + 1] + name[j] + name[j + 2 :], topic_key))
    return queries


Answer = Callable[[str], tuple[str, str | None, list[str]]]  # ask → (kind, top topic key, candidates)


def ours(index: TopicIndex) -> Answer:
    def answer(text: str) -> tuple[str, str | None, list[str]]:
        resolution = index.resolve(TEAM, text)
        if resolution.confident:
            # As /learn does: the first named topic somebody teaches; none taught is "nobody teaches it yet".
            taught = [hit.topic for hit in resolution.confident if index.topic_id(TEAM, hit.topic) is not None]
            return ("first", taught[0], []) if taught else ("nobody", None, [])
        if resolution.plausible:
            return "asked", None, [hit.topic for hit in resolution.plausible]
        return "nobody", None, []

    return answer


def difflib_baseline(space: Workspace) -> Answer:
    names = {name.casefold(): k for k, name in space.taught.items()}
    choices = list(names)

    def answer(text: str) -> tuple[str, str | None, list[str]]:
        close = difflib.get_close_matches(text.casefold(), choices, n=1)
        return ("first", names[close[0]], []) if close else ("nobody", None, [])

    return answer


def wratio_baseline(space: Workspace) -> Answer:
    names = list(space.taught.items())
    choices = [name for _, name in names]

    def answer(text: str) -> tuple[str, str | None, list[str]]:
        found = process.extractOne(text, choices, scorer=fuzz.WRatio, processor=_lower)
        return ("first", names[found[2]][0], []) if found else ("nobody", None, [])

    return answer


def _lower(text: str) -> str:
    return text.casefold().strip()


def judge(answer: Answer, queries: Iterable[Query], label: Callable[[str], str]) -> Tally:
    tally = Tally()
    for query in queries:
        kind, top, candidates = answer(query.text)
        if kind == "first":
            right = top == query.expected
            tally.add("first" if right else "wrong", query, label(top or ""))
        elif kind == "asked":
            right = query.expected in candidates
            tally.add("asked" if right else "asked_wrong", query, "did you mean " + ", ".join(map(label, candidates)))
        else:
            tally.add("nobody", query, "nobody")
    return tally
