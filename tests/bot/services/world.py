"""A workspace on a real database for the service tests: people who teach and learn, each step its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.grammar import Teach
from bot.services import learning, teaching
from bot.services.catalog import Catalog
from bot.services.learning import LearnResult
from bot.services.scope import Scope
from store.db import make_sessions
from store.repos import Repos
from tests import factories

TEAM = "T1"
T = TypeVar("T")


class World:
    def __init__(self, engine: Engine) -> None:
        self.db: sessionmaker[Session] = make_sessions(engine)
        self.catalog = Catalog()

    def run(self, step: Callable[[Repos], T]) -> T:
        """One step in one transaction, as a request handles it."""
        with self.db.begin() as db:
            return step(Repos(db))

    def scope(self, repos: Repos, user: str = "", now: datetime | None = None) -> Scope:
        """What a service works in for `user` of this workspace, over `repos`."""
        return Scope(TEAM, user, now or datetime.now(UTC), repos, self.catalog)

    def teach(self, user: str, *topics: str) -> None:
        command = Teach(topics, None, None)
        self.run(lambda r: teaching.offer_topics(self.scope(r, user), command=command))

    def learn(self, user: str, text: str) -> LearnResult:
        result = self.run(lambda r: learning.declare_need(self.scope(r, user), text=text))
        assert isinstance(result, LearnResult), result
        return result

    def set_member(self, user: str, **fields: object) -> None:
        """Change a member's row (paused, active, is_admin, …) as other parts of the app would."""

        self.run(lambda repos: factories.member(repos, user, team=TEAM, **fields))
