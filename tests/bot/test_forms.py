"""Reading the meeting-time modal: a typed time is the one proposed, in the zone the picker showed."""

from datetime import UTC, datetime
from typing import Any

from bot.forms import Proposal, read_proposal

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
FIRST_FREE = str(int(datetime(2026, 11, 23, 14, 0, tzinfo=UTC).timestamp()))


def state(when: str = FIRST_FREE, day: str | None = "2026-11-24", clock: str | None = None, **time: Any) -> dict:
    return {
        "when": {"value": {"type": "radio_buttons", "selected_option": {"value": when}}},
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": clock, **time}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": "60"}}},
    }


def test_the_free_time_chosen_when_no_time_is_typed() -> None:
    assert read_proposal(state(), "Europe/Berlin", NOW) == Proposal(datetime.fromtimestamp(int(FIRST_FREE), UTC), 60)


def test_a_typed_time_wins_over_the_free_time_when_starts_on() -> None:
    picked = read_proposal(state(clock="15:00"), "America/Los_Angeles", NOW)
    assert picked == Proposal(datetime(2026, 11, 24, 23, 0, tzinfo=UTC), 60, "time")


def test_the_time_is_read_in_the_zone_the_picker_showed() -> None:
    # Slack sends the picker's timezone back with the time: that zone, not whatever we last knew of the person.
    picked = read_proposal(state(clock="15:00", timezone="America/Los_Angeles"), "UTC", NOW)
    assert isinstance(picked, Proposal) and picked.starts_at == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    odd = read_proposal(state(clock="15:00", timezone="Mars/Olympus"), "Europe/Berlin", NOW)
    assert isinstance(odd, Proposal) and odd.starts_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_just_chat_with_a_typed_time_asks_which_was_meant() -> None:
    assert read_proposal(state(when="just_chat"), "UTC", NOW) == Proposal(None, None)
    errors = read_proposal(state(when="just_chat", clock="15:00"), "UTC", NOW)
    assert isinstance(errors, dict) and set(errors) == {"time"}


def test_another_date_and_time_needs_both_and_a_future_one() -> None:
    assert read_proposal(state(when="other"), "UTC", NOW) == {
        "time": "Pick a time, or choose one of the free times above."
    }
    past = read_proposal(state(day="2026-11-23", clock="07:30"), "UTC", NOW)
    assert isinstance(past, dict) and past["time"].startswith("That time has passed")
