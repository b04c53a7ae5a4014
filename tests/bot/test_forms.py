"""Every modal reader of bot/forms.py, on good and bad input, with the message shown beside each field: a typed
time is the one proposed, in the zone the picker showed."""

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain import Level
from bot.forms import (
    MAX_REASON,
    HoursForm,
    Proposal,
    SlotForm,
    read_add_topics,
    read_cancel_reason,
    read_hours,
    read_learn_or_teach,
    read_proposal,
    read_settings,
    read_slot,
)
from bot.grammar import Learn, Teach
from bot.services.workspace import SettingsForm

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
MENTION_ONLY = "That looks like a mention of a person or channel. Type a topic instead."
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


# -- the meeting-time modal: what is refused, and where the message is shown ------------------------------------


def test_a_length_not_offered_is_refused_beside_the_length() -> None:
    values = state() | {"duration": {"value": {"type": "static_select", "selected_option": {"value": "17"}}}}
    assert read_proposal(values, "UTC", NOW) == {"duration": "Pick one of the lengths offered."}
    no_length = {key: value for key, value in state().items() if key != "duration"}
    assert read_proposal(no_length, "UTC", NOW) == Proposal(datetime.fromtimestamp(int(FIRST_FREE), UTC), 30)


def test_a_free_time_that_has_passed_is_refused_beside_the_choice() -> None:
    gone = str(int(datetime(2026, 11, 23, 7, 0, tzinfo=UTC).timestamp()))
    assert read_proposal(state(when=gone), "UTC", NOW) == {"when": "That time has passed. Pick another one."}


def test_a_day_that_is_over_is_the_dates_fault() -> None:
    assert read_proposal(state(day="2026-11-22", clock="15:00"), "UTC", NOW) == {
        "date": "That date has passed. Pick today or a later day."
    }


def test_what_is_no_date_or_no_time_is_said_beside_each() -> None:
    assert read_proposal(state(day="24/11/2026", clock="3pm"), "UTC", NOW) == {
        "date": "That is not a date. Pick one from the calendar.",
        "time": "That is not a time of day. Pick one like 14:30.",
    }
    assert read_proposal(state(day=None, clock="15:00"), "UTC", NOW) == {
        "date": "Pick a date, or choose one of the free times above."
    }


def test_an_empty_form_is_another_time_with_nothing_picked() -> None:
    assert read_proposal({}, "UTC", NOW) == {
        "date": "Pick a date, or choose one of the free times above.",
        "time": "Pick a time, or choose one of the free times above.",
    }


# -- a group slot ------------------------------------------------------------------------------------------------


def slot(seats: str | None = "4", minutes: str = "60", day: str | None = "2026-11-24", clock: str | None = "15:00"):
    return {
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": clock}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": minutes}}},
        "capacity": {"value": {"type": "plain_text_input", "value": seats}},
    }


def test_a_slot_is_read_in_the_hosts_zone() -> None:
    assert read_slot(slot(), "Europe/Berlin", NOW) == SlotForm(datetime(2026, 11, 24, 14, 0, tzinfo=UTC), 60, 4)
    assert read_slot(slot(seats=" 50 ", minutes="30"), "UTC", NOW) == SlotForm(
        datetime(2026, 11, 24, 15, 0, tzinfo=UTC), 30, 50
    )


@pytest.mark.parametrize("seats", ["1", "51", "four", "", None, "-3", "2.5"])
def test_seats_are_a_whole_number_from_2_to_50(seats: str | None) -> None:
    assert read_slot(slot(seats=seats), "UTC", NOW) == {"capacity": "Seats must be a whole number from 2 to 50."}


def test_a_slot_names_every_field_to_fix_at_once() -> None:
    assert read_slot(slot(seats="0", minutes="15", day=None, clock="07:00"), "UTC", NOW) == {
        "duration": "Pick one of the lengths offered.",  # 15 minutes is for a pair, not a slot
        "capacity": "Seats must be a whole number from 2 to 50.",
        "date": "Pick a date.",
    }
    assert read_slot(slot(day="2026-11-23", clock="07:00"), "UTC", NOW) == {
        "time": "That time has passed. Pick one in the future."
    }


# -- App Home's "Add topics" -----------------------------------------------------------------------------------


def add_topics(topics: str | None, level: str | None = None, note: str | None = None) -> dict[str, Any]:
    return {
        "topics": {"value": {"type": "plain_text_input", "value": topics}},
        "level": {"value": {"type": "static_select", "selected_option": {"value": level} if level else None}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }


def test_add_topics_reads_topics_a_level_and_a_note() -> None:
    assert read_add_topics(add_topics("go, rust\nhelm", "expert", " ask me ")) == Teach(
        ("go", "rust", "helm"), Level.EXPERT, "ask me"
    )
    assert read_add_topics(add_topics("go")) == Teach(("go",), None, None)


def test_add_topics_says_what_to_fix_beside_each_field() -> None:
    assert read_add_topics(add_topics(None)) == {"topics": "Tell me what you can teach."}
    assert read_add_topics(add_topics(", ".join(f"t{i}" for i in range(11)))) == {
        "topics": "That is 11 topics; 10 at a time at most."
    }
    assert read_add_topics(add_topics("go", "guru", "x" * 301)) == {
        "level": "Pick one of the levels offered.",
        "note": "Your note is 301 characters; keep it under 300.",
    }
    assert read_add_topics(add_topics("<@UALICE>")) == {"topics": MENTION_ONLY}


# -- the shortcuts' "Learn or teach something" -------------------------------------------------------------------


def learn_or_teach(choice: str | None, topic: str | None) -> dict[str, Any]:
    return {
        "choice": {"value": {"type": "radio_buttons", "selected_option": {"value": choice} if choice else None}},
        "topic": {"value": {"type": "plain_text_input", "value": topic}},
    }


def test_learning_several_topics_is_one_ask_each() -> None:
    assert read_learn_or_teach(learn_or_teach("learn", "Helm, Terraform")) == (Learn("Helm"), Learn("Terraform"))


def test_teaching_reads_a_level_and_a_note_as_teach_does() -> None:
    assert read_learn_or_teach(learn_or_teach("teach", "go level: expert -- ask me")) == Teach(
        ("go",), Level.EXPERT, "ask me", "go"
    )


def test_learn_or_teach_says_what_is_missing_or_wrong() -> None:
    assert read_learn_or_teach(learn_or_teach(None, " ")) == {
        "choice": "Pick one: learn it or teach it.",
        "topic": "Tell me the topic.",
    }
    assert read_learn_or_teach(learn_or_teach("learn", ", ".join(f"t{i}" for i in range(11)))) == {
        "topic": "That is 11 topics; pick up to 10 at once."
    }
    assert read_learn_or_teach(learn_or_teach("learn", "<@UALICE>")) == {"topic": MENTION_ONLY}
    assert read_learn_or_teach(learn_or_teach("learn", " , ")) == {"topic": "Tell me the topic."}
    assert read_learn_or_teach(learn_or_teach("teach", "go level: guru")) == {
        "topic": "Level `guru` is not one of beginner, intermediate, expert."
    }


# -- working hours, workspace settings, and the meeting-time modal's metadata ------------------------------------


def test_working_hours_are_read_as_sent_and_missing_fields_read_empty() -> None:
    values = {
        "days": {"value": {"selected_options": [{"value": "mon"}, {"value": "tue"}]}},
        "start": {"value": {"selected_time": "09:00"}},
        "end": {"value": {"selected_time": "17:30"}},
    }
    assert read_hours(values) == HoursForm(["mon", "tue"], "09:00", "17:30")
    assert read_hours({}) == HoursForm([], None, None)


def test_settings_are_read_as_sent_for_the_service_to_check() -> None:
    values = {
        "learning_channel": {"value": {"selected_conversation": "CLEARN"}},
        "digest_weekday": {"value": {"selected_option": {"value": "fri"}}},
        "digest_time": {"value": {"selected_time": "16:00"}},
        "timezone": {"value": {"value": "Europe/Berlin"}},
        "kudos_emoji": {"value": {"value": "tada, clap"}},
        "kudos_daily_limit": {"value": {"value": "7"}},
        "kudos_pair_weekly_limit": {"value": {"value": "lots"}},  # checked by the service, not here
        "digest_scope": {"value": {"selected_option": {"value": "workspace"}}},
        "workspace_channel": {"value": {"selected_conversation": "CWS"}},
        "workspace_timezone": {"value": {"value": "Asia/Tokyo"}},
    }
    assert read_settings(values) == SettingsForm(
        "CLEARN", "fri", "16:00", "Europe/Berlin", "tada, clap", "7", "lots", "workspace", "CWS", "Asia/Tokyo"
    )
    assert read_settings({"timezone": {"value": None}}) == SettingsForm(None, None, None, "", "", "", "")


def reason(value: str | None) -> dict:
    return {"reason": {"value": {"type": "plain_text_input", "value": value}}}


def test_a_cancellation_reason_is_trimmed_and_optional() -> None:
    assert read_cancel_reason(reason("  Sick today \n")) == "Sick today"
    assert read_cancel_reason(reason("   ")) is None
    assert read_cancel_reason(reason(None)) is None
    assert read_cancel_reason({}) is None  # Slack leaves out an optional input nobody touched
    assert read_cancel_reason(reason("x" * (MAX_REASON + 50))) == "x" * MAX_REASON
