"""Free meeting times for two people, from what Slack already knows (working hours are in hours.py).

No calendar access: a time is proposed when it lies inside both people's working hours (each in their own
timezone), outside both do-not-disturb windows and both people's other sessions, and on no day either is away.
Pure (no Slack, no database), so it is tested with plain values.

Inside, every instant is whole seconds since the epoch: arithmetic on ints is what keeps a two-week search
at 30-minute steps to about a millisecond. Naive datetimes are read as UTC, which is what SQLite hands back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.calendar.hours import WorkingHours

Interval = tuple[datetime, datetime]  # [start, end) in UTC

LEAD = timedelta(hours=1)  # no slot starts sooner: nobody can join a call proposed for five minutes from now
# A vacation status with no expiry: trust it for a week, not for ever (people forget to clear it).
NO_EXPIRY_AWAY = timedelta(days=7)
_MARGIN = 8 * 86400  # working days looked at beyond the horizon, so "closest" sees the next working day


@dataclass(frozen=True)
class Person:
    """One side of a meeting: what is known about when they can and cannot meet.

    `dnd` and `busy` are [start, end) intervals in UTC. `away_until` (UTC) means away for every day up to and
    including the local day of that instant.
    """

    tz: str
    hours: WorkingHours = WorkingHours.DEFAULT
    dnd: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()
    away_until: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """Slot starts in UTC, earliest first; fewer than asked when fewer are free. `overlap` is False when no time
    inside both people's working hours is free: the slots are then the closest ones (see `propose`), and the
    caller should say so."""

    slots: list[datetime]
    overlap: bool


def propose(
    a: Person,
    b: Person,
    *,
    length: timedelta,
    now: datetime,
    count: int = 3,
    horizon_days: int = 14,
    step: timedelta = timedelta(minutes=30),
    lead: timedelta = LEAD,
) -> Proposal:
    """The next `count` non-overlapping free times of `length` for `a` and `b`.

    Starts are on `step` boundaries (counted from midnight UTC), strictly after `now + lead`, and each slot ends
    within `horizon_days` of now. When no slot lies inside both people's working hours, the closest times are
    offered instead: each person's distance is how many minutes the slot would have to move to fit inside their
    working hours (0 when it does); slots are ranked by the larger of the two distances, so the inconvenience
    is shared, then by their sum, then earliest. (Counting only the minutes outside hours would rank a slot at
    3 a.m. for one person the same as one just after work for both.) DND, sessions and away days still apply.
    """
    size, stride = int(length.total_seconds()), int(step.total_seconds())
    if size <= 0 or stride <= 0:
        raise ValueError("length and step must be positive")
    if count <= 0:
        raise ValueError("count must be positive")
    now_s = int(_utc(now).timestamp())
    first = ((now_s + int(lead.total_seconds())) // stride + 1) * stride  # strictly after now + lead
    last = now_s + horizon_days * 86400  # the latest a slot may end
    windows = [_windows(p, first - _MARGIN, last + _MARGIN) for p in (a, b)]
    blocked = _blocks(a, first) + _blocks(b, first)

    # Aligned starts whose whole slot misses every DND window, session and away day of either person.
    gaps = _free(blocked, first, last)
    candidates = [at for start, end in gaps for at in range(-(-start // stride) * stride, end - size + 1, stride)]
    far_a, far_b = (_distances(spans, candidates, size) for spans in windows)
    inside = [at for at, da, db in zip(candidates, far_a, far_b, strict=True) if da == db == 0]
    if inside:
        return Proposal(_pick(inside, size, count), True)
    ranked = sorted((max(da, db), da + db, at) for at, da, db in zip(candidates, far_a, far_b, strict=True))
    return Proposal(sorted(_pick((at for _, _, at in ranked), size, count)), False)


def clashes(person: Person, start: datetime, length: timedelta) -> bool:
    """Whether a slot meets one of the person's sessions, DND windows or away days: a slot picked from an older
    proposal is checked again before it is booked (working hours are not: a closest time may lie outside them)."""
    begin = _ts(start)
    end = begin + int(length.total_seconds())
    return any(s < end and begin < e for s, e in _blocks(person, begin))


def dnd_intervals(info: Mapping[str, Any], *, tz: str, now: datetime, days: int = 14) -> list[Interval]:
    """The UTC intervals a `dnd.info` answer blocks, from now on.

    A snooze blocks now until `snooze_endtime`. Slack tells only the next scheduled window
    (`next_dnd_start_ts`–`next_dnd_end_ts`); DND schedules repeat daily, so it is repeated at the same local
    clock times for `days` days (and one day back, for a window already under way), right across DST changes.
    For other users Slack leaves the snooze fields out; missing or odd fields count as no DND.
    """
    now = _utc(now)
    found: list[Interval] = []
    snooze_end = epoch(info.get("snooze_endtime"))
    if info.get("snooze_enabled") and snooze_end is not None and snooze_end > now:
        found.append((now, snooze_end))
    start, end = epoch(info.get("next_dnd_start_ts")), epoch(info.get("next_dnd_end_ts"))
    if info.get("dnd_enabled") and start is not None and end is not None and end > start:
        if end - start >= timedelta(days=1):  # not a daily schedule: take it as it is
            found.append((start, end))
        else:
            zone = _zone(tz)
            local_start, local_end = start.astimezone(zone), end.astimezone(zone)
            for k in range(-1, days + 1):
                shift = timedelta(days=k)
                s = datetime.combine(local_start.date() + shift, local_start.time(), zone).astimezone(UTC)
                e = datetime.combine(local_end.date() + shift, local_end.time(), zone).astimezone(UTC)
                if e > s and e > now:
                    found.append((s, e))
    return sorted(found)


# Slack's own "Vacationing" status is :palm_tree:, its "Out sick" :face_with_thermometer:.
AWAY_EMOJI = frozenset(
    {":palm_tree:", ":airplane:", ":airplane_departure:", ":beach_with_umbrella:", ":desert_island:"}
)
AWAY_EMOJI = AWAY_EMOJI | {":face_with_thermometer:"}
_AWAY_WORDS = re.compile(
    r"\b(vacation\w*|holidays?|ooo|out of (the )?office|out sick|pto|on leave|urlaub|vacances|vacaciones|ferie)\b",
    re.IGNORECASE,
)


def away_until(user: Mapping[str, Any], *, now: datetime) -> datetime | None:
    """When a vacation or out-of-office status ends (UTC), or None when the person is not away.

    Takes a `users.info` user or its `profile`. Away is a status emoji like :palm_tree: or a status text with
    vacation, holiday, OOO, out of office, … . Its `status_expiration` (epoch seconds) is the end; 0 means
    none was set, and then the person counts as away for `NO_EXPIRY_AWAY` (7 days) from now only.
    """
    profile = user.get("profile")
    fields: Mapping[str, Any] = profile if isinstance(profile, Mapping) else user
    emoji = str(fields.get("status_emoji") or "").lower()
    text = str(fields.get("status_text") or "")
    if emoji not in AWAY_EMOJI and not _AWAY_WORDS.search(text):
        return None
    now = _utc(now)
    expiry = epoch(fields.get("status_expiration"))
    if expiry is None:
        return now + NO_EXPIRY_AWAY
    return expiry if expiry > now else None  # an expired status Slack has not cleared yet


# -- instants as seconds ---------------------------------------------------------------------------------------

_Span = tuple[int, int]


@lru_cache(maxsize=256)
def _zone(name: str) -> tzinfo:
    """The person's timezone; an unknown name (an odd Slack profile) counts as UTC rather than failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(value: datetime) -> int:
    return int(_utc(value).timestamp())


def _dt(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def epoch(value: Any) -> datetime | None:
    """An instant Slack gives in epoch seconds (a number or a string); 0, nothing or junk: None."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return _dt(int(seconds)) if seconds > 0 else None


def _windows(person: Person, lo: int, hi: int) -> list[_Span]:
    """The person's working hours between lo and hi, one span a working day, from local wall-clock times (so a
    09:00 start stays 09:00 on both sides of a DST change)."""
    zone, hours = _zone(person.tz), person.hours
    day: date = _dt(lo).astimezone(zone).date() - timedelta(days=1)
    end_day = _dt(hi).astimezone(zone).date() + timedelta(days=1)
    spans: list[_Span] = []
    while day <= end_day:
        if day.weekday() in hours.days:
            start = _ts(datetime.combine(day, hours.start, zone))
            end = _ts(datetime.combine(day, hours.end, zone))
            if end > start:
                spans.append((start, end))
        day += timedelta(days=1)
    return spans


def _blocks(person: Person, first: int) -> list[_Span]:
    spans = [(_ts(s), _ts(e)) for s, e in (*person.dnd, *person.busy)]
    if person.away_until is not None:
        zone = _zone(person.tz)
        back = _utc(person.away_until).astimezone(zone).date() + timedelta(days=1)
        spans.append((first - 1, _ts(datetime.combine(back, time(0), zone))))  # until their local midnight
    return [(s, e) for s, e in spans if e > s]


def _free(blocked: list[_Span], first: int, last: int) -> list[_Span]:
    """The gaps between the blocked spans, from first to last."""
    gaps: list[_Span] = []
    cursor = first
    for start, end in sorted(blocked):
        if start > cursor:
            gaps.append((cursor, min(start, last)))
        cursor = max(cursor, end)
    if cursor < last:
        gaps.append((cursor, last))
    return gaps


def _pick(starts: Iterable[int], size: int, count: int) -> list[datetime]:
    """The first `count` starts, in the order given, whose slots do not overlap one picked before."""
    chosen: list[int] = []
    for at in starts:
        if all(abs(at - other) >= size for other in chosen):
            chosen.append(at)
            if len(chosen) == count:
                break
    return [_dt(at) for at in chosen]


def _distances(windows: list[_Span], candidates: list[int], size: int) -> list[int]:
    """For each candidate start (ascending), how far [start, start + size) must move to fit the nearest working
    span: 0 inside one. Only the spans either side of the start can be nearest, so one sweep does it."""
    out: list[int] = []
    i, n = 0, len(windows)
    for start in candidates:
        while i < n and windows[i][0] <= start:
            i += 1
        end = start + size
        best = 1 << 62
        if i > 0:  # the span that began at or before the start: only its end can be in the way
            w_end = windows[i - 1][1]
            best = end - w_end if end > w_end else 0
        if i < n:  # the next span: move later to its start, and earlier again if it is too short
            w_start, w_end = windows[i]
            later = w_start - start + (end - w_end if end > w_end else 0)
            best = min(best, later)
        out.append(best)
    return out
