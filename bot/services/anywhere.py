"""Asking in plain words (a message, a mention, a shortcut): what the words name, before the same services as
/learn and /teach take over. Saves nothing itself."""

from __future__ import annotations

import re

from bot.intent import as_list
from bot.markup import plain
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from store.repos import Repos

# Words said with no verb around them ("kubernetes", "sashiko stitching") are offered as a topic when the matcher
# knows one in them, or when they are few enough to be a name of their own; a longer sentence is no topic.
MAX_BARE_WORDS = 4
# A message shortcut reads the start of a long message only: its first lines say what it is about.
MAX_SCANNED = 600
_LEVEL_OR_NOTE = re.compile(r"\s(?:-{1,2}|—|–)\s|—|\blevel\s*:", re.IGNORECASE)


def topics_in(scope: Scope, *, text: str, limit: int = 3) -> list[str]:
    """The display names of the topics a message names, surest first."""
    repos, catalog, team_id = scope.repos, scope.catalog, scope.team
    said = plain(text[:MAX_SCANNED]).text
    if not said:
        return []
    found = catalog.resolve(repos, team_id, said)
    hits = found.confident or found.plausible
    return list(dict.fromkeys(catalog.label(team_id, hit.topic) for hit in hits))[:limit]


def known_topic(scope: Scope, *, words: str) -> bool:
    """Whether words name a topic peerlearn surely knows (taught or asked for before), not a guess at one."""
    repos, catalog, team_id = scope.repos, scope.catalog, scope.team
    return bool(catalog.resolve(repos, team_id, words).confident)


def names_a_topic(scope: Scope, *, words: str) -> bool:
    """Whether words said without "learn" or "teach" may be a topic to ask about."""
    repos, catalog, team_id = scope.repos, scope.catalog, scope.team
    found = catalog.resolve(repos, team_id, words)
    if found.confident or found.plausible:
        return True
    return not found.only_asking and len(words.split()) <= MAX_BARE_WORDS


def teach_text(scope: Scope, *, words: str) -> str:
    """What a sentence offers, as /teach would take it: a list said in words ("Python and SQL") is several topics
    when one of its parts is surely a topic and the whole is not ("research and development" stays one)."""
    repos, catalog, team_id = scope.repos, scope.catalog, scope.team
    split = _LEVEL_OR_NOTE.search(words)
    topics, rest = (words[: split.start()], words[split.start() :]) if split else (words, "")
    listed = as_list(topics)
    if listed == topics.strip() or _sure(repos, catalog, team_id, topics):
        return words
    parts = [part.strip() for part in listed.split(",") if part.strip()]
    if not any(_sure(repos, catalog, team_id, part) for part in parts):
        return words
    return f"{listed} {rest.strip()}".strip()


def _sure(repos: Repos, catalog: Catalog, team_id: str, words: str) -> bool:
    """/teach would save these words under a known topic (its name however spelled, not a guess)."""
    return catalog.for_teaching(repos, team_id, words).topic is not None


def first_time(scope: Scope, *, channel: str, ts: str) -> bool:
    """Claim a message by its channel and ts, so it is answered once however often Slack delivers it (a retry
    under another event id too)."""
    return scope.repos.events.first_time(scope.team, f"msg:{channel}:{ts}"[:64])
