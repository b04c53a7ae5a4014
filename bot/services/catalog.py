"""Topics of a workspace: normalisation with aliases, and the in-memory index the matcher searches."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from bot.matcher import TopicHit, TopicIndex, load_shipped_aliases, normalise
from store.models import Topic
from store.repos import Repos


@dataclass
class _Synced:
    checked: float  # time.monotonic() of the last look for other replicas' writes
    topic_id: int  # the newest topic and alias this process knows of
    alias_id: int


class Catalog:
    """The shipped alias table, each workspace's learned aliases, and its topic index; one per process.

    Other replicas create topics and learn aliases too: every `sync_every` seconds a search first picks up what
    was added since (two indexed queries on ids), so a topic taught through one replica is found through all.
    """

    def __init__(self, aliases: dict[str, str] | None = None, sync_every: float = 5.0) -> None:
        self.aliases = load_shipped_aliases() if aliases is None else aliases
        self.index = TopicIndex()
        self.sync_every = sync_every
        self._learned: dict[str, dict[str, str]] = {}
        self._synced: dict[str, _Synced] = {}
        self._lock = threading.Lock()

    def normalise(self, text: str, team_id: str | None = None) -> str:
        """The canonical name of a topic; a workspace's learned aliases apply on top of the shipped ones."""
        name = normalise(text, self.aliases)
        return self._learned.get(team_id or "", {}).get(name, name)

    def topic(self, repos: Repos, team_id: str, text: str) -> Topic:
        """The topic this text names, created if new, and known to the index."""
        self._ensure_loaded(repos, team_id)
        topic = repos.topics.ensure(team_id, self.normalise(text, team_id), text.strip()[:100])
        self.index.add(team_id, topic.id, topic.name)
        return topic

    def search(self, repos: Repos, team_id: str, text: str, *, top_band: bool = False) -> list[TopicHit]:
        """Topics close to this text, best first (`top_band`: only those level with an exact match)."""
        self._ensure_loaded(repos, team_id)
        return self.index.search(team_id, self.normalise(text, team_id), top_band=top_band)

    def learn_alias(self, repos: Repos, team_id: str, text: str, topic: Topic) -> None:
        """A confirmed match taught us that `text` means `topic` here (`kube ops` → kubernetes)."""
        self._ensure_loaded(repos, team_id)
        alias = self.normalise(text, team_id)
        if alias and alias != topic.name and repos.aliases.learn(team_id, alias, topic.id):
            with self._lock:
                self._learned.setdefault(team_id, {})[alias] = topic.name

    def _ensure_loaded(self, repos: Repos, team_id: str) -> None:
        synced = self._synced.get(team_id)
        if not self.index.is_loaded(team_id) or synced is None:
            state = _Synced(time.monotonic(), repos.topics.last_id(team_id), repos.aliases.last_id(team_id))
            learned = repos.aliases.for_team(team_id)
            with self._lock:
                self._learned[team_id] = learned
            self.index.load(team_id, repos.topics.names(team_id))
            self._synced[team_id] = state
        elif time.monotonic() - synced.checked >= self.sync_every:
            self._catch_up(repos, team_id, synced)

    def _catch_up(self, repos: Repos, team_id: str, synced: _Synced) -> None:
        synced.checked = time.monotonic()
        for topic_id, name in repos.topics.newer(team_id, synced.topic_id):
            self.index.add(team_id, topic_id, name)
            synced.topic_id = max(synced.topic_id, topic_id)
        last_alias = repos.aliases.last_id(team_id)
        if last_alias > synced.alias_id:
            learned = repos.aliases.for_team(team_id, after_id=synced.alias_id)
            with self._lock:
                self._learned.setdefault(team_id, {}).update(learned)
            synced.alias_id = last_alias
