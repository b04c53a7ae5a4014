"""What listeners and jobs share: settings, the database, the topic catalog, the member directory."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.background import Background
from bot.batcher import Debouncer
from bot.config import Settings
from bot.directory import MemberDirectory
from bot.services.catalog import Catalog
from store.db import make_engine, make_sessions


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    catalog: Catalog = field(default_factory=Catalog)
    background: Background = field(default_factory=Background)
    # Kudos arriving within this many seconds reach the receiver as one DM.
    kudos_dm_delay: float = 60.0
    directory: MemberDirectory = field(init=False)
    kudos_batch: Debouncer = field(init=False)

    def __post_init__(self) -> None:
        self.directory = MemberDirectory(self.sessions)
        self.kudos_batch = Debouncer(self.background, self.kudos_dm_delay)

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=make_sessions(engine))

    def close(self) -> None:
        self.kudos_batch.flush()
        self.background.shutdown()
        self.engine.dispose()
