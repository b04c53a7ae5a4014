"""The topics of each workspace, beside the shipped vocabulary: what an ask names, and the rows it names."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.matcher import Resolution, TopicIndex, key
from bot.matcher.teaching import Teaching
from bot.matcher.text import plain
from bot.matcher.vocabulary import Vocabulary
from store.models import Topic
from store.repos import Repos, TopicRef

REMEMBERED = 10_000  # asks whose answers are kept, all workspaces together


@dataclass
class _Synced:
    checked: float  # Catalog.timer() of the last look for other replicas' writes
    topic_id: int  # the newest topic and alias this process knows of
    alias_id: int


class Catalog:
    """One per process: the topic index the matcher searches, loaded per workspace on first use.

    Other replicas create topics and learn aliases too: every `sync_every` seconds a lookup first picks up what
    was added since (two indexed queries on ids), so a topic taught through one replica is found through all. An
    ask that names nothing known looks at once (at most every `miss_recheck` seconds): a topic just taught through
    another worker is found, not answered with "nobody teaches".
    """

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        sync_every: float = 5.0,
        miss_recheck: float = 0.2,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.index = TopicIndex(vocabulary)
        self.sync_every = sync_every
        self.miss_recheck = miss_recheck  # an ask naming nothing known looks for new topics at most this often
        self.timer = timer
        self._synced: dict[str, _Synced] = {}
        self._resolved: dict[tuple[str, str], tuple[int, Resolution]] = {}  # (team, ask) → (index version, answer)
        self._lock = threading.Lock()

    def resolve(self, repos: Repos, team_id: str, text: str) -> Resolution:
        """Which topics this ask names here (see bot.matcher.resolve)."""
        self._ensure_loaded(repos, team_id)
        # Asks repeat ("python", "intro to kubernetes"): an answer is remembered while the workspace's names stay
        # as they were when it was found.
        version = self.index.version(team_id)
        remembered = self._resolved.get((team_id, text))
        if remembered is not None and remembered[0] == version:
            found = remembered[1]
            if found.confident:
                return found
        else:
            found = self.index.resolve(team_id, text)
        if not found.confident and self._caught_up_now(repos, team_id):
            # A miss may be a topic another worker or replica added in the last seconds: look before saying nobody.
            version = self.index.version(team_id)
            found = self.index.resolve(team_id, text)
        if len(self._resolved) >= REMEMBERED:
            self._resolved.clear()
        self._resolved[(team_id, text)] = (version, found)
        return found

    def for_teaching(self, repos: Repos, team_id: str, text: str) -> Teaching:
        """Where a /teach item is saved: a sure match, else the teacher's own words (bot.matcher.teaching)."""
        self._ensure_loaded(repos, team_id)
        return self.index.for_teaching(team_id, text)

    def label(self, team_id: str, topic_key: str) -> str:
        """A topic's one display name: the vocabulary's, else what people here first called it."""
        return self.index.label(team_id, topic_key)

    def topic_id(self, repos: Repos, team_id: str, topic_key: str) -> int | None:
        """The workspace's row for this topic, when someone here teaches or wants it."""
        self._ensure_loaded(repos, team_id)
        found = self.index.topic_id(team_id, topic_key)
        if found is None and self._caught_up_now(repos, team_id):
            found = self.index.topic_id(team_id, topic_key)
        return found

    def topic(self, repos: Repos, team_id: str, topic_key: str, typed: str = "") -> Topic:
        """The row for a topic, created on first use under its display name, and known to the index."""
        row = repos.topics.ensure(team_id, topic_key, self._new_label(repos, team_id, topic_key, typed))
        self._add_topic(repos, team_id, row.id, row.name, row.label)
        return row

    def topic_ref(self, repos: Repos, team_id: str, topic_key: str, typed: str = "") -> TopicRef:
        """`topic`, read as a plain row (what /learn needs of it)."""
        row = repos.topics.ref(team_id, topic_key, self._new_label(repos, team_id, topic_key, typed))
        self._add_topic(repos, team_id, row.id, row.name, row.label)
        return row

    def _add_topic(self, repos: Repos, team_id: str, topic_id: int, name: str, label: str) -> None:
        """The index learns a topic once its row is saved: a rolled-back one is never found."""
        if self.index.topic_id(team_id, name) != topic_id:
            repos.on_commit(lambda: self.index.add_topic(team_id, topic_id, name, label))

    def _new_label(self, repos: Repos, team_id: str, topic_key: str, typed: str) -> str:
        """The display name a topic is created under: the vocabulary's, else the words as typed."""
        self._ensure_loaded(repos, team_id)
        concept = self.index.concept(topic_key)
        return concept.name if concept else (typed.strip() or topic_key)[:100]

    def new_topic_key(self, text: str) -> str:
        """The key of a topic nobody named before, from its words as typed."""
        return key(text)[:100]

    def learn_alias(self, repos: Repos, team_id: str, text: str, topic: Topic, member_id: int) -> None:
        """Someone confirmed that `text` means `topic` ("kube ops" → Kubernetes). It holds for them at once, and
        for every lookup here once uncontested: two people chose it and nobody chose otherwise."""
        self._ensure_loaded(repos, team_id)
        alias = plain(text)[:100]
        if not alias or key(alias) == topic.name:
            return
        agreed = repos.aliases.choose(team_id, alias, topic.id, member_id)
        if agreed and repos.aliases.learn(team_id, alias, topic.id):
            self._add_alias(repos, team_id, alias, topic.name)

    def remember_words(self, repos: Repos, team_id: str, text: str, topic: Topic) -> None:
        """A teacher's own words for a topic they were surely matched to ("Fishing" for fish, "k8s ops" for
        Kubernetes): every way someone here typed a topic is a name of it, typos and all."""
        alias = plain(text)[:100]
        if alias and key(alias) != topic.name and repos.aliases.learn(team_id, alias, topic.id):
            self._add_alias(repos, team_id, alias, topic.name)

    def _add_alias(self, repos: Repos, team_id: str, alias: str, topic_name: str) -> None:
        repos.on_commit(lambda: self.index.add_alias(team_id, alias, topic_name))

    def chosen_by(self, repos: Repos, member_id: int, text: str) -> str | None:
        """The topic this person said `text` means, when they answered "did you mean…?" for it before."""
        alias = plain(text)[:100]
        return repos.aliases.chosen_by(member_id, alias) if alias else None

    def forget(self, team_id: str) -> None:
        """Drop what is known of a workspace: the next lookup loads it again (its topics were moved)."""
        with self._lock:
            self._synced.pop(team_id, None)
        self.index.forget(team_id)

    def _ensure_loaded(self, repos: Repos, team_id: str) -> None:
        synced = self._synced.get(team_id)
        if not self.index.is_loaded(team_id) or synced is None:
            state = _Synced(self.timer(), repos.topics.last_id(team_id), repos.aliases.last_id(team_id))
            self.index.load(team_id, repos.topics.names(team_id), repos.aliases.for_team(team_id).items())
            with self._lock:
                self._synced[team_id] = state
        elif self.timer() - synced.checked >= self.sync_every:
            self._catch_up(repos, team_id, synced)

    def _caught_up_now(self, repos: Repos, team_id: str) -> bool:
        """Pick up other processes' topics and aliases at once (not waiting for `sync_every`): did any arrive?"""
        synced = self._synced.get(team_id)
        if synced is None or self.timer() - synced.checked < self.miss_recheck:
            return False
        before = self.index.version(team_id)
        self._catch_up(repos, team_id, synced)
        return self.index.version(team_id) != before

    def _catch_up(self, repos: Repos, team_id: str, synced: _Synced) -> None:
        synced.checked = self.timer()
        for topic_id, name, label in repos.topics.newer(team_id, synced.topic_id):
            self.index.add_topic(team_id, topic_id, name, label)
            synced.topic_id = max(synced.topic_id, topic_id)
        last_alias = repos.aliases.last_id(team_id)
        if last_alias > synced.alias_id:
            for alias, topic_name in repos.aliases.for_team(team_id, after_id=synced.alias_id).items():
                self.index.add_alias(team_id, alias, topic_name)
            synced.alias_id = last_alias
