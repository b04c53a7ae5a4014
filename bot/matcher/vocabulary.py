"""The topics known before anyone types one: bot/data/vocabulary.json, built by scripts/build_vocabulary.py."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bot.matcher.text import key, plain, squash


@dataclass(frozen=True)
class Concept:
    """A topic of the shipped vocabulary: one display name, a category, and the topics related to it."""

    key: str
    name: str
    category: str
    related: tuple[str, ...] = ()  # keys of other concepts
    renown: int = 0  # how many of the sources know it: breaks a tie between equally close names


# Names that come from a file or an editor mode rather than from people: found when typed, never guessed at.
WEAK_SOURCES = frozenset(
    {"linguist:extension", "linguist:filename", "linguist:scope", "linguist:interpreter", "pygments:file"}
)


# An affix is a spelling when this many topics wear it and name the same thing with and without it, and it makes
# a different topic at most a quarter as often: "js" (reactjs, vuejs…), "lang" (golang), "apache" (apachespark);
# not "script" (Java/JavaScript) or "google".
SPELLING_TOPICS = 4
SPELLING_RATIO = 4


@dataclass(frozen=True)
class Spellings:
    """Prefixes and suffixes people add to a name or leave off without changing what it names."""

    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    @classmethod
    def learn(cls, names: Iterable[tuple[str, str, str]]) -> Spellings:
        owners: dict[str, set[str]] = {}
        for written, concept, kind in names:
            if kind != "weak":
                owners.setdefault(squash(plain(written)), set()).add(concept)
        same: dict[tuple[str, str], set[str]] = {}
        other: dict[tuple[str, str], set[str]] = {}
        for name, concepts in owners.items():
            for cut in range(3, len(name) - 1):
                for side, stem, affix in (("suffix", name[:cut], name[cut:]), ("prefix", name[-cut:], name[:-cut])):
                    if stem in owners and affix.isalpha():
                        tally = same if owners[stem] & concepts else other
                        tally.setdefault((side, affix), set()).add(name)
        kept = {
            found
            for found, wearers in same.items()
            if len(wearers) >= SPELLING_TOPICS and len(wearers) >= SPELLING_RATIO * len(other.get(found, ()))
        }
        # A fragment of a longer affix seen as often ("elopment" of "development") is that affix, not its own.
        kept = {
            (side, affix)
            for side, affix in kept
            if not any(
                side == s and a != affix and (a.endswith(affix) if side == "suffix" else a.startswith(affix))
                for s, a in kept
            )
        }
        return cls(
            tuple(sorted(a for side, a in kept if side == "prefix")),
            tuple(sorted(a for side, a in kept if side == "suffix")),
        )

    def stems(self, squashed: str, shortest: int = 3) -> list[str]:
        """The name without a spelling prefix or suffix: "babeljs" → "babel", "apachecouchdb" → "couchdb"."""
        # One C-level test each way first: most names wear no affix, and every name of a workspace is asked.
        found = (
            [squashed[: -len(s)] for s in self.suffixes if squashed.endswith(s)]
            if squashed.endswith(self.suffixes)
            else []
        )
        if squashed.startswith(self.prefixes):
            found += [squashed[len(p) :] for p in self.prefixes if squashed.startswith(p)]
        return [stem for stem in found if len(stem) >= shortest]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    concepts: dict[str, Concept]
    forms: tuple[tuple[str, str, bool], ...]  # (another name as written, the concept key it names, weak)
    common_words: frozenset[str]  # ordinary English words: a name that is one is trusted less inside a sentence

    @classmethod
    def from_data(
        cls, data: dict[str, Any], *, keep: Callable[[str, str, list[str]], bool] | None = None
    ) -> Vocabulary:
        """Read the generated data; `keep(form, concept_key, sources)` can leave names out (held-out evaluation)."""
        concepts: dict[str, Concept] = {}
        forms: list[tuple[str, str, bool]] = []
        for topic in data["topics"]:
            concept_key = key(topic["name"])
            related = tuple(key(name) for name in topic.get("related", ()))
            renown = len(topic.get("from", ()))
            concepts[concept_key] = Concept(concept_key, topic["name"], topic["category"], related, renown)
            for form, sources in topic.get("forms", {}).items():
                if keep is None or keep(form, concept_key, sources):
                    forms.append((form, concept_key, WEAK_SOURCES.issuperset(sources)))
        return cls(concepts, tuple(forms), frozenset(data["common_words"].split()))

    def related_to(self, concept_key: str) -> list[str]:
        """Concepts that name this one as related (the table says it one way only)."""
        return self._reverse().get(concept_key, [])

    @functools.cache  # noqa: B019 - one vocabulary per process, kept for its lifetime anyway
    def _reverse(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for concept in self.concepts.values():
            for other in concept.related:
                found.setdefault(other, []).append(concept.key)
        return found

    @functools.cached_property
    def spellings(self) -> Spellings:
        """What the vocabulary's own names show to be spelling rather than meaning (see Spellings.learn)."""
        return Spellings.learn(self.names())

    def names(self) -> Iterator[tuple[str, str, str]]:
        """Every (name as written, concept key, kind): kind is "own", "alias" or "weak" (see FormIndex)."""
        for concept in self.concepts.values():
            yield concept.name, concept.key, "own"
        for form, concept_key, weak in self.forms:
            yield form, concept_key, "weak" if weak else "alias"


def _shipped_text() -> str:
    return resources.files("bot").joinpath("data/vocabulary.json").read_text("utf-8")


def shipped_data() -> dict[str, Any]:
    """The generated vocabulary file, parsed."""
    data: dict[str, Any] = json.loads(_shipped_text())
    return data


@functools.cache
def shipped_version() -> str:
    """A short fingerprint of the shipped vocabulary: a new release is a new version."""
    return hashlib.sha256(_shipped_text().encode()).hexdigest()[:16]


@functools.cache
def shipped() -> Vocabulary:
    """The shipped vocabulary, read once per process."""
    return Vocabulary.from_data(shipped_data())
