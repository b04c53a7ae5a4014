"""Working hours: the days and local hours a person takes meetings, as App Home's form sets them and one
database column keeps them ("mon-fri 09:00-17:00"). Pure, like the free-time search that reads them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from typing import ClassVar

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = re.compile(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def _day_number(value: int | str) -> int:
    text = str(value).strip().lower()
    match = _DAY.fullmatch(text)
    number = DAY_NAMES.index(match.group(1)) if match else int(text) if text.isdigit() else -1
    if not 0 <= number <= 6:
        raise ValueError(f"no day {value!r}")
    return number


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        a = _day_number(first)
        b = _day_number(last) if sep else a
        days.update((a + k) % 7 for k in range((b - a) % 7 + 1))  # "sun-thu" wraps through the weekend
    return frozenset(days)


def _days_text(days: frozenset[int]) -> str:
    # Begin with the run holding Monday, walked back so that "sun-thu" stays whole; else with the first day.
    begin = 0 if 0 in days else min(days)
    while (begin - 1) % 7 in days and len(days) < 7:
        begin = (begin - 1) % 7
    runs: list[list[str]] = []
    for day in ((begin + k) % 7 for k in range(7)):
        if day in days and runs and DAY_NAMES[(day - 1) % 7] == runs[-1][-1]:
            runs[-1].append(DAY_NAMES[day])
        elif day in days:
            runs.append([DAY_NAMES[day]])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) >= 3 else ",".join(run) for run in runs)


def _as_time(value: time | str | None) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    match = _TIME.fullmatch((value or "").strip())
    if match is None:
        raise ValueError(f"not a time: {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class WorkingHours:
    """The days (0 = Monday … 6 = Sunday) and the local hours a person takes meetings; the same every day.

    Hours lie within one day (no night shifts past midnight) and have minute precision.
    """

    days: frozenset[int]
    start: time
    end: time

    DEFAULT: ClassVar[WorkingHours]  # Monday–Friday 09:00–17:00, for everyone who never set theirs

    def __post_init__(self) -> None:
        errors = validate_hours(self.days, self.start, self.end)
        if errors:
            raise ValueError(" ".join(errors.values()))

    @classmethod
    def parse(cls, text: str | None) -> WorkingHours:
        """Read what `to_text` wrote ("mon-fri 09:00-17:00", "mon,wed,fri 08:30-16:00", "sun-thu 08:00-16:00").

        None or "" is the default, so a database column can stay empty until someone sets their hours.
        Raises ValueError on anything else.
        """
        if not text or not text.strip():
            return cls.DEFAULT
        days_text, _, times_text = text.strip().lower().rpartition(" ")
        start, sep, end = times_text.partition("-")
        if not days_text or not sep:
            raise ValueError(f"Working hours look like 'mon-fri 09:00-17:00', not {text!r}.")
        return cls(_parse_days(days_text), _as_time(start), _as_time(end))

    @classmethod
    def from_form(cls, days: Iterable[int | str], start: time | str | None, end: time | str | None) -> WorkingHours:
        """The hours a form submitted (checkbox values, timepicker "HH:MM"); ValueError unless
        `validate_hours` found nothing wrong."""
        chosen = list(days)
        errors = validate_hours(chosen, start, end)
        if errors:
            raise ValueError(" ".join(errors.values()))
        return cls(frozenset(_day_number(d) for d in chosen), _as_time(start), _as_time(end))

    def to_text(self) -> str:
        """Compact and stable, for one database column: runs of three or more days become ranges."""
        return f"{_days_text(self.days)} {self.start:%H:%M}-{self.end:%H:%M}"

    def label(self) -> str:
        """For people: "Mon–Fri, 09:00–17:00"."""
        days = _days_text(self.days).replace("-", "–").replace(",", ", ")
        return f"{days.title()}, {self.start:%H:%M}–{self.end:%H:%M}"


def validate_hours(days: Iterable[int | str], start: time | str | None, end: time | str | None) -> dict[str, str]:
    """Inline form errors keyed by field ("days", "start", "end"); empty when the hours are fine."""
    errors: dict[str, str] = {}
    try:
        chosen = {_day_number(d) for d in days}
    except ValueError:
        errors["days"] = "Choose days from Monday to Sunday."
    else:
        if not chosen:
            errors["days"] = "Choose at least one day."
    parsed: dict[str, time] = {}
    for name, value in (("start", start), ("end", end)):
        if value is None or value == "":
            errors[name] = f"Choose {'a start' if name == 'start' else 'an end'} time."
            continue
        try:
            parsed[name] = _as_time(value)
        except ValueError:
            errors[name] = "Write the time as HH:MM, e.g. 09:30."
    if len(parsed) == 2 and parsed["end"] <= parsed["start"]:
        errors["end"] = "The end must be after the start."
    return errors


WorkingHours.DEFAULT = WorkingHours(frozenset(range(5)), time(9), time(17))
