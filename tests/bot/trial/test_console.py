"""The console trial driven as a person would: lines typed at its prompt, answers read off the screen."""

import io
import math
import re
from collections.abc import Iterator
from datetime import UTC

import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.trial.console import Console
from store.models import LearningSession, Member, Offer


@pytest.fixture
def console(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    trial = Console(load_settings(), database_url=database_url)
    yield trial
    trial.close()
    assert not trial.fake.violations  # everything the trial showed is something Slack accepts


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
    assert "proposes to meet" in screen  # to @You, who confirms
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
    assert "Learning channel: #learning" in screen  # the channel's name, as Slack shows <#C…>
    edit = button(screen, "Edit")
    screen = typed(console, capsys, monkeypatch, edit, "  #learning", "  3", "  10:30", "", "", "", "")
    assert "Digest: Wed 10:30" in screen


def test_moving_the_clock_shows_reminders_follow_ups_and_the_digest(console: Console, capsys, monkeypatch) -> None:
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    screen = typed(
        console, capsys, monkeypatch, "/as priya", accept, "  other", "  ", "  tomorrow", "  14:00", "/as you"
    )
    typed(console, capsys, monkeypatch, yes_button(screen))
    screen = typed(console, capsys, monkeypatch, "/time +2d")
    assert "⏩ It is now" in screen
    assert "starts in" not in screen  # a reminder read after the session is over would be false: not sent
    assert "How was Terraform with @Priya?" in screen  # the follow-up
    screen = typed(console, capsys, monkeypatch, "/time +1w")
    assert "PEERLEARN WEEKLY" in screen  # the digest, in #learning
    assert "nothing fell due" in typed(console, capsys, monkeypatch, "/time +30m")
    assert "⏩ It is now" in typed(console, capsys, monkeypatch, "/time +2h30m")
    assert "Usage: /time" in typed(console, capsys, monkeypatch, "/time soon")
    with console.deps.db() as session:
        assert session.scalars(select(Offer)).first() is not None


def booked_with_priya(console: Console, capsys, monkeypatch) -> str:
    """You ask Priya about Terraform; she accepts and proposes another time, 15:00 tomorrow in her zone
    (Asia/Kolkata); you confirm. What the confirmation shows."""
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    screen = typed(console, capsys, monkeypatch, "/as priya", accept, "  other", "  ", "  tomorrow", "  15:00")
    return typed(console, capsys, monkeypatch, "/as you", yes_button(screen))


def test_the_other_person_confirms_a_reschedule_and_the_teacher_cancels(console: Console, capsys, monkeypatch) -> None:
    screen = booked_with_priya(console, capsys, monkeypatch)
    assert "15:00–15:30 for @Priya" in screen
    screen = typed(console, capsys, monkeypatch, button(screen, "Reschedule"), "  1", "  ")
    assert "Another date [" not in screen and "Another time (" not in screen  # a free time needs neither
    assert "does it suit you?" in screen
    # Priya answers in the group DM they share, as anyone in it can in Slack.
    screen = typed(console, capsys, monkeypatch, "/as priya", yes_button(screen))
    assert "Type `/as" not in screen and "Moved:" in screen
    screen = typed(console, capsys, monkeypatch, button(screen, "Cancel"), "  a conflict came up")
    assert "Reason (optional):" in screen and "(optional) (optional)" not in screen
    assert "@Priya cancelled the session" in screen and "a conflict came up" in screen


def test_a_group_dm_button_is_for_its_members_only(console: Console, capsys, monkeypatch) -> None:
    screen = booked_with_priya(console, capsys, monkeypatch)
    cancel = button(screen, "Cancel")
    screen = typed(console, capsys, monkeypatch, "/as marco", cancel)
    assert "is in the group DM of @" in screen and "Type `/as" in screen
    assert "Cancel the session" not in screen


def test_times_read_in_the_readers_own_zone(console: Console, capsys, monkeypatch) -> None:
    screen = booked_with_priya(console, capsys, monkeypatch)
    cancel = button(screen, "Cancel")
    screen = typed(console, capsys, monkeypatch, "/as priya", cancel, "  ")
    line = next(line for line in screen.splitlines() if "cancelled the session" in line)
    # Slack's date token reads 15:00 for Priya, who booked it in Kolkata, not the workspace's "09:30 (UTC)".
    assert "15:00" in line and "(UTC)" not in line


def test_after_just_chat_a_time_picked_in_the_group_dm_is_confirmed_by_the_other(
    console: Console, capsys, monkeypatch
) -> None:
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    screen = typed(console, capsys, monkeypatch, "/as priya", accept, "  just_chat")
    assert "Length" not in screen and "no fixed time" in screen  # only the fields that apply are asked
    screen = typed(console, capsys, monkeypatch, button(screen, "Pick a time"), "  1", "  ")
    screen = typed(console, capsys, monkeypatch, "/as you", yes_button(screen))
    assert "Confirmed" in screen and "Add to Google Calendar" in screen


def test_a_date_gone_by_asks_for_the_date_again(console: Console, capsys, monkeypatch) -> None:
    ask = button(typed(console, capsys, monkeypatch, "/learn terraform"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    answers = ("  other", "  ", "  2020-01-06", "  15:00", "  tomorrow", "  16:00")
    screen = typed(console, capsys, monkeypatch, "/as priya", accept, *answers)
    assert "That date has passed" in screen and screen.count("Another date [") == 2
    # The time is read on the date: a new date asks it again, and the time typed for it is the one booked.
    assert screen.count("Another time (") == 2 and "16:00–16:30 for @Priya" in screen
    assert "proposes to meet" in screen


def test_everyone_in_the_channel_can_join_a_group_slot(console: Console, capsys, monkeypatch) -> None:
    # Marco and Aiko want Rust (the cast); with you that is three: Sam, who teaches it, is invited to host.
    typed(console, capsys, monkeypatch, "/learn rust", "/as sam", "/teach rust")
    host = button(typed(console, capsys, monkeypatch, "/time +1h"), "Host a group slot")
    screen = typed(console, capsys, monkeypatch, host, "  ", "  ", "  ", "  ")
    join = re.findall(r"#learning:\n(?:.*\n)*?.*\[ (\d+): Join \]", screen)[0]
    assert "Join" in screen and "Type `/as" not in typed(console, capsys, monkeypatch, "/as marco", join)
    screen = typed(console, capsys, monkeypatch, "/as aiko", join)
    assert "2 going" in screen


def test_the_follow_ups_kudos_reach_the_teacher_at_once_naming_the_session(
    console: Console, capsys, monkeypatch
) -> None:
    booked_with_priya(console, capsys, monkeypatch)
    give = button(typed(console, capsys, monkeypatch, "/time +2d"), "Give kudos")
    screen = typed(console, capsys, monkeypatch, give)
    assert "Kudos sent to @Priya" in screen
    assert "You got kudos!" in screen and "@You for your session on Terraform" in screen


def test_a_pick_in_the_same_timezone_reads_once(console: Console, capsys, monkeypatch) -> None:
    typed(console, capsys, monkeypatch, "/as nina", "/teach go", "/as you")  # both in Europe/London
    ask = button(typed(console, capsys, monkeypatch, "/learn go"), "Ask")
    accept = button(typed(console, capsys, monkeypatch, ask), "Accept")
    screen = typed(console, capsys, monkeypatch, "/as nina", accept, "cancel")
    assert "for you both" in screen and " for You," not in screen


def test_home_offers_pause_only_to_a_teacher(console: Console, capsys, monkeypatch) -> None:
    assert "Pause" not in typed(console, capsys, monkeypatch, "/home")
    assert "Pause" in typed(console, capsys, monkeypatch, "/as priya", "/home")


def test_a_reaction_to_an_unknown_message_says_so(console: Console, capsys, monkeypatch) -> None:
    assert "no message m99" in typed(console, capsys, monkeypatch, ":react mortar_board m99")
    assert "Usage: :react" in typed(console, capsys, monkeypatch, ":react mortar_board")


def test_a_workspaces_own_topics_are_taught_at_once_and_found(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "/teach Bookbinding", "/teach Kitesurfing", "/teach Apache CouchDB")
    assert "You teach Bookbinding" in screen and "You teach Kitesurfing" in screen and "Did you mean" not in screen
    for ask in ("bookbinding", "bookbindng", "learn kitesurfing", "couchdb"):
        screen = typed(console, capsys, monkeypatch, "/as priya", f"/learn {ask}")
        assert "@You" in screen, ask
    # Aiko teaches 日本語 (the cast): it is Japanese, however it is asked for.
    for ask in ("japanese", "nihongo"):
        assert "@Aiko" in typed(console, capsys, monkeypatch, f"/learn {ask}"), ask


def test_three_learners_of_a_workspace_topic_bring_a_group_slot(console: Console, capsys, monkeypatch) -> None:
    typed(console, capsys, monkeypatch, "/teach Sashiko stitching")
    for learner in ("priya", "marco", "aiko"):
        typed(console, capsys, monkeypatch, f"/as {learner}", "/learn sashiko stitching")
    screen = typed(console, capsys, monkeypatch, "/as you", "/time +1h")
    assert "Host a group slot" in screen and "Sashiko stitching" in screen


def test_a_jump_that_lands_before_a_session_reminds_with_the_minutes_left(
    console: Console, capsys, monkeypatch
) -> None:
    booked_with_priya(console, capsys, monkeypatch)
    with console.deps.db() as session:
        start = session.scalars(select(LearningSession.starts_at)).one()
    assert start is not None
    before = (
        math.ceil((start.replace(tzinfo=UTC) - console.deps.clock.now()).total_seconds() / 60) - 10
    )  # inside the ten minutes
    screen = typed(console, capsys, monkeypatch, f"/time +{before}m")
    assert screen.count("starts in 10 minutes") == 2  # both of them, as the README promises
    screen = typed(console, capsys, monkeypatch, "/time +2h")
    assert "starts in" not in screen and "How was Terraform with @Priya?" in screen


def test_a_jump_too_far_is_refused_in_one_line_and_weeks_still_work(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "/time +1000w")
    assert screen.strip() == "That is too far: /time moves at most 8 weeks at once (`/time +8w`)."
    assert "⏩ It is now" in typed(console, capsys, monkeypatch, "/time +3w")


@pytest.mark.parametrize("name", ["!!!", "🚀", "x" * 200, "priya."])
def test_as_takes_only_a_plain_name(console: Console, capsys, monkeypatch, name: str) -> None:
    people = len(console.fake.users)
    screen = typed(console, capsys, monkeypatch, f"/as {name}")
    assert screen.startswith("`/as` takes a plain name") and "You are now" not in screen
    assert len(console.fake.users) == people
    assert "You are now @O'Neil." in typed(console, capsys, monkeypatch, "/as o'neil")
