"""Learned aliases: what each person said their words mean, and what the workspace has come to agree on."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.orm import Session

from store.models import AliasChoice, Topic, TopicAlias
from store.repos._prebuilt import _Read
from store.sql import Now, insert_ignoring_conflict

_ALIASES = cast(Table, TopicAlias.__table__)
# Run whenever an ask names nothing known (the catalog looks for other replicas' aliases first).
_LAST_ALIAS = _Read(select(func.max(_ALIASES.c.id)).where(_ALIASES.c.team_id == bindparam("team")))

# A choice becomes the workspace's alias when this many people made it and nobody chose otherwise.
AGREED = 2


class AliasRepo:
    def __init__(self, db: Session, now: Now) -> None:
        self.db = db
        self.now = now

    def learn(self, team_id: str, alias: str, topic_id: int) -> bool:
        """Remember that `alias` means this topic in this workspace; the first lesson wins."""
        values = {"team_id": team_id, "alias": alias, "topic_id": topic_id, "created_at": self.now()}
        return insert_ignoring_conflict(self.db, TopicAlias, values)

    def for_team(self, team_id: str, after_id: int = 0) -> dict[str, str]:
        """alias → canonical topic name (only those learned after `after_id`, when given)."""
        rows = self.db.execute(
            select(TopicAlias.alias, Topic.name)
            .join(Topic, Topic.id == TopicAlias.topic_id)
            .where(TopicAlias.team_id == team_id, TopicAlias.id > after_id)
        )
        return dict(rows.all())

    def last_id(self, team_id: str) -> int:
        row = _LAST_ALIAS.first(self.db, {"team": team_id})
        return int(row[0] or 0) if row is not None else 0

    def choose(self, team_id: str, alias: str, topic_id: int, member_id: int) -> bool:
        """Record one person's choice (their latest replaces an earlier one); True when it is now uncontested
        and made by enough people to become the workspace's alias."""
        self.db.execute(
            delete(AliasChoice).where(
                AliasChoice.team_id == team_id, AliasChoice.alias == alias, AliasChoice.member_id == member_id
            )
        )
        self.db.add(AliasChoice(team_id=team_id, alias=alias, member_id=member_id, topic_id=topic_id))
        self.db.flush()
        chosen = self.db.execute(
            select(AliasChoice.topic_id, func.count())
            .where(AliasChoice.team_id == team_id, AliasChoice.alias == alias)
            .group_by(AliasChoice.topic_id)
        ).all()
        return len(chosen) == 1 and chosen[0][1] >= AGREED

    def chosen_by(self, member_id: int, alias: str) -> str | None:
        """The topic (its key) this person said these words mean, if they did."""
        return self.db.scalar(
            select(Topic.name)
            .join(AliasChoice, AliasChoice.topic_id == Topic.id)
            .where(AliasChoice.member_id == member_id, AliasChoice.alias == alias)
        )
