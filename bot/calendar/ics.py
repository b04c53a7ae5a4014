"""Calendar invitations for a session: an `.ics` file and an "Add to Google Calendar" link.

peerlearn reads nobody's calendar; it hands both people a file their calendar understands. The event is in UTC
with a VTIMEZONE for the organizer's zone, as calendars expect of an invitation. A reschedule sends the same
UID with a higher SEQUENCE; a cancellation `METHOD:CANCEL` and `STATUS:CANCELLED`, so the calendar updates or
removes the event it already has instead of adding a second one. Pure: bytes and strings out, no Slack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Component, Event, Timezone, vCalAddress

PRODID = "-//peerlearn//peerlearn sessions//EN"
GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
LINK_LIMIT = 3000  # Slack refuses a button whose url is longer
# Slack gives a bot no e-mail addresses without another scope; Thunderbird writes this address for "no e-mail".
NO_ADDRESS = "invalid:nomail"

Method = Literal["REQUEST", "CANCEL"]


@dataclass(frozen=True)
class Attendee:
    """A person on the invitation; without an e-mail address calendars show the name and send no replies."""

    name: str
    email: str | None = None


def event_uid(team_id: str, session_id: int | str) -> str:
    """One UID a session keeps through every reschedule and its cancellation (unique across workspaces)."""
    return f"session-{session_id}.{team_id}@peerlearn"


def invitation(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    length: timedelta,
    summary: str,
    description: str,
    organizer: str | Attendee,
    attendees: Sequence[str | Attendee],
    url: str | None = None,
    tz_name: str = "UTC",
    method: Method = "REQUEST",
    stamp: datetime | None = None,
) -> bytes:
    """The `.ics` bytes (UTF-8, CRLF lines) of a VCALENDAR with one VEVENT.

    `start` is read as UTC when naive. `sequence` must grow with every change of the same `uid`; a CANCEL
    needs a higher one than the last REQUEST. `stamp` (DTSTAMP) defaults to now. Text is escaped by icalendar
    (commas, semicolons, newlines); names are quoted (RFC 6868), any language.
    """
    if sequence < 0:
        raise ValueError("sequence must not be negative")
    if length <= timedelta(0):
        raise ValueError("length must be positive")
    begin = _utc(start)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_vtimezone(tz_name, begin))

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", _utc(stamp) if stamp else datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", begin)
    event.add("dtend", begin + length)
    event.add("summary", summary)
    event.add("description", description)
    if url:
        event.add("url", url.strip())
        event.add("location", url.strip())  # where calendars show a "join" link
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer))
    for person in attendees:
        event.add("attendee", _address(person, attendee=True))
    cal.add_component(event)
    return bytes(cal.to_ical())


def google_calendar_link(
    *,
    start: datetime,
    length: timedelta,
    summary: str,
    details: str = "",
    location: str | None = None,
) -> str:
    """An "Add to Google Calendar" link (times in UTC, so it is right whatever the reader's zone).

    Everything is percent-encoded; long `details` are cut so that the link stays within Slack's limit.
    """
    begin = _utc(start)
    params = {"action": "TEMPLATE", "text": summary, "dates": f"{_stamp(begin)}/{_stamp(begin + length)}"}
    if location:
        params["location"] = location
    link = _encode(params)
    room = LINK_LIMIT - len(link) - len("&details=")
    if details and room > 0:
        kept = details
        while kept and len(_encode({"details": kept})) - len("details=") > room:
            kept = kept[: int(len(kept) * 0.9) - 1].rstrip() + "…"
        if kept:
            link = _encode({**params, "details": kept})
    return link


def describe(ics: bytes) -> str:
    """One line about an `.ics` (for the console trial and logs): method, summary, UTC times, UID, SEQUENCE."""
    cal = Calendar.from_ical(ics.decode("utf-8"))
    event = cal.walk("VEVENT")[0]
    begin, end = event.decoded("dtstart"), event.decoded("dtend")
    who = ", ".join(str(a.params.get("CN", a)) for a in _as_list(event.get("attendee")))
    return (
        f"{cal.get('method')} {event.get('status')} · {event.get('summary')} · "
        f"{begin:%a %d %b %Y %H:%M}–{end:%H:%M} UTC · with {who} · "
        f"UID {event.get('uid')} SEQUENCE {event.get('sequence')} · VTIMEZONE {', '.join(_tzids(cal))}"
    )


def _utc(value: datetime) -> datetime:
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=0)


def _stamp(value: datetime) -> str:
    return f"{value:%Y%m%dT%H%M%SZ}"


def _encode(params: dict[str, str]) -> str:
    return f"{GOOGLE_RENDER}?{urlencode(params, quote_via=quote, safe='/')}"


def _vtimezone(tz_name: str, start: datetime) -> Timezone:
    """The zone's rules for the event's year and the next: enough for the event (and a move of it), and small."""
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        tz_name = "UTC"  # an odd Slack profile: UTC is still a true statement of the times
    return Timezone.from_tzid(tz_name, first_date=date(start.year, 1, 1), last_date=date(start.year + 1, 12, 31))


def _address(person: str | Attendee, *, attendee: bool = False) -> vCalAddress:
    if isinstance(person, str):
        person = Attendee(person)
    address = vCalAddress(f"mailto:{person.email.strip()}" if person.email else NO_ADDRESS)
    address.params["CN"] = re.sub(r"\s+", " ", person.name).strip()  # a parameter is one line
    if attendee:
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["RSVP"] = "FALSE"  # peerlearn already asked both people; no replies go anywhere
    return address


def _as_list(value: vCalAddress | list[vCalAddress] | None) -> list[vCalAddress]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tzids(cal: Component) -> list[str]:
    return [str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")]
