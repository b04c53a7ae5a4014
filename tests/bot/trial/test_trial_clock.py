"""The console trial's clock, restarted, goes on from the latest time its data reached: never behind it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.trial.console import Console
from store import models
from store.models import Need, utcnow


def test_a_restarted_trial_goes_on_from_where_its_clock_reached(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(models, "_clock_ahead", timedelta())  # `/time` moves this process's clock: undone after
    first = Console(load_settings(), database_url=database_url)
    try:
        first.handle("/time +11d")
        first.handle("/learn elixir")  # a need the trial records eleven days ahead of the machine's clock
    finally:
        first.close()
    with first.deps.db() as session:
        asked = session.scalars(select(Need.created_at).order_by(Need.id.desc())).first()
    assert asked is not None

    models._clock_ahead = timedelta()  # a new process: its clock starts at the machine's time
    second = Console(load_settings(), database_url=database_url)
    try:
        assert utcnow() >= asked  # not behind its own data
        capsys.readouterr()
        second.handle("/learn")
        out = capsys.readouterr().out
        assert f"open since {asked:%b %d}" in out, out  # not "since Dec 18" on Dec 7
    finally:
        second.close()
