"""What listeners and jobs share: settings, the database, the topic catalog, the member directory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.services.catalog import Catalog
from bot.services.workspace import SettingsCache, WorkspaceSettings
from bot.slack.background import Background
from bot.slack.debounce import Debouncer
from bot.slack.directory import MemberDirectory
from bot.slack.dnd import DndReader
from bot.slack.lanes import Lanes
from bot.slack.pacing import Pacer
from store.db import make_engine, make_sessions
from store.repos import Repos


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    db: sessionmaker[Session]  # opens database sessions (learning sessions are `repos.sessions`)
    clock: Clock = field(default_factory=Clock)  # the one clock: requests and jobs read it, the trial moves it
    catalog: Catalog = field(default_factory=Catalog)
    workspace_cache: SettingsCache = field(default_factory=SettingsCache)
    background: Background = field(default_factory=Background)
    # Kudos arriving within this many seconds reach the receiver as one DM.
    kudos_dm_delay: float = 60.0
    # Shared by every bulk send (reminders, follow-ups, slot news): one budget for the app's token.
    pacer: Pacer = field(default_factory=Pacer)
    dnd: DndReader = field(default_factory=DndReader)  # the meeting-time picker's do-not-disturb reads
    directory: MemberDirectory = field(init=False)
    kudos_batch: Debouncer = field(init=False)
    lanes: Lanes = field(init=False)  # replies to messages, one conversation at a time (handlers/messages.py)

    def __post_init__(self) -> None:
        self.directory = MemberDirectory(self.db, self.clock)
        self.kudos_batch = Debouncer(self.background, self.kudos_dm_delay)
        self.lanes = Lanes(self.background)

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, db=make_sessions(engine))

    @contextmanager
    def tx(self) -> Iterator[Repos]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.db.begin() as db:
            yield Repos(db, self.clock.now)

    def workspace(self, team_id: str) -> WorkspaceSettings:
        """This workspace's effective settings (its admins' choices over the environment), briefly cached."""
        if (hit := self.workspace_cache.fresh(team_id)) is not None:  # every /learn asks: no session for a hit
            return hit
        with self.db() as db:
            return self.workspace_cache.get(Repos(db), self.settings, team_id)

    def close(self) -> None:
        self.kudos_batch.flush()
        self.background.shutdown()
        self.dnd.shutdown()
        self.engine.dispose()
