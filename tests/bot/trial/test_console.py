"""The console trial driven as a person would: lines typed at its prompt, answers read off the screen."""

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.trial.console import Console
from store import models
from store.models import Member, Offer


@pytest.fixture
def console(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    monkeypatch.setattr(models, "_clock_ahead", timedelta())  # `/time` moves this process's clock: undone after
    trial = Console(load_settings(), database_url=database_url)
    yield trial
    trial.close()


def typed(console: Console, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *lines: str) -> str:
    """Type these lines; what a form or a dialog asks for is read from the lines that follow, as at a prompt."""
    commands = [line for line in lines if not line.startswith("  ")]
    answers = [line[2:] for line in lines if line.startswith("  ")]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{answer}\n" for answer in answers)))
    capsys.readouterr()
    for command in commands:
        console.handle(command)
    return capsys.readouterr().out


def button(screen: str, label: str) -> str:
    found = re.findall(rf"\[ (\d+): {re.escape(label)} \]", screen)
    assert found, f"no [{label}] button on screen:\n{screen}"
    return found[-1]


def test_home_buttons_belong_to_whoever_the_home_is_for(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "/as priya", "/home")
    pause = button(screen, "Pause")
    screen = typed(console, capsys, monkeypatch, pause)
    assert "Paused: nobody is matched with you" in screen and "is in @" not in screen


def test_add_topics_on_home_asks_for_topics_and_adds_them(console: Console, capsys, monkeypatch) -> None:
    add = button(typed(console, capsys, monkeypatch, "/home"), "Add topics")
    screen = typed(console, capsys, monkeypatch, add, "  go, js", "  3", "  ask me anything")
    assert "Date" not in screen  # it is the topics form, not the time form
    assert "Go (expert) — ask me anything" in screen and "JavaScript (expert)" in screen


def yes_button(screen: str) -> str:
    """The "Yes, <time>" button of a proposed time."""
    found = re.findall(r"\[ (\d+): Yes, [^\]]+ \]", screen)
    assert found, f"no Yes button on screen:\n{screen}"
    return found[-1]


def test_the_time_form_refuses_free_text_and_asks_again(console: Console, capsys, monkeypatch) -> None:
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    typed(console, capsys, monkeypatch, "/as priya")
    screen = typed(
        console,
        capsys,
        monkeypatch,
        accept,
        "  9",
        "  4",
        "  abc",
        "  2",
        "  someday",
        "  tomorrow",
        "  25:00",
        "  14:00",
    )
    assert "Traceback" not in screen and "┌ Pick a time" in screen
    assert "Type a date like" in screen and "Type a time of day like" in screen and "Pick one of the options" in screen
    assert "proposes to meet on" in screen  # to @You, who confirms
    screen = typed(console, capsys, monkeypatch, "/as you", yes_button(screen))
    assert "meet @You" in screen and "14:00–14:30 for @Priya" in screen
    assert "📅" in screen or "ics" in screen.lower()  # the calendar file, summarised


def test_delete_my_data_asks_first(console: Console, capsys, monkeypatch) -> None:
    delete = button(typed(console, capsys, monkeypatch, "/as marco", "/home"), "Delete my data")
    screen = typed(console, capsys, monkeypatch, delete, "  n")
    assert "Delete your data?" in screen and "Nothing was done." in screen
    with console.deps.db() as session:
        assert session.scalar(select(Member).where(Member.user_id == "UMARCO")) is not None
    screen = typed(console, capsys, monkeypatch, delete, "  y")
    with console.deps.db() as session:
        assert session.scalar(select(Member).where(Member.user_id == "UMARCO")) is None


def test_an_admin_can_try_the_workspace_settings(console: Console, capsys, monkeypatch) -> None:
    assert "Workspace settings" not in typed(console, capsys, monkeypatch, "/as sam", "/home")
    screen = typed(console, capsys, monkeypatch, "/as sam admin", "/home")
    assert "a workspace admin" in screen and "Workspace settings (admins)" in screen
    edit = button(screen, "Edit")
    screen = typed(console, capsys, monkeypatch, edit, "  #learning", "  3", "  10:30", "", "", "", "")
    assert "Digest: Wed 10:30" in screen


def test_moving_the_clock_shows_reminders_follow_ups_and_the_digest(console: Console, capsys, monkeypatch) -> None:
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    screen = typed(console, capsys, monkeypatch, "/as priya", accept, "  4", "", "  tomorrow", "  14:00", "/as you")
    typed(console, capsys, monkeypatch, yes_button(screen))
    screen = typed(console, capsys, monkeypatch, "/time +2d")
    assert "⏩ It is now" in screen
    assert "starts in 5 minutes" in screen  # the reminder, on the way
    assert "How was Terraform with @Priya?" in screen  # the follow-up
    screen = typed(console, capsys, monkeypatch, "/time +1w")
    assert "PEERLEARN WEEKLY" in screen  # the digest, in #learning
    assert "nothing fell due" in typed(console, capsys, monkeypatch, "/time +30m")
    assert "Usage: /time" in typed(console, capsys, monkeypatch, "/time soon")
    with console.deps.db() as session:
        assert session.scalars(select(Offer)).first() is not None
