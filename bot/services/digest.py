"""The weekly digest's content: what is wanted, who started teaching, sessions, and thanks. Never who asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.scope import Scope
from store.repos import Repos

TOP = 5
# The digest covers this many days up to the moment it is built, whichever weekday that is.
WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    team_id: str
    iso_year: int
    iso_week: int
    wanted_untaught: list[tuple[str, int]]  # topic, learners waiting (counts only: needs are private)
    new_experts: list[tuple[str, int]]  # topic, people who started teaching it in the window
    sessions_held: int  # sessions that started in the window
    upcoming: list[tuple[str, datetime]]  # topic, start
    leaderboard: list[tuple[str, int]]  # user id, kudos received in the window
    tz: str
    shout_outs: list[tuple[str, str]] = field(default_factory=list)  # user id, topic they taught in the window

    @property
    def nothing_to_report(self) -> bool:
        """True when every section is empty: such a digest is not posted ("0 wanted topics, 0 sessions")."""
        return not (
            self.wanted_untaught
            or self.new_experts
            or self.sessions_held
            or self.upcoming
            or self.leaderboard
            or self.shout_outs
        )


def week_bounds(now: datetime, tz: str) -> tuple[datetime, datetime, int, int]:
    """The digest's window (the 7 days up to `now`, in UTC) and the ISO week of `now` in the workspace timezone."""
    # Up to `now`, not up to Monday: a digest built mid-week (`peerlearn digest`, a catch-up) shows this week's news.
    local = now.astimezone(ZoneInfo(tz))
    # Seven days back on the local clock (aware arithmetic keeps the wall time): the scheduled digests' windows
    # meet end to end, with no gap or overlap, when the clocks change in between.
    start = (local - WINDOW).astimezone(UTC)
    year, week, _ = local.isocalendar()
    return start, now.astimezone(UTC), year, week


def build(scope: Scope, *, tz: str) -> Digest:
    """This ISO week's digest for one tenant, from the last 7 days' activity and the 7 days ahead."""
    repos, team_id = scope.repos, scope.team
    start, end, year, week = week_bounds(scope.now, tz)
    return Digest(
        team_id=team_id,
        iso_year=year,
        iso_week=week,
        wanted_untaught=repos.digest.wanted_untaught(team_id, TOP),
        new_experts=repos.digest.new_experts(team_id, start, end, TOP),
        sessions_held=repos.digest.sessions_between(team_id, start, end),
        upcoming=repos.digest.upcoming(team_id, end, end + WINDOW, TOP),
        leaderboard=repos.digest.leaderboard(team_id, start, end, TOP),
        tz=tz,
        shout_outs=repos.digest.teachers(team_id, start, end, TOP),
    )


def scheduled(now: datetime, weekday: int, at: time, tz: str) -> tuple[int, int, datetime]:
    """The ISO week (year, week) `now` falls in, in the workspace timezone, and when that week's digest is due.

    Built from the local date and clock time, so a daylight-saving change moves neither: a time that does not exist
    that day (02:30 in a spring-forward night) falls an hour later, and one that happens twice counts once.
    """
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    year, week, _ = local.isocalendar()
    day = local.date() - timedelta(days=local.weekday()) + timedelta(days=weekday)
    due = datetime.combine(day, at, tzinfo=zone)
    # Round-trip through UTC: a non-existent local time comes back as the real instant it names.
    return year, week, due.astimezone(UTC)


@dataclass(frozen=True)
class Claim:
    """This week's digest, taken to post: which run, whether an earlier attempt may have posted it, since when."""

    run_id: int
    retry: bool
    since: datetime


def installed_after(repos: Repos, key: str, due: datetime) -> bool:
    """Whether the workspace came after this week's digest hour: its first digest is next week's, not one at once
    about a week it was not there for."""
    row = repos.workspaces.get(key)
    return row is not None and row.created_at > due


def claim(
    scope: Scope, *, key: str, year: int, week: int, force: bool = False, on_demand: bool = False
) -> Claim | None:
    """Take this week's digest to post; None when it is posted, refused for good, or another process holds it.
    `on_demand` (`peerlearn digest`) may take a week the scheduler found nothing to report in. The caller commits
    before posting, so every other process sees the claim."""
    run = scope.repos.runs.claim(key, year, week, scope.now, force=force, again_if_nothing=on_demand)
    return Claim(run.id, run.attempts > 1, run.created_at) if run is not None else None


def record_posted(scope: Scope, *, run_id: int, channel: str, ts: str) -> None:
    scope.repos.runs.posted(run_id, channel, ts, scope.now)


def record_nothing(scope: Scope, *, run_id: int) -> None:
    """This week's digest had nothing to report: done, with no message, so it is not rebuilt every minute."""
    scope.repos.runs.nothing_to_report(run_id, scope.now)


def record_refused(scope: Scope, *, run_id: int, channel: str, error: str) -> list[str]:
    """Record why Slack refused the digest for good; the admins to tell, none if last week failed the same way
    (they were told then)."""
    first_time = scope.repos.runs.failed(run_id, channel, error)
    return [member.user_id for member in scope.repos.members.admins(scope.team)] if first_time else []
