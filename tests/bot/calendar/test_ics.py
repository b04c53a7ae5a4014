"""The .ics invitation, read back with icalendar as a calendar would, and the Google Calendar link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component, Timezone

from bot.calendar.ics import LINK_LIMIT, Attendee, describe, event_uid, google_calendar_link, invitation

START = datetime(2025, 10, 27, 13, tzinfo=UTC)
LENGTH = timedelta(minutes=30)
GROUP_DM = "https://peerlearn-demo.slack.com/archives/G0DUO"
UID = event_uid("T0PEERLRN", 42)


def make(**changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "uid": UID,
        "sequence": 0,
        "start": START,
        "length": LENGTH,
        "summary": "Kubernetes: Priya and Sam",
        "description": "Sam wants to learn Kubernetes; Priya teaches it.\nGroup DM: " + GROUP_DM,
        "organizer": "Priya",
        "attendees": ["Priya", "Sam"],
        "url": GROUP_DM,
        "tz_name": "Europe/Berlin",
        "stamp": datetime(2025, 10, 20, 9, tzinfo=UTC),
    }
    return invitation(**(fields | changes))


def parse(ics: bytes) -> tuple[Component, Component]:
    cal = Calendar.from_ical(ics.decode("utf-8"))
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_an_invitation_reads_back_with_everything_a_calendar_needs() -> None:
    cal, event = parse(make())

    assert (cal["method"], cal["version"], cal["prodid"]) == ("REQUEST", "2.0", "-//peerlearn//peerlearn sessions//EN")
    assert event["uid"] == "session-42.T0PEERLRN@peerlearn"
    assert event["sequence"] == 0
    assert event.decoded("dtstamp") == datetime(2025, 10, 20, 9, tzinfo=UTC)
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + LENGTH
    assert b"\r\nDTSTART:20251027T130000Z\r\n" in make()  # in UTC, "…Z"
    assert event["summary"] == "Kubernetes: Priya and Sam"
    assert event["description"] == "Sam wants to learn Kubernetes; Priya teaches it.\nGroup DM: " + GROUP_DM
    assert event["url"] == GROUP_DM
    assert event["status"] == "CONFIRMED"
    assert event["organizer"].params["CN"] == "Priya"
    assert [a.params["CN"] for a in event["attendee"]] == ["Priya", "Sam"]


def test_the_vtimezone_is_there_and_agrees_with_zoneinfo() -> None:
    cal, _ = parse(make(tz_name="America/New_York", start=datetime(2025, 7, 1, 15, tzinfo=UTC)))

    (zone,) = cal.walk("VTIMEZONE")
    assert isinstance(zone, Timezone)
    assert zone["tzid"] == "America/New_York"
    moment = datetime(2025, 7, 1, 15, tzinfo=UTC)
    assert moment.astimezone(zone.to_tz()).utcoffset() == moment.astimezone(ZoneInfo("America/New_York")).utcoffset()


def test_an_unknown_timezone_still_gets_a_vtimezone() -> None:
    cal, _ = parse(make(tz_name="Mars/Olympus_Mons"))
    assert [z["tzid"] for z in cal.walk("VTIMEZONE")] == ["UTC"]


def test_a_reschedule_and_a_cancellation_update_the_same_event() -> None:
    moved = START + timedelta(days=1)
    _, first = parse(make())
    _, update = parse(make(sequence=1, start=moved))
    cancel_cal, cancel = parse(make(sequence=2, start=moved, method="CANCEL"))

    assert first["uid"] == update["uid"] == cancel["uid"]
    assert first["sequence"] < update["sequence"] < cancel["sequence"]
    assert update.decoded("dtstart") == moved
    assert cancel_cal["method"] == "CANCEL"
    assert cancel["status"] == "CANCELLED"


def test_names_and_text_with_commas_semicolons_newlines_and_any_script_round_trip() -> None:
    name = 'José Ramírez, PhD; "Pepe"'
    summary = "Kubernetes, Helm; 入門 — für alle"
    description = "Zeile eins, mit Komma; und Semikolon\nline two: ✓\\ backslash"

    raw = make(summary=summary, description=description, organizer=name, attendees=[name, "山田 太郎"])
    _, event = parse(raw)

    assert event["summary"] == summary
    assert event["description"] == description
    assert event["organizer"].params["CN"] == name
    assert [a.params["CN"] for a in event["attendee"]] == [name, "山田 太郎"]
    assert "Ramírez".encode() in raw.replace(b"\r\n ", b"")  # UTF-8, not escaped away


def test_the_file_is_utf8_with_crlf_lines_folded_at_75_octets() -> None:
    raw = make(description="long words " * 40, summary="ü" * 60)
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2:] == [b"END:VCALENDAR", b""]
    assert all(len(line) <= 75 for line in lines)


def test_a_name_on_two_lines_becomes_one() -> None:
    _, event = parse(make(organizer="Priya\nRaman", attendees=["Priya\nRaman"]))
    assert event["organizer"].params["CN"] == "Priya Raman"


def test_an_email_address_is_used_when_known_and_nothing_made_up_otherwise() -> None:
    _, event = parse(make(attendees=[Attendee("Priya", "priya@example.com"), "Sam"]))
    assert [str(a) for a in event["attendee"]] == ["mailto:priya@example.com", "invalid:nomail"]
    assert event["attendee"][0].params["RSVP"] == "FALSE"


@pytest.mark.parametrize(("field", "value"), [("sequence", -1), ("length", timedelta(0))])
def test_impossible_invitations_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        make(**{field: value})


def test_describe_sums_an_invitation_up_in_one_line() -> None:
    line = describe(make(method="CANCEL", sequence=3))
    assert line.startswith("CANCEL CANCELLED · Kubernetes: Priya and Sam · Mon 27 Oct 2025 13:00–13:30 UTC")
    assert "with Priya, Sam" in line
    assert "SEQUENCE 3" in line
    assert "VTIMEZONE Europe/Berlin" in line


def test_the_google_link_carries_utc_dates_and_encoded_text() -> None:
    link = google_calendar_link(
        start=START, length=LENGTH, summary="C# & F#: Zoë + Ana", details="a/b, c;d\nzweite Zeile", location=GROUP_DM
    )

    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://calendar.google.com/calendar/render"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {
        "action": "TEMPLATE",
        "text": "C# & F#: Zoë + Ana",
        "dates": "20251027T130000Z/20251027T133000Z",
        "details": "a/b, c;d\nzweite Zeile",
        "location": GROUP_DM,
    }
    assert " " not in link
    assert "\n" not in link


def test_the_google_link_converts_other_zones_to_utc() -> None:
    start = datetime(2025, 10, 27, 9, tzinfo=ZoneInfo("America/New_York"))
    link = google_calendar_link(start=start, length=timedelta(hours=1), summary="Go")
    assert "dates=20251027T130000Z/20251027T140000Z" in link


def test_long_details_are_cut_to_fit_a_slack_button() -> None:
    link = google_calendar_link(start=START, length=LENGTH, summary="Rust", details="ünïcödé " * 2000)
    assert len(link) <= LINK_LIMIT
    details = parse_qs(urlsplit(link).query)["details"][0]
    assert details.startswith("ünïcödé")
    assert details.endswith("…")
