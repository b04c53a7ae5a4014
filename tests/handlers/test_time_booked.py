"""The time a person enters is the time booked, in every path: a free time offered, another date and time, the
other person taking another of the times, and a reschedule. Each person reads it in their own timezone, and the
introduction, the .ics file and the Google Calendar link carry the same instant. Through signed requests."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import time_machine
from icalendar import Calendar

from bot import ids
from bot.deps import Deps
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import buttons
from tests.handlers.test_meeting_times import accept, booked_session, confirm_buttons, group_dm, modal

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
EVE_THEN_ALICE = (
    "*Tue 24 Nov, 15:00–16:00* for <@UEVE> (America/Los_Angeles) · "
    "*Wed 25 Nov, 00:00–01:00* for <@UALICE> (Europe/Berlin)"
)


def as_slack_sends(view: dict[str, Any], **typed: Any) -> dict[str, Any]:
    """The state Slack sends when the modal is submitted: every field's initial value, with what was typed or
    chosen (`when`, `date`, `time`, `duration`) in its place. A field left empty is sent empty."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        value: dict[str, Any] = {"type": element["type"]}
        if element["type"] in ("radio_buttons", "static_select"):
            chosen = typed.get(block_id)
            options = {o["value"]: o for o in element["options"]}
            value["selected_option"] = options[chosen] if chosen else element.get("initial_option")
        elif element["type"] == "datepicker":
            value["selected_date"] = typed.get("date", element.get("initial_date"))
        elif element["type"] == "timepicker":
            value["selected_time"] = typed.get("time", element.get("initial_time"))
            if element.get("timezone"):
                value["timezone"] = element["timezone"]
        state[block_id] = {element["action_id"]: value}
    return state


def text_of(payload: dict[str, Any]) -> str:
    return json.dumps(payload.get("blocks"), ensure_ascii=False)


def google_dates(intro: dict[str, Any]) -> str:
    link = buttons(intro["blocks"])[ids.CALENDAR_LINK][0]
    return parse_qs(urlparse(link).query)["dates"][0]


def ics_times(fake: FakeSlack) -> tuple[datetime, datetime, int]:
    event = Calendar.from_ical(fake.uploads[-1].content.decode()).walk("VEVENT")[0]
    return event.decoded("DTSTART"), event.decoded("DTEND"), int(event["SEQUENCE"])


def eve_accepts(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    """Alice in Berlin asks Eve in Los Angeles about SQL; Eve accepts and the meeting-time modal opens."""
    fake.add_user("UEVE", "Eve", tz="America/Los_Angeles")
    accept(slack, fake, "UEVE", "UALICE", "sql")
    return modal(fake)


@time_machine.travel(MONDAY, tick=False)
def test_another_time_typed_is_the_time_asked_booked_and_in_every_calendar(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    view = eve_accepts(slack, fake_slack)
    time_field = next(b for b in view["blocks"] if b.get("block_id") == "time")
    assert "initial_time" not in time_field["element"]  # empty: a time there is always one somebody typed
    assert time_field["element"]["timezone"] == "America/Los_Angeles"

    # Eve types 15:00 for tomorrow and leaves "When" on the first free time it starts on, as people do.
    state = as_slack_sends(view, time="15:00", duration="60")
    assert slack.submit("UEVE", ids.PROPOSE_MODAL, view["private_metadata"], state).json == {}
    channel, values, asked = confirm_buttons(fake_slack)
    assert channel == "UALICE"
    assert EVE_THEN_ALICE in text_of(asked)  # 15:00 Los Angeles is 00:00 in Berlin
    assert "Yes, Wed 25 Nov, 00:00" in text_of(asked)  # Alice's button reads Berlin time
    waiting = fake_slack.calls_to("chat.update")[-1].args
    assert EVE_THEN_ALICE in text_of(waiting) and "You proposed" in text_of(waiting)

    slack.click("UALICE", ids.CONFIRM_TIME, values[0], channel="DALICE", ts="7.7")
    booked = booked_session(deps)
    starts = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert (booked.starts_at, booked.duration_min) == (starts, 60)
    assert EVE_THEN_ALICE in text_of(fake_slack.calls_to("chat.update")[-2].args)  # "Confirmed: …"
    [intro] = group_dm(fake_slack)
    assert EVE_THEN_ALICE in text_of(intro)
    assert google_dates(intro) == "20261124T230000Z/20261125T000000Z"
    assert ics_times(fake_slack) == (starts, starts + timedelta(hours=1), 0)


@time_machine.travel(MONDAY, tick=False)
def test_a_free_time_chosen_or_another_one_taken_by_the_other_is_what_is_booked(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    view = eve_accepts(slack, fake_slack)
    when = next(b for b in view["blocks"] if b.get("block_id") == "when")
    free = [o["value"] for o in when["element"]["options"] if o["value"].isdigit()]
    state = as_slack_sends(view, when=free[1], duration="45")
    slack.submit("UEVE", ids.PROPOSE_MODAL, view["private_metadata"], state)
    _, values, _ = confirm_buttons(fake_slack)
    assert values[0].endswith(f":{free[1]}")  # the chosen free time comes first, the others after it

    # Alice takes another of the free times instead of the one Eve chose.
    other = next(v for v in values if v.endswith(f":{free[2]}"))
    slack.click("UALICE", ids.CONFIRM_TIME, other, channel="DALICE", ts="7.7")
    starts = datetime.fromtimestamp(int(free[2]), UTC)
    booked = booked_session(deps)
    assert (booked.starts_at, booked.duration_min) == (starts, 45)
    [intro] = group_dm(fake_slack)
    eve, alice = starts.astimezone(ZoneInfo("America/Los_Angeles")), starts.astimezone(ZoneInfo("Europe/Berlin"))
    end = timedelta(minutes=45)
    assert f"*{eve:%a %d %b, %H:%M}–{eve + end:%H:%M}* for <@UEVE>" in text_of(intro)
    assert f"*{alice:%a %d %b, %H:%M}–{alice + end:%H:%M}* for <@UALICE>" in text_of(intro)
    assert google_dates(intro) == f"{starts:%Y%m%dT%H%M%SZ}/{starts + end:%Y%m%dT%H%M%SZ}"
    assert ics_times(fake_slack)[:2] == (starts, starts + end)


@time_machine.travel(MONDAY, tick=False)
def test_a_reschedule_keeps_the_sessions_length_and_books_the_time_typed(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    view = eve_accepts(slack, fake_slack)
    slack.submit("UEVE", ids.PROPOSE_MODAL, view["private_metadata"], as_slack_sends(view, time="15:00", duration="60"))
    _, values, _ = confirm_buttons(fake_slack)
    slack.click("UALICE", ids.CONFIRM_TIME, values[0])
    intro = group_dm(fake_slack)[0]
    session_id = buttons(intro["blocks"])[ids.RESCHEDULE][0]

    slack.click("UALICE", ids.RESCHEDULE, session_id, channel=intro["channel"], ts="1.0")
    moving = modal(fake_slack)
    length = next(b for b in moving["blocks"] if b.get("block_id") == "duration")
    assert length["element"]["initial_option"]["value"] == "60"  # not 30: the session lasts an hour
    assert next(b for b in moving["blocks"] if b.get("block_id") == "time")["element"]["timezone"] == "Europe/Berlin"

    # Alice types 18:00 on Wednesday in Berlin, and keeps the length the modal shows.
    state = as_slack_sends(moving, date="2026-11-25", time="18:00")
    assert slack.submit("UALICE", ids.PROPOSE_MODAL, moving["private_metadata"], state).json == {}
    channel, values, asked = confirm_buttons(fake_slack)
    moved_to = "*Wed 25 Nov, 09:00–10:00* for <@UEVE> (America/Los_Angeles) · *Wed 25 Nov, 18:00–19:00* for <@UALICE>"
    assert channel == intro["channel"] and moved_to in text_of(asked)
    slack.click("UEVE", ids.CONFIRM_TIME, values[0], channel=channel, ts="2.0")

    starts = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    booked = booked_session(deps)
    assert (booked.starts_at, booked.duration_min, booked.sequence) == (starts, 60, 1)
    assert moved_to in text_of(group_dm(fake_slack)[-1])  # "Moved: …"
    updated = [c.args for c in fake_slack.calls_to("chat.update") if c.args["channel"] == intro["channel"]]
    new_intro = next(u for u in reversed(updated) if ids.RESCHEDULE in json.dumps(u.get("blocks")))
    assert moved_to in text_of(new_intro)
    assert google_dates(new_intro) == "20261125T170000Z/20261125T180000Z"
    assert ics_times(fake_slack) == (starts, starts + timedelta(hours=1), 1)


@time_machine.travel(MONDAY, tick=False)
def test_a_typed_time_that_clashes_is_refused_beside_the_time_and_just_chat_with_a_time_asks_which(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    view = eve_accepts(slack, fake_slack)
    both = as_slack_sends(view, when="just_chat", time="15:00")
    refused = slack.submit("UEVE", ids.PROPOSE_MODAL, view["private_metadata"], both)
    assert set(refused.json["errors"]) == {"time"} and "just chat" in refused.json["errors"]["time"]

    # Booked with Alice from 15:00 to 16:00 on Tuesday, Eve types 15:30 that day for Cara: it meets that session,
    # and the refusal stands beside the time she typed.
    slack.submit("UEVE", ids.PROPOSE_MODAL, view["private_metadata"], as_slack_sends(view, time="15:00", duration="60"))
    _, values, _ = confirm_buttons(fake_slack)
    slack.click("UALICE", ids.CONFIRM_TIME, values[0])
    fake_slack.users["UCARA"].tz = "Europe/London"
    accept(slack, fake_slack, "UEVE", "UCARA", "python")
    later = modal(fake_slack)
    clash = slack.submit("UEVE", ids.PROPOSE_MODAL, later["private_metadata"], as_slack_sends(later, time="15:30"))
    assert set(clash.json.get("errors", {})) == {"time"} and "meets another session" in clash.json["errors"]["time"]
    fine = slack.submit("UEVE", ids.PROPOSE_MODAL, later["private_metadata"], as_slack_sends(later, time="16:00"))
    assert fine.json == {}
    assert "*Tue 24 Nov, 16:00–16:30* for <@UEVE>" in text_of(confirm_buttons(fake_slack)[2])
