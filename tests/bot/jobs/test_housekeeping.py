"""Hourly upkeep: old event ids are forgotten, and kudos a restart left untold reach their receiver."""

import json
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from bot.deps import Deps
from bot.jobs import housekeeping
from bot.scheduler import Scheduler
from store.models import Kudos, ProcessedEvent
from store.repos import Repos
from tests import factories as make
from tests.fakes.slack_api import FakeSlack

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_old_event_ids_are_forgotten_and_untold_kudos_are_told(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    with time_machine.travel(NOW - timedelta(days=2), tick=False), deps.db.begin() as session:
        Repos(session).events.first_time("T0PEERLRN", "EvOLD")
    with time_machine.travel(NOW, tick=False), deps.db.begin() as session:
        repos = Repos(session)
        repos.events.first_time("T0PEERLRN", "EvNEW")
        alice, bob = make.members(repos, ("UALICE", "Alice"), ("UBOB", "Bob"), team="T0PEERLRN")
        # Given just before a restart: the in-process DM timer died with the process.
        make.kudos(repos, bob, alice, "1.0", day=date(2026, 11, 23))

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert scheduler.run_job("housekeeping", housekeeping.run) == 0  # still within the batching window
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        assert scheduler.run_job("housekeeping", housekeeping.run) == 1
        assert scheduler.run_job("housekeeping", housekeeping.run) == 0
    [dm] = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"]
    assert "<@UBOB>" in json.dumps(dm.args["blocks"])
    with deps.db() as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["EvNEW"]
        assert session.scalar(select(func.count()).where(Kudos.notified_at.is_(None))) == 0
