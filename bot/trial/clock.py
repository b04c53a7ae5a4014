"""`/time +2d` in the console: the trial's clock moves ahead and the scheduler runs what falls due on the way."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy.engine import make_url

from bot.deps import Deps
from bot.jobs import JobContext
from bot.scheduler import Scheduler
from bot.services.sessions import REMIND_BEFORE
from store.repos import Repos

MAX_AHEAD = timedelta(weeks=8)  # the scheduler runs each hour on the way: further would take minutes
TOO_FAR = "That is too far: /time moves at most 8 weeks at once (`/time +8w`)."
_AHEAD = re.compile(r"^\+?\s*(?:\d{1,4}\s*[wdhm]\s*)+$")
_PART = re.compile(r"(\d{1,4})\s*([wdhm])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse(text: str) -> timedelta | None:
    """ "+30m", "+2h", "+2d", "+1w", or several together ("+2h30m", "+1d 4h") as a timedelta; None for anything
    else."""
    if not _AHEAD.match(text.strip()):
        return None
    return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _PART.findall(text)), timedelta())


def mark_file(database_url: str) -> Path:
    """Where the trial writes the time its clock reached: beside its SQLite file (peerlearn-trial.db →
    peerlearn-trial.clock), else in the current folder. The clock moves in this process only, and the data
    does not record every moment it reached (a `/time +3d` in which nothing fell due writes nothing)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_suffix(".clock")
    return Path("peerlearn-trial.clock")


def remember(deps: Deps) -> None:
    """Write down the time the trial's clock has reached, for the next start in the same folder."""
    mark = {"database": _database(deps), "reached": deps.clock.now().isoformat()}
    # A folder the trial cannot write to: a restart then goes on from its data alone, as before.
    with contextlib.suppress(OSError):
        mark_file(deps.settings.database_url).write_text(json.dumps(mark), encoding="utf-8")


def resume(deps: Deps) -> timedelta:
    """On a restart the trial's clock goes on from the later of the time it reached (its mark file) and the
    latest moment its data records, never behind either: a need the trial saw on Dec 18 is not "waiting since
    Dec 18" on Dec 7, a session it saw end is not coming up, and "It is now" never goes back. Returns how far
    the clock moved."""
    with deps.db() as db:
        latest = Repos(db, deps.clock.now).timeline.latest()
    if latest is None:
        return timedelta()  # an empty database is a new trial (its file deleted, its tables emptied): now is now
    behind = max(latest, _reached(deps) or latest) - deps.clock.now()
    if behind <= timedelta():
        return timedelta()
    deps.clock.move(behind)
    return behind


def _database(deps: Deps) -> str:
    return make_url(deps.settings.database_url).render_as_string(hide_password=True)


def _reached(deps: Deps) -> datetime | None:
    """The time the mark file records, if it was written for this database; None when there is none to read."""
    try:
        mark = json.loads(mark_file(deps.settings.database_url).read_text(encoding="utf-8"))
        if mark.get("database") != _database(deps):
            return None  # another database's trial (PostgreSQL marks share the folder's file)
        reached = datetime.fromisoformat(mark["reached"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no mark yet, or one this version cannot read: the data alone says where the clock was
    return reached if reached.tzinfo is not None else None


def run_ahead(deps: Deps, client: WebClient, ahead: timedelta) -> None:
    """Move the clock `ahead` and run the scheduler's jobs as they fall due, with `client` for every workspace."""
    start = deps.clock.now()
    end = start + ahead
    # The scheduler ticks every minute; the trial stops each hour, so what is due only for a while (the digest's
    # morning) still happens on the way. A reminder is the exception: the trial's user reads what the jump sent
    # only once it is over, and "starts in 10 minutes" about a session already over is false. So no stop falls
    # inside a reminder's window: a jump past a session's start sends its follow-up, not its reminder, and a jump
    # that lands inside the window sends the reminder at the end, counting the minutes truly left.
    with deps.db() as db:
        starts = Repos(db, deps.clock.now).sessions.starts_between(start, end + REMIND_BEFORE)
    hours = int((end - start).total_seconds() // 3600)
    hourly = [start + timedelta(hours=h) for h in range(1, hours + 1)]
    hourly = [h for h in hourly if not any(s - REMIND_BEFORE <= h < s for s in starts)]
    stops = [stop for stop in hourly if start < stop < end] + [end]
    scheduler = Scheduler(JobContext(deps, lambda _team: client), interval=60, campaign_every=15)
    for stop in stops:
        deps.clock.move(stop - deps.clock.now())
        scheduler.run_all(stop)
        deps.background.wait_idle()
    remember(deps)
