"""The App Home's content, the working hours and the privacy controls it offers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.calendar.hours import WorkingHours
from bot.insights.report import Headline, headline
from bot.services import dashboard_admins
from bot.services.learning import NeedCard, my_needs
from bot.services.scope import Scope
from bot.services.teaching import MyTopics, my_topics
from store.repos.insights import InsightsRepo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upcoming:
    topic: str
    starts_at: datetime
    duration_min: int | None
    hosting: bool


@dataclass(frozen=True)
class HomeData:
    topics: MyTopics
    needs: Sequence[NeedCard]
    upcoming: Sequence[Upcoming]
    kudos_month: int
    kudos_total: int
    most_taught: Sequence[tuple[str, int]]
    most_wanted: Sequence[tuple[str, int]]
    opted_out: bool
    tz: str
    now: datetime
    kudos_dm: bool = True
    hours: WorkingHours | None = None  # their own working hours; None: the default, Mon–Fri 09:00–17:00
    endorsements: Sequence[tuple[str, int]] = ()  # (topic, colleagues who endorsed them for it)


def home(scope: Scope, *, default_tz: str) -> HomeData:
    """Everything the member's Home tab shows, read in one transaction."""
    repos, team_id, user_id, now = scope.repos, scope.team, scope.user, scope.now
    member = repos.members.ensure(team_id, user_id)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return HomeData(
        topics=my_topics(scope),
        needs=my_needs(scope),
        upcoming=[
            Upcoming(label, booked.starts_at, booked.duration_min, booked.host_id == member.id)
            for booked, label in repos.home.upcoming_sessions(member, now)
            if booked.starts_at is not None
        ],
        kudos_month=repos.home.kudos_received_since(member, month_start),
        kudos_total=repos.stats.kudos_received(member.team_id, [member.id]).get(member.id, 0),
        most_taught=repos.home.most_taught(team_id),
        most_wanted=repos.home.most_wanted(team_id),
        opted_out=member.opted_out,
        tz=member.tz or default_tz,
        now=now,
        kudos_dm=member.kudos_dm,
        hours=own_hours(member.working_hours),
        endorsements=repos.endorsements.of_member(member),
    )


def own_hours(text: str | None) -> WorkingHours | None:
    """Someone's working hours as saved, or None for the default. A row nobody can read (hand-edited, say)
    counts as the default rather than breaking their Home; they can set it again from there."""
    if not text:
        return None
    try:
        return WorkingHours.parse(text)
    except ValueError:
        logger.warning("unreadable working hours %r: the default is used", text)
        return None


@dataclass(frozen=True)
class MyHours:
    """What the working hours form starts from."""

    hours: WorkingHours | None  # None: the default
    tz: str  # their Slack timezone, or the workspace's when Slack has not told us


def my_hours(scope: Scope, *, default_tz: str) -> MyHours:
    """A read only: a click on an old Home of someone not seen yet creates nothing."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.get(team_id, user_id)
    if member is None:
        return MyHours(None, default_tz)
    return MyHours(own_hours(member.working_hours), member.tz or default_tz)


def set_working_hours(scope: Scope, *, hours: WorkingHours | None) -> None:
    """Save the days and hours peerlearn may propose sessions in; None (or hours equal to the default) saves
    the default as None, so the Home calls it the default. Saving the same twice changes nothing."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    text = None if hours is None or hours == WorkingHours.DEFAULT else hours.to_text()
    repos.members.set_working_hours(member, text)


def set_kudos_dm(scope: Scope, *, enabled: bool) -> None:
    """Whether the member gets a DM when someone gives them kudos."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    repos.members.ensure(team_id, user_id).kudos_dm = enabled


def set_opted_out(scope: Scope, *, opted_out: bool) -> None:
    """Opted-out members are never matched and never named in a digest; their open needs are set aside."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    member.opted_out = opted_out
    if opted_out:
        repos.matches.expire_pending(member)


@dataclass(frozen=True)
class Left:
    """Someone who loses a session or a request because a colleague deleted their data."""

    user_id: str
    topic: str
    starts_at: datetime | None  # the session's start, or None for a request or a "just chat"
    dm_channel: str | None = None  # their Accept/Decline message for it, now moot
    dm_ts: str | None = None
    reader: str = "learner"  # who reads the news: "learner" or "teacher"; each is told what it means for them
    # "session", "request", "offer" or "slot". A teacher whose offer was never accepted is not told who left:
    # needs are shown to teachers without names.
    lost: str = "session"


def delete_my_data(scope: Scope) -> list[Left]:
    """Remove the member and everything that names them; the colleagues who lose a session or a request."""
    repos, team_id, user_id, now = scope.repos, scope.team, scope.user, scope.now
    member = repos.members.get(team_id, user_id)
    if member is None:
        return []
    told = [Left(*row) for row in repos.home.counterparts(member, now)]
    repos.meetings.reopen_needs_helped_by(member)  # their learners are not left "matched" with nobody
    repos.home.forget_member(member)
    return told


@dataclass(frozen=True)
class Page:
    """A member's Home as it is published: its content, whether they administer the workspace, and (for an
    admin) the last digest run's error and channel, so a digest Slack refused is shown until fixed."""

    data: HomeData
    admin: bool
    last_error: str | None = None
    last_channel: str | None = None
    insights: Headline | None = None  # the dashboard's three numbers, for admins
    dashboard_admins: tuple[str, ...] | None = None  # who else may open the dashboard; None: not theirs to choose


def page(scope: Scope, *, default_tz: str, digest_key: str) -> Page | None:
    """Everything the Home shows, in one transaction; None for a deactivated account (nothing to show).
    `digest_key` names the digest whose last run an admin sees (the tenant's, or this workspace's own)."""
    repos, team_id, user_id, now = scope.repos, scope.team, scope.user, scope.now
    member = repos.members.get(team_id, user_id)
    if member is not None and not member.active:
        return None
    data = home(scope, default_tz=default_tz)
    rights = dashboard_admins.access(scope)
    if not rights.grants:
        return Page(data, admin=False)
    numbers = headline(InsightsRepo(repos.db), team_id, now)
    if not rights.workspace_admin:  # a dashboard admin: its numbers and its admins, not the workspace's settings
        return Page(data, admin=False, insights=numbers, dashboard_admins=rights.admins)
    last = repos.runs.latest(digest_key)
    error, channel = (last.error, last.channel_id) if last else (None, None)
    return Page(data, True, error, channel, numbers, rights.admins)
