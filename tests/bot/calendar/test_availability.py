"""Working hours, free slots for two people across timezones and DST, and reading Slack's DND and away status."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.availability import (
    LEAD,
    NO_EXPIRY_AWAY,
    Person,
    away_until,
    clashes,
    dnd_intervals,
    propose,
)
from bot.calendar.hours import WorkingHours, validate_hours

HALF_HOUR = timedelta(minutes=30)
HOUR = timedelta(hours=1)
ALWAYS = WorkingHours(frozenset(range(7)), time(0), time(23, 59))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def local(slot: datetime, tz: str) -> str:
    return f"{slot.astimezone(ZoneInfo(tz)):%a %H:%M}"


def inside_hours(slot: datetime, length: timedelta, person: Person) -> bool:
    start, end = slot.astimezone(ZoneInfo(person.tz)), (slot + length).astimezone(ZoneInfo(person.tz))
    hours = person.hours
    return start.weekday() in hours.days and hours.start <= start.time() and end.time() <= hours.end


# -- working hours --------------------------------------------------------------------------------------------


def test_the_default_is_monday_to_friday_nine_to_five_and_nobody_has_to_set_it() -> None:
    assert WorkingHours(frozenset({0, 1, 2, 3, 4}), time(9), time(17)) == WorkingHours.DEFAULT
    assert Person("Europe/Berlin").hours == WorkingHours.DEFAULT
    assert WorkingHours.parse(None) == WorkingHours.parse("") == WorkingHours.DEFAULT
    assert WorkingHours.DEFAULT.to_text() == "mon-fri 09:00-17:00"
    assert WorkingHours.DEFAULT.label() == "Mon–Fri, 09:00–17:00"


@pytest.mark.parametrize(
    "text",
    [
        "mon-fri 09:00-17:00",
        "mon,wed,fri 08:30-16:00",
        "sun-thu 08:00-16:00",  # a week that runs through the weekend stays one range
        "sat,sun 10:00-12:00",
        "mon-sun 00:00-23:59",
        "mon,tue,thu-sat 07:15-15:45",
    ],
)
def test_hours_are_stored_compactly_and_read_back(text: str) -> None:
    hours = WorkingHours.parse(text)
    assert hours.to_text() == text
    assert WorkingHours.parse(hours.to_text()) == hours


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("Mon - Fri 9:00-17:00", "mon-fri 09:00-17:00"),
        ("monday,wednesday 9:30-12:00", "mon,wed 09:30-12:00"),
        ("fri,mon,tue,wed,thu 09:00-17:00", "mon-fri 09:00-17:00"),
        ("sun,tue 09:00-10:00", "tue,sun 09:00-10:00"),
    ],
)
def test_hours_written_loosely_are_stored_one_way(text: str, stored: str) -> None:
    assert WorkingHours.parse(text).to_text() == stored


@pytest.mark.parametrize("text", ["mon-fri", "funday 09:00-17:00", "mon-fri 17:00-09:00", "mon-fri 09:00-25:00"])
def test_hours_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        WorkingHours.parse(text)


@pytest.mark.parametrize(
    ("days", "start", "end", "errors"),
    [
        (["0", "1", "2"], "09:00", "17:00", {}),
        (["mon"], "17:00", "09:00", {"end": "The end must be after the start."}),
        (["mon"], "09:00", "09:00", {"end": "The end must be after the start."}),
        ([], "09:00", "17:00", {"days": "Choose at least one day."}),
        (
            [],
            None,
            "",
            {"days": "Choose at least one day.", "start": "Choose a start time.", "end": "Choose an end time."},
        ),
        (
            ["7"],
            "9am",
            "17:00",
            {"days": "Choose days from Monday to Sunday.", "start": "Write the time as HH:MM, e.g. 09:30."},
        ),
    ],
)
def test_the_form_is_checked_field_by_field(
    days: list[str], start: str | None, end: str | None, errors: dict[str, str]
) -> None:
    assert validate_hours(days, start, end) == errors


def test_a_form_turns_into_hours_only_when_it_is_valid() -> None:
    assert WorkingHours.from_form(["0", "2", "4"], "08:30", "16:00") == WorkingHours.parse("mon,wed,fri 08:30-16:00")
    assert WorkingHours.from_form(iter(["sat", "sun"]), time(10), time(12)).to_text() == "sat,sun 10:00-12:00"
    with pytest.raises(ValueError, match=r"The end must be after the start\."):
        WorkingHours.from_form(["0"], "17:00", "09:00")
    with pytest.raises(ValueError, match=r"Choose at least one day\."):
        WorkingHours(frozenset(), time(9), time(17))


# -- proposing slots ------------------------------------------------------------------------------------------

BERLIN, NEW_YORK = Person("Europe/Berlin"), Person("America/New_York")


def test_berlin_and_new_york_get_the_afternoon_in_berlin_and_the_morning_in_new_york() -> None:
    proposal = propose(BERLIN, NEW_YORK, length=HALF_HOUR, now=utc(2025, 10, 13, 6))

    assert proposal.overlap
    assert proposal.slots == [utc(2025, 10, 13, 13), utc(2025, 10, 13, 13, 30), utc(2025, 10, 13, 14)]
    assert [local(s, "Europe/Berlin") for s in proposal.slots] == ["Mon 15:00", "Mon 15:30", "Mon 16:00"]
    assert [local(s, "America/New_York") for s in proposal.slots] == ["Mon 09:00", "Mon 09:30", "Mon 10:00"]
    assert all(inside_hours(s, HALF_HOUR, p) for s in proposal.slots for p in (BERLIN, NEW_YORK))


@pytest.mark.parametrize(
    ("monday", "slots"),
    [
        # Both on summer time: 6 hours apart, two shared hours (13–15 UTC).
        (utc(2025, 10, 20, 6), [utc(2025, 10, 20, 13), utc(2025, 10, 20, 14), utc(2025, 10, 21, 13)]),
        # Berlin left summer time on 26 October, New York not until 2 November: 5 hours apart, three shared hours.
        (utc(2025, 10, 27, 6), [utc(2025, 10, 27, 13), utc(2025, 10, 27, 14), utc(2025, 10, 27, 15)]),
        # Both on standard time: 6 hours apart again, an hour later in UTC.
        (utc(2025, 11, 3, 6), [utc(2025, 11, 3, 14), utc(2025, 11, 3, 15), utc(2025, 11, 4, 14)]),
    ],
)
def test_the_week_between_two_dst_changes_has_a_longer_overlap(monday: datetime, slots: list[datetime]) -> None:
    proposal = propose(BERLIN, NEW_YORK, length=HOUR, now=monday)
    assert proposal.slots == slots
    assert all(inside_hours(s, HOUR, p) for s in proposal.slots for p in (BERLIN, NEW_YORK))


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (utc(2025, 10, 31, 0), utc(2025, 10, 31, 13)),  # Friday, daylight time: 09:00 is 13:00 UTC
        (utc(2025, 11, 1, 0), utc(2025, 11, 3, 14)),  # Monday after the change: 09:00 is 14:00 UTC
    ],
)
def test_a_nine_oclock_start_stays_nine_oclock_across_a_dst_change(now: datetime, first: datetime) -> None:
    proposal = propose(NEW_YORK, Person("UTC", ALWAYS), length=HALF_HOUR, now=now, count=1)
    assert proposal.slots == [first]
    assert local(first, "America/New_York").endswith("09:00")


def test_across_the_date_line_only_days_both_work_are_offered() -> None:
    auckland, honolulu = Person("Pacific/Auckland"), Person("Pacific/Honolulu")  # 23 hours apart in November

    proposal = propose(auckland, honolulu, length=HOUR, now=utc(2025, 11, 14, 12))  # Friday in Honolulu

    # Not Auckland's Monday (Sunday in Honolulu), nor Honolulu's Friday (Saturday in Auckland).
    assert [local(s, "Pacific/Auckland") for s in proposal.slots] == ["Tue 09:00", "Tue 10:00", "Tue 11:00"]
    assert [local(s, "Pacific/Honolulu") for s in proposal.slots] == ["Mon 10:00", "Mon 11:00", "Mon 12:00"]


def test_twelve_hours_apart_there_is_no_overlap_and_the_closest_times_share_the_stretch() -> None:
    tokyo = Person("Asia/Tokyo")  # 14 hours ahead of New York in January: no shared working hour

    proposal = propose(tokyo, NEW_YORK, length=HALF_HOUR, now=utc(2025, 1, 13, 12))

    assert not proposal.overlap
    # Just after work in New York and just before it in Tokyo, each about an hour and a half outside their hours;
    # never 09:00 in New York at 11 p.m. in Tokyo, which is as far outside hours in minutes but not as close.
    assert proposal.slots == [utc(2025, 1, 13, 22, 30), utc(2025, 1, 13, 23), utc(2025, 1, 14, 22, 30)]
    assert [local(s, "America/New_York") for s in proposal.slots] == ["Mon 17:30", "Mon 18:00", "Tue 17:30"]
    assert [local(s, "Asia/Tokyo") for s in proposal.slots] == ["Tue 07:30", "Tue 08:00", "Wed 07:30"]


def test_the_closest_times_still_respect_dnd_sessions_and_away_days() -> None:
    nights = [(utc(2025, 1, d, 22), utc(2025, 1, d + 1, 1)) for d in range(13, 27)]  # 7 p.m. to 10 p.m. in NY
    tokyo, new_york = (
        Person("Asia/Tokyo", busy=[(utc(2025, 1, 20, 3), utc(2025, 1, 20, 4))]),
        Person("America/New_York", dnd=nights, away_until=utc(2025, 1, 14, 12)),
    )

    proposal = propose(tokyo, new_york, length=HALF_HOUR, now=utc(2025, 1, 13, 12))

    assert not proposal.overlap
    assert len(proposal.slots) == 3
    for slot in proposal.slots:
        assert all(not (start < slot + HALF_HOUR and slot < end) for start, end in nights)
        assert slot.astimezone(ZoneInfo("America/New_York")).date() > datetime(2025, 1, 14).date()


def test_do_not_disturb_is_skipped() -> None:
    berlin = Person("Europe/Berlin", dnd=[(utc(2025, 10, 13, 13), utc(2025, 10, 13, 14))])
    proposal = propose(berlin, NEW_YORK, length=HALF_HOUR, now=utc(2025, 10, 13, 6))
    assert proposal.slots == [utc(2025, 10, 13, 14), utc(2025, 10, 13, 14, 30), utc(2025, 10, 14, 13)]


def test_other_sessions_are_skipped_even_when_they_only_touch_part_of_a_slot() -> None:
    new_york = Person("America/New_York", busy=[(utc(2025, 10, 13, 13, 15), utc(2025, 10, 13, 13, 45))])
    proposal = propose(BERLIN, new_york, length=HALF_HOUR, now=utc(2025, 10, 13, 6))
    assert proposal.slots == [utc(2025, 10, 13, 14), utc(2025, 10, 13, 14, 30), utc(2025, 10, 14, 13)]


@pytest.mark.parametrize(
    ("back", "first"),
    [
        (utc(2025, 10, 13, 10), utc(2025, 10, 14, 13)),  # away all of Monday
        (utc(2025, 10, 13, 23, 30), utc(2025, 10, 15, 13)),  # already Tuesday in Berlin: away all of Tuesday too
    ],
)
def test_no_slot_falls_on_a_local_day_someone_is_away(back: datetime, first: datetime) -> None:
    berlin = Person("Europe/Berlin", away_until=back)
    assert propose(berlin, NEW_YORK, length=HALF_HOUR, now=utc(2025, 10, 13, 6)).slots[0] == first


def test_a_slot_booked_meanwhile_clashes_when_it_is_picked() -> None:
    slot = utc(2025, 10, 13, 13)
    assert not clashes(NEW_YORK, slot, HALF_HOUR)
    booked = Person("America/New_York", busy=[(utc(2025, 10, 13, 13, 15), utc(2025, 10, 13, 14))])
    assert clashes(booked, slot, HALF_HOUR)
    assert not clashes(booked, utc(2025, 10, 13, 12, 45), HALF_HOUR)  # ends as the session starts
    assert clashes(Person("America/New_York", away_until=utc(2025, 10, 13, 12)), slot, HALF_HOUR)
    assert clashes(Person("America/New_York", dnd=[(slot, slot + HOUR)]), slot, HALF_HOUR)


@pytest.mark.parametrize("step", [timedelta(minutes=15), HALF_HOUR, HOUR])
def test_slots_start_on_step_boundaries_strictly_after_the_lead_time(step: timedelta) -> None:
    now = utc(2025, 10, 13, 12, 13, 27)
    proposal = propose(BERLIN, NEW_YORK, length=HALF_HOUR, now=now, step=step, count=4)
    assert proposal.slots
    for slot in proposal.slots:
        assert slot > now + LEAD
        assert (slot - utc(2025, 10, 13)) % step == timedelta(0)


def test_a_slot_exactly_at_the_lead_time_is_too_soon() -> None:
    proposal = propose(BERLIN, NEW_YORK, length=HALF_HOUR, now=utc(2025, 10, 13, 12))
    assert proposal.slots[0] == utc(2025, 10, 13, 13, 30)


@pytest.mark.parametrize("count", [1, 3, 5])
def test_count_slots_that_never_overlap(count: int) -> None:
    proposal = propose(BERLIN, NEW_YORK, length=HOUR, now=utc(2025, 10, 13, 6), count=count)
    assert len(proposal.slots) == count
    assert all(b >= a + HOUR for a, b in zip(proposal.slots, proposal.slots[1:], strict=False))


def test_fewer_slots_when_fewer_are_free_within_the_horizon() -> None:
    proposal = propose(BERLIN, NEW_YORK, length=HOUR, now=utc(2025, 10, 13, 6), horizon_days=1)
    assert proposal == type(proposal)([utc(2025, 10, 13, 13), utc(2025, 10, 13, 14)], True)


def test_naive_times_are_utc_and_an_unknown_timezone_counts_as_utc() -> None:
    naive = propose(Person("Mars/Olympus_Mons"), Person("UTC"), length=HOUR, now=datetime(2025, 10, 13, 6), count=1)
    assert naive.slots == [utc(2025, 10, 13, 9)]


# -- what Slack tells -----------------------------------------------------------------------------------------


def test_dnd_off_blocks_nothing() -> None:
    off = {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
    assert dnd_intervals(off, tz="Europe/Berlin", now=utc(2025, 10, 13)) == []
    assert dnd_intervals({}, tz="Europe/Berlin", now=utc(2025, 10, 13)) == []


def test_a_snooze_blocks_from_now_until_it_ends() -> None:
    now, end = utc(2025, 10, 13, 12), utc(2025, 10, 13, 13, 30)
    snoozed = {"dnd_enabled": False, "snooze_enabled": True, "snooze_endtime": int(end.timestamp())}
    assert dnd_intervals(snoozed, tz="UTC", now=now) == [(now, end)]


def test_a_nightly_dnd_repeats_at_the_same_local_time_across_a_dst_change() -> None:
    # Friday 22:00 to Saturday 07:00 in Berlin, still on summer time; the clocks go back on Sunday.
    start, end = utc(2025, 10, 24, 20), utc(2025, 10, 25, 5)
    info = {"dnd_enabled": True, "next_dnd_start_ts": start.timestamp(), "next_dnd_end_ts": end.timestamp()}

    nights = dnd_intervals(info, tz="Europe/Berlin", now=utc(2025, 10, 24, 12), days=5)

    assert nights[0] == (start, end)
    assert {(local(s, "Europe/Berlin")[-5:], local(e, "Europe/Berlin")[-5:]) for s, e in nights} == {("22:00", "07:00")}
    assert (utc(2025, 10, 27, 21), utc(2025, 10, 28, 6)) in nights  # Monday night, on winter time


def test_a_dnd_window_already_under_way_is_kept() -> None:
    # 05:00 on Saturday in Berlin: Slack names tonight's window as the next one; last night's is still on.
    tonight = {
        "dnd_enabled": True,
        "next_dnd_start_ts": utc(2025, 10, 25, 20).timestamp(),
        "next_dnd_end_ts": utc(2025, 10, 26, 6).timestamp(),
    }
    now = utc(2025, 10, 25, 3)
    assert any(s <= now < e for s, e in dnd_intervals(tonight, tz="Europe/Berlin", now=now))


def test_a_vacation_status_lasts_until_it_expires() -> None:
    user = {"profile": {"status_emoji": ":palm_tree:", "status_text": "", "status_expiration": 1761609600}}
    assert away_until(user, now=utc(2025, 10, 20)) == datetime.fromtimestamp(1761609600, UTC)


@pytest.mark.parametrize(
    "status", ["Out of office", "OOO until Monday", "On holiday", "vacationing 🏖", "Out sick", "Im Urlaub"]
)
def test_away_words_count_and_without_an_expiry_only_for_a_week(status: str) -> None:
    now = utc(2025, 10, 20)
    assert away_until({"status_text": status, "status_emoji": ":smile:", "status_expiration": 0}, now=now) == (
        now + NO_EXPIRY_AWAY
    )


@pytest.mark.parametrize(
    "profile",
    [
        {"status_emoji": ":coffee:", "status_text": "In a meeting"},
        {"status_emoji": "", "status_text": ""},
        {"status_emoji": ":airplane:", "status_expiration": 1700000000},  # expired; Slack has not cleared it yet
        {"status_text": "Wooo, shipped it"},  # "ooo" inside a word is not out of office
    ],
)
def test_other_statuses_are_not_away(profile: dict[str, object]) -> None:
    assert away_until(profile, now=utc(2025, 10, 20)) is None
