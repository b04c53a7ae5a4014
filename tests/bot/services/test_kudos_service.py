"""Kudos limits against a real database, with many givers' transactions racing."""

import threading
from datetime import UTC, datetime, time

from sqlalchemy import Engine, func, select

from bot.services import kudos
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from bot.services.workspace import WorkspaceSettings
from store.db import make_sessions
from store.models import Kudos
from store.repos import Repos
from tests import factories as make

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RULES = WorkspaceSettings(None, 0, time(9), "UTC", ("mortar_board",), kudos_daily_limit=5, kudos_pair_weekly_limit=3)


def test_daily_limit_is_enforced_by_the_database_not_by_luck(engine: Engine) -> None:
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        make.members(Repos(session), ("UGIVER", ""), *((f"UR{i}", "") for i in range(20)))
    start = threading.Barrier(20)
    outcomes: list[kudos.Given] = []

    def give(i: int) -> None:
        start.wait()
        with sessions.begin() as session:
            reaction = kudos.Reaction("UGIVER", f"UR{i}", "C1", f"1.{i}", "mortar_board")
            scope = Scope("T1", "UGIVER", NOW, Repos(session), Catalog())
            outcomes.append(kudos.give(scope, reaction, rules=RULES))

    threads = [threading.Thread(target=give, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Kudos)) == 5
    assert sum(isinstance(o, kudos.Counted) for o in outcomes) == 5
    assert sum(isinstance(o, kudos.Limited) and o.limit is kudos.Limit.DAILY for o in outcomes) == 15
