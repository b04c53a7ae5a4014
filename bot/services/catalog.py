"""Topics of a workspace: normalisation with aliases, and the in-memory index the matcher searches."""

from __future__ import annotations

import threading

from bot.matcher import TopicHit, TopicIndex, load_shipped_aliases, normalise
from store.models import Topic
from store.repos import Repos


class Catalog:
    """The shipped alias table, each workspace's learned aliases, and its topic index; one per process."""

    def __init__(self, aliases: dict[str, str] | None = None) -> None:
        self.aliases = load_shipped_aliases() if aliases is None else aliases
        self.index = TopicIndex()
        self._learned: dict[str, dict[str, str]] = {}
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

    def search(self, repos: Repos, team_id: str, text: str) -> list[TopicHit]:
        """Topics close to this text, best first."""
        self._ensure_loaded(repos, team_id)
        return self.index.search(team_id, self.normalise(text, team_id))

    def learn_alias(self, repos: Repos, team_id: str, text: str, topic: Topic) -> None:
        """A confirmed match taught us that `text` means `topic` here (`kube ops` → kubernetes)."""
        self._ensure_loaded(repos, team_id)
        alias = self.normalise(text, team_id)
        if alias and alias != topic.name and repos.aliases.learn(team_id, alias, topic.id):
            with self._lock:
                self._learned.setdefault(team_id, {})[alias] = topic.name

    def _ensure_loaded(self, repos: Repos, team_id: str) -> None:
        if not self.index.is_loaded(team_id):
            learned = repos.aliases.for_team(team_id)
            with self._lock:
                self._learned[team_id] = learned
            self.index.load(team_id, repos.topics.names(team_id))
