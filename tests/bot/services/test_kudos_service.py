"""Kudos limits against a real database, with many givers' transactions racing."""

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from bot.services import kudos
from store.db import make_sessions
from store.models import Kudos
from store.repos import Repos
from tests import factories as make

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_daily_limit_is_enforced_by_the_database_not_by_luck(engine: Engine) -> None:
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        make.members(Repos(session), ("UGIVER", ""), *((f"UR{i}", "") for i in range(20)))
    start = threading.Barrier(20)
    outcomes: list[kudos.Outcome] = []

    def give(i: int) -> None:
        start.wait()
        with sessions.begin() as session:
            reaction = kudos.Reaction("T1", "UGIVER", f"UR{i}", "C1", f"1.{i}", "mortar_board")
            result = kudos.give(
                Repos(session), reaction, kudos_emoji=("mortar_board",), timezone="UTC", now=NOW, daily_limit=5
            )
        outcomes.append(result.outcome)

    threads = [threading.Thread(target=give, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Kudos)) == 5
    assert outcomes.count(kudos.Outcome.GIVEN) == 5
    assert outcomes.count(kudos.Outcome.DAILY_LIMIT) == 15
