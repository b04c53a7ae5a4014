"""The names the matcher searches: the shipped vocabulary, shared by all, and each workspace's own topics."""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.matcher.forms import FormIndex
from bot.matcher.phrasing import Ask
from bot.matcher.resolve import Resolution, resolve
from bot.matcher.teaching import Teaching, choose
from bot.matcher.text import key
from bot.matcher.vocabulary import Concept, Vocabulary, shipped

_versions = itertools.count(1)


@dataclass
class _Team:
    forms: FormIndex  # the workspace's topics: their names and what people here typed for them
    learned: FormIndex = field(default_factory=lambda: FormIndex(derived=False))  # aliases people confirmed here
    ids: dict[str, int] = field(default_factory=dict)  # topic key → topic id
    labels: dict[str, str] = field(default_factory=dict)  # topic key → display name
    version: int = field(default_factory=lambda: next(_versions))  # a new number whenever its names change


@functools.lru_cache(maxsize=4)
def _vocabulary_forms(vocabulary: Vocabulary) -> FormIndex:
    """The vocabulary's names, searchable: built once per vocabulary and process (~75 ms), then only read, so
    every TopicIndex (one per app, several in tests and the console) shares it."""
    return FormIndex(vocabulary.names())


class TopicIndex:
    """Each workspace's topics and learned aliases beside the vocabulary, in memory, kept fresh on writes."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = shipped() if vocabulary is None else vocabulary
        self._shared = _vocabulary_forms(self.vocabulary)
        self._teams: dict[str, _Team] = {}
        self._lock = threading.Lock()

    def _forms(self, names: Iterable[tuple[str, str, str]] = ()) -> FormIndex:
        shared = self._shared
        return FormIndex(
            names,
            derived=False,
            spellings=self.vocabulary.spellings,
            known=lambda part: len(part) >= 2 and bool(shared.topics(part)) and not shared.is_weak(part),
        )

    def _new_team(self) -> _Team:
        return _Team(self._forms())

    def is_loaded(self, team_id: str) -> bool:
        return team_id in self._teams

    def load(
        self, team_id: str, topics: Iterable[tuple[int, str, str]], aliases: Iterable[tuple[str, str]] = ()
    ) -> None:
        """A workspace's topics (id, key, label) and learned aliases (alias, topic key), replacing what was known."""
        team = self._new_team()
        names: list[tuple[str, str, str]] = []
        for topic_id, topic_key, label in topics:
            team.ids.setdefault(topic_key, topic_id)
            team.labels.setdefault(topic_key, label)
            names += _own_names(topic_key, label)
        team.forms = self._forms(names)
        team.learned = FormIndex(((alias, topic, "alias") for alias, topic in aliases), derived=False)
        with self._lock:
            self._teams[team_id] = team

    def forget(self, team_id: str) -> None:
        with self._lock:
            self._teams.pop(team_id, None)

    def add_topic(self, team_id: str, topic_id: int, topic_key: str, label: str) -> None:
        team = self._team(team_id)
        if topic_key in team.ids:
            return
        team.ids[topic_key] = topic_id
        team.labels[topic_key] = label
        for name, _, kind in _own_names(topic_key, label):
            team.forms.add(name, topic_key, kind)
        team.version = next(_versions)

    def add_alias(self, team_id: str, alias: str, topic_key: str) -> None:
        team = self._team(team_id)
        team.learned.add(alias, topic_key, "alias")
        team.version = next(_versions)

    def version(self, team_id: str) -> int:
        """Changes whenever what an ask can name here changes (a topic or alias added, the workspace reloaded):
        an answer given at one version holds for as long as it lasts."""
        team = self._teams.get(team_id)
        return team.version if team else 0

    def resolve(self, team_id: str, text: str, *, learned: bool = True) -> Resolution:
        """Which topics `text` names here: the workspace's own names and the vocabulary's, and with `learned` the
        aliases people here confirmed."""
        team = self._teams.get(team_id) or self._new_team()
        indexes = (team.forms, team.learned, self._shared) if learned else (team.forms, self._shared)
        return resolve(
            Ask.of(text),
            indexes,
            present=team.ids,
            common=self.vocabulary.common_words,
            renown=self._renown,
            spellings=self.vocabulary.spellings,
        )

    def for_teaching(self, team_id: str, text: str) -> Teaching:
        """Where a /teach item is saved: a sure match, else the teacher's own words (matcher/teaching.py)."""
        return choose(self.resolve(team_id, text, learned=False), self.vocabulary.common_words)

    def topic_id(self, team_id: str, topic_key: str) -> int | None:
        team = self._teams.get(team_id)
        return team.ids.get(topic_key) if team else None

    def label(self, team_id: str, topic_key: str) -> str:
        """The one display name of a topic: the vocabulary's, else what people here first called it."""
        concept = self.vocabulary.concepts.get(topic_key)
        if concept is not None:
            return concept.name
        team = self._teams.get(team_id)
        return team.labels.get(topic_key, topic_key) if team else topic_key

    def _renown(self, topic_key: str) -> int:
        concept = self.vocabulary.concepts.get(topic_key)
        return concept.renown if concept else 0

    def concept(self, topic_key: str) -> Concept | None:
        return self.vocabulary.concepts.get(topic_key)

    def key_of(self, text: str) -> str:
        return key(text)

    def _team(self, team_id: str) -> _Team:
        if (team := self._teams.get(team_id)) is not None:  # every /learn comes here: no lock, no new _Team
            return team
        with self._lock:
            return self._teams.setdefault(team_id, self._new_team())


def _own_names(topic_key: str, label: str) -> list[tuple[str, str, str]]:
    """A topic is found by its label; by its key too when that is not just the label folded ("gams" → "gam")."""
    names = [(label, topic_key, "own")]
    if label.casefold() != topic_key and key(label) != topic_key:  # the first test spares most names a re-cut
        names.append((topic_key, topic_key, "own"))
    return names
