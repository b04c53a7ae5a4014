"""Topics of a workspace: normalisation with aliases, and the in-memory index the matcher searches."""

from __future__ import annotations

from bot.matcher import TopicHit, TopicIndex, load_shipped_aliases, normalise
from store.models import Topic
from store.repos import Repos


class Catalog:
    """The shipped alias table plus every workspace's topic index; one per process, shared by threads."""

    def __init__(self, aliases: dict[str, str] | None = None) -> None:
        self.aliases = load_shipped_aliases() if aliases is None else aliases
        self.index = TopicIndex()

    def normalise(self, text: str) -> str:
        return normalise(text, self.aliases)

    def topic(self, repos: Repos, team_id: str, text: str) -> Topic:
        """The topic this text names, created if new, and known to the index."""
        self._ensure_loaded(repos, team_id)
        topic = repos.topics.ensure(team_id, self.normalise(text), text.strip()[:100])
        self.index.add(team_id, topic.id, topic.name)
        return topic

    def search(self, repos: Repos, team_id: str, text: str) -> list[TopicHit]:
        """Topics close to this text, best first."""
        self._ensure_loaded(repos, team_id)
        return self.index.search(team_id, self.normalise(text))

    def _ensure_loaded(self, repos: Repos, team_id: str) -> None:
        if not self.index.is_loaded(team_id):
            self.index.load(team_id, repos.topics.names(team_id))
