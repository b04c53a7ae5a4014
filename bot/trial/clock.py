"""`/time +2d` in the console: the trial's clock moves ahead and the scheduler runs what falls due on the way."""

from __future__ import annotations

import re
from datetime import timedelta

from slack_sdk import WebClient

from bot.deps import Deps
from bot.jobs import JobContext
from bot.scheduler import Scheduler
from bot.services.sessions import REMIND_BEFORE
from store.models import move_clock, utcnow
from store.repos import Repos

_AHEAD = re.compile(r"^\+?\s*(?:\d{1,4}\s*[wdhm]\s*)+$")
_PART = re.compile(r"(\d{1,4})\s*([wdhm])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_EARLY = timedelta(minutes=5)  # before a session's start: inside its reminder's ten minutes


def parse(text: str) -> timedelta | None:
    """ "+30m", "+2h", "+2d", "+1w", or several together ("+2h30m", "+1d 4h") as a timedelta; None for anything
    else."""
    if not _AHEAD.match(text.strip()):
        return None
    return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _PART.findall(text)), timedelta())


def resume(deps: Deps) -> timedelta:
    """On a restart the trial's clock goes on from the latest moment its data records, never behind it: the
    clock's lead lives in this process only, while what `/time` let happen stays in the database (a need the
    trial saw on Dec 18 is not "waiting since Dec 18" on Dec 7, and a session it saw end is not coming up).
    Returns how far the clock moved."""
    with deps.db() as db:
        latest = Repos(db).timeline.latest()
    behind = latest - utcnow() if latest is not None else timedelta()
    if behind <= timedelta():
        return timedelta()
    move_clock(behind)
    return behind


def run_ahead(deps: Deps, client: WebClient, ahead: timedelta) -> None:
    """Move the clock `ahead` and run the scheduler's jobs as they fall due, with `client` for every workspace."""
    start = utcnow()
    end = start + ahead
    # The scheduler ticks every minute; the trial stops each hour, and just before each session starts, so
    # what is due only for a while (a reminder, the digest's morning) still happens on the way.
    with deps.db() as db:
        starts = Repos(db).sessions.starts_between(start, end)
    hours = int((end - start).total_seconds() // 3600)
    hourly = [start + timedelta(hours=h) for h in range(1, hours + 1)]
    # An hourly stop inside a reminder's ten minutes would send it early ("starts in 7 minutes"), whatever the
    # minute the trial was started at: the stop just before the session sends it.
    hourly = [h for h in hourly if not any(s - REMIND_BEFORE <= h < s for s in starts)]
    stops = sorted({*hourly, *(s - _EARLY for s in starts)})
    stops = [stop for stop in stops if start < stop < end] + [end]
    scheduler = Scheduler(JobContext(deps, lambda _team: client), interval=60, campaign_every=15)
    for stop in stops:
        move_clock(stop - utcnow())
        scheduler.run_all(stop)
        deps.background.wait_idle()
