"""The console trial's clock, restarted, goes on from the latest time its data reached: never behind it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.trial import clock
from bot.trial.console import Console
from store.db import make_engine
from store.migrate import upgrade
from store.models import Need
from tests.conftest import _truncate


def test_a_restarted_trial_goes_on_from_where_its_clock_reached(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = Console(load_settings(), database_url=database_url)
    try:
        first.handle("/time +11d")
        first.handle("/learn elixir")  # a need the trial records eleven days ahead of the machine's clock
    finally:
        first.close()
    with first.deps.db() as session:
        asked = session.scalars(select(Need.created_at).order_by(Need.id.desc())).first()
    assert asked is not None

    second = Console(load_settings(), database_url=database_url)  # a new process: its clock starts at the machine's
    try:
        assert second.deps.clock.now() >= asked  # not behind its own data
        capsys.readouterr()
        second.handle("/learn")
        out = capsys.readouterr().out
        assert f"open since {asked:%b %d}" in out, out  # not "since Dec 18" on Dec 7
    finally:
        second.close()


def test_a_restart_goes_on_from_the_time_reached_when_the_data_recorded_nothing_later(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = Console(load_settings(), database_url=database_url)
    try:
        first.handle("/learn sql")
        first.handle("1")  # Ask Lena
        first.handle("/time +3d")  # the re-route after 48 hours is the last thing the data records
        reached = first.deps.clock.now()
    finally:
        first.close()

    second = Console(load_settings(), database_url=database_url)  # a new process: its clock starts at the machine's
    try:
        assert second.deps.clock.now() >= reached  # not back at the re-route, a day earlier
        capsys.readouterr()
        second.handle("/time +1m")
        assert f"It is now {reached + timedelta(minutes=1):%a %d %b}" in capsys.readouterr().out
    finally:
        second.close()


def test_a_mark_from_another_database_or_an_emptied_one_is_not_read(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    far = '"reached": "2999-01-01T00:00:00+00:00"'
    (tmp_path / "peerlearn-trial.clock").write_text(f'{{"database": "postgresql://elsewhere/x", {far}}}')
    seeded = Console(load_settings(), database_url=database_url)  # seeds the data
    seeded.close()
    assert seeded.deps.clock.now().year < 2999
    clock.mark_file(database_url).write_text(f'{{"database": "{database_url}", {far}}}')
    _truncate_or_delete(database_url)
    fresh = Console(load_settings(), database_url=database_url)  # a new trial in an empty database
    fresh.close()
    assert fresh.deps.clock.now().year < 2999


def _truncate_or_delete(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        path = Path(make_url(database_url).database or "")
        path.unlink()
        upgrade(make_engine(database_url))
    else:
        _truncate(database_url)
