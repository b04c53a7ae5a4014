"""Reading what people submit in modals, the way grammar.py reads what they type: values in, a checked form or
the errors to show beside each field out. Never an exception: Slack's pickers send well-formed values, but a
form is input like any other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import ids
from bot.domain import DEFAULT_SESSION_LENGTH, Level
from bot.grammar import MAX_NOTE_CHARS, MAX_TOPICS, Invalid, Learn, Teach, learn_ask, teach_offer, topics_of
from bot.services.slots import MAX_CAPACITY
from bot.services.workspace import SettingsForm

# Lengths the forms offer, in minutes; anything else submitted is refused.
SESSION_LENGTHS = (15, 30, 45, 60, 90)
SLOT_LENGTHS = (30, 45, 60, 90)
DEFAULT_SLOT_LENGTH = 60
JUST_CHAT = "just_chat"
OTHER_TIME = "other"  # the meeting-time modal's choice of a date and time of one's own
MAX_REASON = 200  # a cancellation's reason, in characters

Errors = dict[str, str]  # block id → what to fix there


@dataclass(frozen=True)
class Proposal:
    """A time for a session, or none for "just chat"; `field` is the block it was read from (where a refusal of
    that time is shown)."""

    starts_at: datetime | None
    minutes: int | None
    field: str = ids.Field.WHEN


@dataclass(frozen=True)
class SlotForm:
    starts_at: datetime
    minutes: int
    seats: int


def _value(values: Mapping[str, Any], block: str) -> dict[str, Any]:
    return dict((values.get(block) or {}).get(ids.INPUT) or {})


def _minutes(values: Mapping[str, Any], allowed: tuple[int, ...], default: int) -> int | None:
    raw = str((_value(values, ids.Field.DURATION).get("selected_option") or {}).get("value", default))
    return int(raw) if raw.isdigit() and int(raw) in allowed else None


def _start(values: Mapping[str, Any], tz: str, now: datetime, found: Errors, *, alt: str = "") -> datetime | None:
    """The picked date and time in `tz`; an error against the field that is missing, malformed or past."""
    errors: Errors = {}
    starts = _picked_start(values, tz, now, errors, alt)
    found.update(errors)
    return starts


def _picked_start(values: Mapping[str, Any], tz: str, now: datetime, errors: Errors, alt: str) -> datetime | None:
    day, clock = (
        _value(values, ids.Field.DATE).get("selected_date"),
        _value(values, ids.Field.TIME).get("selected_time"),
    )
    picked_day = picked_time = None
    try:
        picked_day = date.fromisoformat(str(day)) if day else None
    except ValueError:
        errors[ids.Field.DATE] = "That is not a date. Pick one from the calendar."
    try:
        picked_time = time.fromisoformat(str(clock)) if clock else None
    except ValueError:
        errors[ids.Field.TIME] = "That is not a time of day. Pick one like 14:30."
    if not day:
        errors[ids.Field.DATE] = f"Pick a date{alt}."
    if not clock:
        errors[ids.Field.TIME] = f"Pick a time{alt}."
    if picked_day is None or picked_time is None or errors:
        return None
    starts = datetime.combine(picked_day, picked_time, tzinfo=_zone(values, tz))
    if starts <= now:
        # A day already over is the date's fault: no other time on it would do, so the date is what to change.
        if picked_day < now.astimezone(starts.tzinfo).date():
            errors[ids.Field.DATE] = "That date has passed. Pick today or a later day."
        else:
            errors[ids.Field.TIME] = "That time has passed. Pick one in the future."
        return None
    return starts


def _zone(values: Mapping[str, Any], tz: str) -> ZoneInfo:
    """The zone the time picker showed: Slack sends it back with the time when the picker named one (ours do), so
    the time is read in the zone the person saw, whatever we knew of them; else `tz`."""
    for name in (_value(values, ids.Field.TIME).get("timezone"), tz):
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
    choice = str((_value(values, ids.Field.WHEN).get("selected_option") or {}).get("value") or OTHER_TIME)
    typed = bool(_value(values, ids.Field.TIME).get("selected_time"))
    if choice == JUST_CHAT:
        if typed:
            return {ids.Field.TIME: "You chose to just chat: clear this time, or choose “Another date and time” above."}
        return Proposal(None, None)
    errors: Errors = {}
    minutes = _minutes(values, SESSION_LENGTHS, DEFAULT_SESSION_LENGTH)
    if minutes is None:
        errors[ids.Field.DURATION] = "Pick one of the lengths offered."
    if choice.isdigit() and not typed:
        starts: datetime | None = datetime.fromtimestamp(int(choice), UTC)
        if starts is not None and starts <= now:
            errors[ids.Field.WHEN] = "That time has passed. Pick another one."
        field = ids.Field.WHEN
    else:
        starts = _start(values, tz, now, errors, alt=", or choose one of the free times above")
        field = ids.Field.TIME
    if errors or starts is None or minutes is None:
        return errors
    return Proposal(starts, minutes, field)


def read_slot(values: Mapping[str, Any], tz: str, now: datetime) -> SlotForm | Errors:
    """A group slot's start (in the host's timezone), length and seats."""
    errors: Errors = {}
    minutes = _minutes(values, SLOT_LENGTHS, DEFAULT_SLOT_LENGTH)
    if minutes is None:
        errors[ids.Field.DURATION] = "Pick one of the lengths offered."
    seats_text = str(_value(values, ids.Field.CAPACITY).get("value") or "").strip()
    seats = int(seats_text) if seats_text.isdigit() else 0
    if not 2 <= seats <= MAX_CAPACITY:
        errors[ids.Field.CAPACITY] = f"Seats must be a whole number from 2 to {MAX_CAPACITY}."
    starts = _start(values, tz, now, errors)
    if errors or starts is None or minutes is None:
        return errors
    return SlotForm(starts, minutes, seats)


def read_cancel_reason(values: Mapping[str, Any]) -> str | None:
    """The cancel modal's optional reason, trimmed to MAX_REASON; None when none was given."""
    reason = str(_value(values, ids.Field.REASON).get("value") or "").strip()
    return reason[:MAX_REASON] or None


def read_add_topics(values: Mapping[str, Any]) -> Teach | Errors:
    """App Home's "Add topics" form: topics checked as /teach checks them, a level, a note."""
    topics = topics_of(str(_value(values, ids.Field.TOPICS).get("value") or ""))
    level_value = (_value(values, ids.Field.LEVEL).get("selected_option") or {}).get("value")
    note = str(_value(values, ids.Field.NOTE).get("value") or "").strip()
    errors: Errors = {}
    if isinstance(topics, Invalid):
        errors[ids.Field.TOPICS] = topics.reason
    elif not topics:
        errors[ids.Field.TOPICS] = "Tell me what you can teach."
    level = next((level for level in Level if level.value == level_value), None)
    if level_value and level is None:
        errors[ids.Field.LEVEL] = "Pick one of the levels offered."
    if len(note) > MAX_NOTE_CHARS:
        errors[ids.Field.NOTE] = f"Your note is {len(note)} characters; keep it under {MAX_NOTE_CHARS}."
    if errors or isinstance(topics, Invalid):
        return errors
    return Teach(topics, level, note or None)


def read_learn_or_teach(values: Mapping[str, Any]) -> tuple[Learn, ...] | Teach | Errors:
    """The shortcuts' form: learning or teaching, and its topics read as a message's words are (never a
    subcommand). Topics separated by commas are several, to learn as to teach: "Helm, Terraform" is two needs."""
    choice = (_value(values, ids.Field.CHOICE).get("selected_option") or {}).get("value")
    text = str(_value(values, ids.Field.TOPIC).get("value") or "").strip()
    errors: Errors = {}
    if choice not in ("learn", "teach"):
        errors[ids.Field.CHOICE] = "Pick one: learn it or teach it."
    if not text:
        errors[ids.Field.TOPIC] = "Tell me the topic."
    if errors:
        return errors
    if choice == "teach":
        offer = teach_offer(text)
        return {ids.Field.TOPIC: offer.reason} if isinstance(offer, Invalid) else offer
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MAX_TOPICS:
        return {ids.Field.TOPIC: f"That is {len(parts)} topics; pick up to {MAX_TOPICS} at once."}
    asks = [learn_ask(part) for part in parts]
    refused = next((ask for ask in asks if isinstance(ask, Invalid)), None)
    if refused is not None or not asks:
        return {ids.Field.TOPIC: refused.reason if refused else "Tell me the topic."}
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
        return dict(values.get(block, {}).get(ids.INPUT) or {})

    chosen = element(ids.Field.DAYS).get("selected_options") or []
    return HoursForm(
        days=[str(option.get("value", "")) for option in chosen],
        start=element(ids.Field.START).get("selected_time"),
        end=element(ids.Field.END).get("selected_time"),
    )


def read_settings(values: Mapping[str, Any]) -> SettingsForm:
    """The settings modal's submitted state."""

    def value(block: str, key: str = "value") -> Any:
        return (values.get(block, {}).get(ids.INPUT, {}) or {}).get(key)

    weekday = (value(ids.Field.DIGEST_WEEKDAY, "selected_option") or {}).get("value")
    return SettingsForm(
        learning_channel=value(ids.Field.LEARNING_CHANNEL, "selected_conversation"),
        digest_weekday=weekday,
        digest_time=value(ids.Field.DIGEST_TIME, "selected_time"),
        timezone=str(value(ids.Field.TIMEZONE) or ""),
        kudos_emoji=str(value(ids.Field.KUDOS_EMOJI) or ""),
        kudos_daily_limit=str(value(ids.Field.KUDOS_DAILY_LIMIT) or ""),
        kudos_pair_weekly_limit=str(value(ids.Field.KUDOS_PAIR_WEEKLY_LIMIT) or ""),
        digest_scope=(value(ids.Field.DIGEST_SCOPE, "selected_option") or {}).get("value"),
        workspace_channel=value(ids.Field.WORKSPACE_CHANNEL, "selected_conversation"),
        workspace_timezone=value(ids.Field.WORKSPACE_TIMEZONE),
        dashboard_admins=tuple(value(ids.Field.DASHBOARD_ADMINS, "selected_users") or ())
        if ids.Field.DASHBOARD_ADMINS in values
        else None,
        full=ids.Field.TIMEZONE in values,
    )
