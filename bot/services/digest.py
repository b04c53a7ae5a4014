"""The weekly digest's content: what is wanted, who started teaching, sessions, and thanks. Never who asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.repos import Repos

TOP = 5


@dataclass(frozen=True)
class Digest:
    team_id: str
    iso_year: int
    iso_week: int
    wanted_untaught: list[tuple[str, int]]  # topic, learners waiting (counts only: needs are private)
    new_experts: list[tuple[str, int]]  # topic, people who started teaching it last week
    sessions_held: int
    upcoming: list[tuple[str, datetime]]  # topic, start
    leaderboard: list[tuple[str, int]]  # user id, kudos received last week
    tz: str
    shout_outs: list[tuple[str, str]] = field(default_factory=list)  # user id, topic they taught last week

    @property
    def empty(self) -> bool:
        return not (self.wanted_untaught or self.new_experts or self.sessions_held or self.upcoming or self.leaderboard)


def week_bounds(now: datetime, tz: str) -> tuple[datetime, datetime, int, int]:
    """Start of last week and of this week (Mondays 00:00 in the workspace timezone), and this ISO week."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    # Midnights built from dates, so a DST change inside the week does not shift them.
    this_week = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    last_week = datetime.combine(monday - timedelta(days=7), datetime.min.time(), tzinfo=zone)
    year, week, _ = local.isocalendar()
    return last_week, this_week, year, week


def build(repos: Repos, *, team_id: str, now: datetime, tz: str) -> Digest:
    """This ISO week's digest for one workspace, from last week's activity and the week ahead."""
    last_week, this_week, year, week = week_bounds(now, tz)
    return Digest(
        team_id=team_id,
        iso_year=year,
        iso_week=week,
        wanted_untaught=repos.digest.wanted_untaught(team_id, TOP),
        new_experts=repos.digest.new_experts(team_id, last_week, this_week, TOP),
        sessions_held=repos.digest.sessions_between(team_id, last_week, min(now, this_week + timedelta(days=7))),
        upcoming=repos.digest.upcoming(team_id, now, now + timedelta(days=7), TOP),
        leaderboard=repos.digest.leaderboard(team_id, last_week, this_week, TOP),
        tz=tz,
        shout_outs=repos.digest.teachers(team_id, last_week, this_week, TOP),
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
