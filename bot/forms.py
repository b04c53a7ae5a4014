"""Reading what people submit in modals, the way grammar.py reads what they type: values in, a checked form or
the errors to show beside each field out. Never an exception: Slack's pickers send well-formed values, but a
form is input like any other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import Level
from bot.grammar import MAX_NOTE_CHARS, MAX_TOPICS, Invalid, Learn, Teach, learn_ask, teach_offer, topics_of
from bot.services.slots import MAX_CAPACITY
from bot.services.workspace import SettingsForm

# Lengths the forms offer, in minutes; anything else submitted is refused.
SESSION_LENGTHS = (15, 30, 45, 60, 90)
DEFAULT_SESSION_LENGTH = 30
SLOT_LENGTHS = (30, 45, 60, 90)
DEFAULT_SLOT_LENGTH = 60
JUST_CHAT = "just_chat"
OTHER_TIME = "other"  # the meeting-time modal's choice of a date and time of one's own

Errors = dict[str, str]  # block id → what to fix there


@dataclass(frozen=True)
class Proposal:
    """A time for a session, or none for "just chat"; `field` is the block it was read from (where a refusal of
    that time is shown)."""

    starts_at: datetime | None
    minutes: int | None
    field: str = "when"


@dataclass(frozen=True)
class SlotForm:
    starts_at: datetime
    minutes: int
    seats: int


def _value(values: Mapping[str, Any], block: str) -> dict[str, Any]:
    return dict((values.get(block) or {}).get("value") or {})


def _minutes(values: Mapping[str, Any], allowed: tuple[int, ...], default: int) -> int | None:
    raw = str((_value(values, "duration").get("selected_option") or {}).get("value", default))
    return int(raw) if raw.isdigit() and int(raw) in allowed else None


def _start(values: Mapping[str, Any], tz: str, now: datetime, found: Errors, *, alt: str = "") -> datetime | None:
    """The picked date and time in `tz`; an error against the field that is missing, malformed or past."""
    errors: Errors = {}
    starts = _picked_start(values, tz, now, errors, alt)
    found.update(errors)
    return starts


def _picked_start(values: Mapping[str, Any], tz: str, now: datetime, errors: Errors, alt: str) -> datetime | None:
    day, clock = _value(values, "date").get("selected_date"), _value(values, "time").get("selected_time")
    picked_day = picked_time = None
    try:
        picked_day = date.fromisoformat(str(day)) if day else None
    except ValueError:
        errors["date"] = "That is not a date. Pick one from the calendar."
    try:
        picked_time = time.fromisoformat(str(clock)) if clock else None
    except ValueError:
        errors["time"] = "That is not a time of day. Pick one like 14:30."
    if not day:
        errors["date"] = f"Pick a date{alt}."
    if not clock:
        errors["time"] = f"Pick a time{alt}."
    if picked_day is None or picked_time is None or errors:
        return None
    starts = datetime.combine(picked_day, picked_time, tzinfo=_zone(values, tz))
    if starts <= now:
        # A day already over is the date's fault: no other time on it would do, so the date is what to change.
        if picked_day < now.astimezone(starts.tzinfo).date():
            errors["date"] = "That date has passed. Pick today or a later day."
        else:
            errors["time"] = "That time has passed. Pick one in the future."
        return None
    return starts


def _zone(values: Mapping[str, Any], tz: str) -> ZoneInfo:
    """The zone the time picker showed: Slack sends it back with the time when the picker named one (ours do), so
    the time is read in the zone the person saw, whatever we knew of them; else `tz`."""
    for name in (_value(values, "time").get("timezone"), tz):
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def read_proposal(values: Mapping[str, Any], tz: str, now: datetime) -> Proposal | Errors:
    """The time picked in the meeting-time modal: one of the free times offered ("when"), another date and time
    (in the picker's zone, `tz` unless the form says), or "just chat".

    A time typed in "Another time" is the time proposed, whichever choice "When" still shows: "When" starts on the
    first free time, and a person who types 15:00 means 15:00 (reading the choice first booked the free time
    instead). The time field starts empty, so a time there was always typed.
    """
    choice = str((_value(values, "when").get("selected_option") or {}).get("value") or OTHER_TIME)
    typed = bool(_value(values, "time").get("selected_time"))
    if choice == JUST_CHAT:
        if typed:
            return {"time": "You chose to just chat: clear this time, or choose “Another date and time” above."}
        return Proposal(None, None)
    errors: Errors = {}
    minutes = _minutes(values, SESSION_LENGTHS, DEFAULT_SESSION_LENGTH)
    if minutes is None:
        errors["duration"] = "Pick one of the lengths offered."
    if choice.isdigit() and not typed:
        starts: datetime | None = datetime.fromtimestamp(int(choice), UTC)
        if starts is not None and starts <= now:
            errors["when"] = "That time has passed. Pick another one."
        field = "when"
    else:
        starts = _start(values, tz, now, errors, alt=", or choose one of the free times above")
        field = "time"
    if errors or starts is None or minutes is None:
        return errors
    return Proposal(starts, minutes, field)


def read_slot(values: Mapping[str, Any], tz: str, now: datetime) -> SlotForm | Errors:
    """A group slot's start (in the host's timezone), length and seats."""
    errors: Errors = {}
    minutes = _minutes(values, SLOT_LENGTHS, DEFAULT_SLOT_LENGTH)
    if minutes is None:
        errors["duration"] = "Pick one of the lengths offered."
    seats_text = str(_value(values, "capacity").get("value") or "").strip()
    seats = int(seats_text) if seats_text.isdigit() else 0
    if not 2 <= seats <= MAX_CAPACITY:
        errors["capacity"] = f"Seats must be a whole number from 2 to {MAX_CAPACITY}."
    starts = _start(values, tz, now, errors)
    if errors or starts is None or minutes is None:
        return errors
    return SlotForm(starts, minutes, seats)


def read_add_topics(values: Mapping[str, Any]) -> Teach | Errors:
    """App Home's "Add topics" form: topics checked as /teach checks them, a level, a note."""
    topics = topics_of(str(_value(values, "topics").get("value") or ""))
    level_value = (_value(values, "level").get("selected_option") or {}).get("value")
    note = str(_value(values, "note").get("value") or "").strip()
    errors: Errors = {}
    if isinstance(topics, Invalid):
        errors["topics"] = topics.reason
    elif not topics:
        errors["topics"] = "Tell me what you can teach."
    level = next((level for level in Level if level.value == level_value), None)
    if level_value and level is None:
        errors["level"] = "Pick one of the levels offered."
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = f"Your note is {len(note)} characters; keep it under {MAX_NOTE_CHARS}."
    if errors or isinstance(topics, Invalid):
        return errors
    return Teach(topics, level, note or None)


def read_learn_or_teach(values: Mapping[str, Any]) -> tuple[Learn, ...] | Teach | Errors:
    """The shortcuts' form: learning or teaching, and its topics read as a message's words are (never a
    subcommand). Topics separated by commas are several, to learn as to teach: "Helm, Terraform" is two needs."""
    choice = (_value(values, "choice").get("selected_option") or {}).get("value")
    text = str(_value(values, "topic").get("value") or "").strip()
    errors: Errors = {}
    if choice not in ("learn", "teach"):
        errors["choice"] = "Pick one: learn it or teach it."
    if not text:
        errors["topic"] = "Tell me the topic."
    if errors:
        return errors
    if choice == "teach":
        offer = teach_offer(text)
        return {"topic": offer.reason} if isinstance(offer, Invalid) else offer
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MAX_TOPICS:
        return {"topic": f"That is {len(parts)} topics; pick up to {MAX_TOPICS} at once."}
    asks = [learn_ask(part) for part in parts]
    refused = next((ask for ask in asks if isinstance(ask, Invalid)), None)
    if refused is not None or not asks:
        return {"topic": refused.reason if refused else "Tell me the topic."}
    return tuple(ask for ask in asks if isinstance(ask, Learn))


@dataclass(frozen=True)
class HoursForm:
    """The working hours modal's submitted state, unchecked."""

    days: list[str]
    start: str | None
    end: str | None


def read_hours(values: Mapping[str, Any]) -> HoursForm:
    """What the form sent; missing fields read as empty, for `validate_hours` to name."""

    def element(block: str) -> dict[str, Any]:
        return dict(values.get(block, {}).get("value") or {})

    chosen = element("days").get("selected_options") or []
    return HoursForm(
        days=[str(option.get("value", "")) for option in chosen],
        start=element("start").get("selected_time"),
        end=element("end").get("selected_time"),
    )


def read_settings(values: Mapping[str, Any]) -> SettingsForm:
    """The settings modal's submitted state."""

    def value(block: str, key: str = "value") -> Any:
        return (values.get(block, {}).get("value", {}) or {}).get(key)

    weekday = (value("digest_weekday", "selected_option") or {}).get("value")
    return SettingsForm(
        learning_channel=value("learning_channel", "selected_conversation"),
        digest_weekday=weekday,
        digest_time=value("digest_time", "selected_time"),
        timezone=str(value("timezone") or ""),
        kudos_emoji=str(value("kudos_emoji") or ""),
        kudos_daily_limit=str(value("kudos_daily_limit") or ""),
        kudos_pair_weekly_limit=str(value("kudos_pair_weekly_limit") or ""),
        digest_scope=(value("digest_scope", "selected_option") or {}).get("value"),
        workspace_channel=value("workspace_channel", "selected_conversation"),
        workspace_timezone=value("workspace_timezone"),
        dashboard_admins=tuple(value("dashboard_admins", "selected_users") or ())
        if "dashboard_admins" in values
        else None,
        full="timezone" in values,
    )


class PickedFrom(NamedTuple):
    """What the meeting-time modal carries in its metadata: the match, and the free times it offered."""

    match_id: int  # 0 when the metadata is unreadable: no match has that id
    offered: list[datetime]


def read_pick_metadata(metadata: str) -> PickedFrom:
    """The match id and the free times the modal offered (so the others can go along with the pick)."""
    head, _, offered = metadata.partition("|")
    times = [datetime.fromtimestamp(int(part), UTC) for part in offered.split(",") if part.isdigit()]
    return PickedFrom(int(head) if head.isdigit() else 0, times)
