"""Topics saved before this vocabulary release, put under the one name they have today.

A need saved as "kubernets" before typos were understood, or a topic called "amazon web services" before AWS was
its name, is asked again through today's matcher (against the vocabulary alone) and moved where a new ask would
go: renamed, or merged into the topic of that name. Once per workspace and vocabulary release.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from bot.matcher.vocabulary import shipped_version
from bot.services.catalog import Catalog
from store.repos import Repos

logger = logging.getLogger(__name__)


def reconcile_all(sessions: sessionmaker[Session], catalog: Catalog) -> int:
    """Every workspace not yet under this vocabulary; returns how many topics moved."""
    version = shipped_version()
    with sessions() as session:
        teams = Repos(session).workspaces.all_teams()
    moved = 0
    for team_id in teams:
        with sessions.begin() as session:
            repos = Repos(session)
            if repos.workspaces.claim_vocabulary(team_id, version):  # one replica does it, the others go on
                moved += reconcile(repos, catalog, team_id)
        catalog.forget(team_id)
    if moved:
        logger.info("topics put under their names", extra={"moved": moved, "vocabulary": version})
    return moved


def reconcile(repos: Repos, catalog: Catalog, team_id: str) -> int:
    """Rename or merge this workspace's topics as today's matcher names them; returns how many changed."""
    index = catalog.index
    changed = 0
    for topic in repos.topics.all_of(team_id):
        if index.concept(topic.name) is not None:
            target = topic.name
        else:
            # Against the vocabulary alone (no workspace is loaded under ""), as a brand-new ask would be.
            found = index.resolve("", topic.label).best
            if found is None:
                continue
            target = found.topic
        label = index.label(team_id, target)
        if target == topic.name:
            if label != topic.label:
                repos.topics.rename(topic, target, label)
                changed += 1
            continue
        existing = repos.topics.by_name(team_id, target)
        typed = topic.label
        if existing is None:
            repos.topics.rename(topic, target, label)
        else:
            repos.topics.merge(topic, existing)
            repos.aliases.learn(team_id, typed[:100], existing.id)
        changed += 1
    return changed
