"""Meeting times: free times that fit both people, a pick that waits for the other's yes, moving and cancelling
a booked session. Plain functions over repositories, each returning what happened (`Proposed`, `Booked`,
`Refused`…); Slack's do-not-disturb hours are read by bot/slack/dnd.py and handed to `free_times`.

One person picks (the expert after accepting, or either of them to move a session); the other confirms, or
takes one of the other free times offered with it. Only then is the session booked or moved. "Just chat" books
at once, with no time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.calendar import availability
from bot.calendar.hours import WorkingHours
from bot.calendar.session import CalendarSession
from bot.domain import DEFAULT_SESSION_LENGTH, SESSION_TS, MatchStatus, NeedStatus
from bot.services.asks import MatchInfo, Reason, Refused, info_of
from bot.services.scope import Scope
from store.models import LearningSession, Match, Member
from store.repos import Repos, proposed_times

HORIZON = timedelta(days=14)


@dataclass(frozen=True)
class Plan:
    """`user` is about to pick a time with `other_user`: who they are, and what the free-time search knows of each
    (their do-not-disturb comes from Slack, added with `free_times`)."""

    info: MatchInfo
    user: str
    me: availability.Person
    other: availability.Person
    other_user: str
    session_id: int | None = None  # set when moving (or timing) a booked session
    minutes: int | None = None  # the booked session's length, when moving it: the modal's default
    untimed: bool = False  # the booked session is a "just chat": it gets its first time, nothing is moved


@dataclass(frozen=True)
class Meeting:
    """What a message or calendar file about a session needs."""

    session_id: int
    team_id: str
    info: MatchInfo
    starts_at: datetime | None
    minutes: int | None
    sequence: int
    channel_id: str | None
    message_ts: str | None

    @property
    def calendar(self) -> CalendarSession | None:
        """The session as calendars see it, once it has a time."""
        if self.starts_at is None:
            return None
        info, minutes = self.info, self.minutes or DEFAULT_SESSION_LENGTH
        return CalendarSession(
            self.team_id,
            self.session_id,
            self.sequence,
            self.starts_at,
            minutes,
            info.topic,
            info.expert.name,
            info.learner.name,
        )


@dataclass(frozen=True)
class Proposed:
    """A picked time waits for the other person's yes (`to`), with the other free times; `meeting` when a booked
    session is to move (or a "just chat" to get its first time)."""

    info: MatchInfo
    meeting: Meeting | None
    starts_at: datetime
    minutes: int
    options: list[datetime]  # the free times now on offer, the picked one first
    by: str
    to: str


@dataclass(frozen=True)
class Clash:
    """The picked time meets a session, or a day off, of one of them: nothing was proposed."""

    info: MatchInfo
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class ChatBooked:
    """ "Just chat": a session with no time, booked at once."""

    meeting: Meeting


@dataclass(frozen=True)
class Booked:
    """The other person said yes: a new session at `starts_at`."""

    meeting: Meeting
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class Moved:
    """The other person said yes: the booked session moved to `starts_at`."""

    meeting: Meeting
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class Timed:
    """The other person said yes: a "just chat" session got its first time."""

    meeting: Meeting
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class Taken:
    """The time was no longer free: `to`, who tried to take it, gets the next free ones (maybe none) instead."""

    info: MatchInfo
    minutes: int
    options: list[datetime]
    to: str


@dataclass(frozen=True)
class Cancelled:
    meeting: Meeting
    by: str
    reason: str | None


Confirmed = Booked | Moved | Timed


def _person(
    member: Member, busy: dict[int, list[availability.Interval]], now: datetime, tz: str
) -> availability.Person:
    try:
        hours = WorkingHours.parse(member.working_hours)
    except ValueError:
        hours = WorkingHours.DEFAULT  # an unreadable old value: the default rather than no slots at all
    status = {"status_emoji": member.status_emoji, "status_text": member.status_text}
    if member.status_expires_at is not None:
        status["status_expiration"] = str(int(member.status_expires_at.timestamp()))
    return availability.Person(
        tz=member.tz or tz,
        hours=hours,
        busy=busy.get(member.id, []),
        away_until=availability.away_until(status, now=now),
    )


def _people(
    repos: Repos, me: Member, other: Member, now: datetime, tz: str, besides: int | None
) -> tuple[availability.Person, availability.Person]:
    busy = repos.meetings.busy([me.id, other.id], now, now + HORIZON, besides=besides)
    return _person(me, busy, now, tz), _person(other, busy, now, tz)


def _sides(match: Match, user: str) -> tuple[Member, Member] | None:
    """(the user, the other person) of a match, or None when the user is neither."""
    learner, expert = match.need.member, match.expert
    if user == expert.user_id:
        return expert, learner
    if user == learner.user_id:
        return learner, expert
    return None


def _meeting(repos: Repos, booked: LearningSession, match: Match) -> Meeting:
    return Meeting(
        session_id=booked.id,
        team_id=booked.team_id,
        info=info_of(match),
        starts_at=booked.starts_at,
        minutes=booked.duration_min,
        sequence=booked.sequence,
        channel_id=booked.channel_id,
        message_ts=booked.message_ts,
    )


def plan_booking(scope: Scope, *, match_id: int, user: str, tz: str) -> Plan | Refused:
    """The expert of an accepted match, before its session is booked, is about to pick a time."""
    repos, team_id, now = scope.repos, scope.team, scope.now
    match = repos.matches.get(team_id, match_id)
    if match is None:
        return Refused(Reason.GONE)
    if user != match.expert.user_id:
        return Refused(Reason.NOT_YOURS, info_of(match))
    if match.status != MatchStatus.ACCEPTED:
        return Refused(Reason.GONE, info_of(match))
    if repos.sessions.for_match(match.id) is not None:
        return Refused(Reason.ALREADY, info_of(match))
    me, other = _people(repos, match.expert, match.need.member, now, tz, None)
    return Plan(info_of(match), user, me, other, match.need.member.user_id)


def plan_move(scope: Scope, *, session_id: int, tz: str) -> Plan | Refused:
    """Either person of a booked session is about to pick another time for it."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    booked = repos.sessions.get(team_id, session_id)
    match = repos.matches.get(team_id, booked.match_id) if booked is not None and booked.match_id else None
    if booked is None or match is None:
        return Refused(Reason.GONE)
    sides = _sides(match, user)
    if sides is None:
        return Refused(Reason.NOT_YOURS, info_of(match))
    if booked.cancelled_at is not None:
        return Refused(Reason.GONE, info_of(match))
    me, other = _people(repos, *sides, now, tz, None)  # its own time counts as taken: not offered as a new one
    untimed = booked.starts_at is None
    return Plan(info_of(match), user, me, other, sides[1].user_id, booked.id, booked.duration_min, untimed)


def _clash(repos: Repos, match: Match, starts_at: datetime, minutes: int, now: datetime, tz: str) -> bool:
    booked = repos.sessions.for_match(match.id)
    people = _people(repos, match.expert, match.need.member, now, tz, booked.id if booked else None)
    return any(availability.clashes(p, starts_at, timedelta(minutes=minutes)) for p in people)


def pick(
    scope: Scope, *, match_id: int, starts_at: datetime | None, minutes: int | None, others: Sequence[datetime], tz: str
) -> Proposed | ChatBooked | Clash | Refused:
    """`user` picked a time (None: just chat, only before booking): it goes to the other person to confirm."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    match = repos.matches.get(team_id, match_id)
    sides = _sides(match, user) if match is not None else None
    if match is None or sides is None:
        return Refused(Reason.NOT_YOURS if match is not None else Reason.GONE)
    booked = repos.sessions.for_match(match.id)
    moving = booked is not None
    if match.status != MatchStatus.ACCEPTED or (booked is not None and booked.cancelled_at is not None):
        return Refused(Reason.GONE, info_of(match))
    if not moving and user != match.expert.user_id:
        return Refused(Reason.NOT_YOURS, info_of(match))
    if starts_at is None or minutes is None:
        if moving:
            return Refused(Reason.ALREADY, info_of(match))
        booked, created = repos.sessions.book(match, None, None)
        if not created:
            return Refused(Reason.ALREADY, info_of(match))
        return ChatBooked(_meeting(repos, booked, match))
    if _clash(repos, match, starts_at, minutes, now, tz):
        return Clash(info_of(match), starts_at, minutes)
    repos.meetings.propose(match, sides[0].id, starts_at, minutes, [o for o in others if o != starts_at])
    meeting = _meeting(repos, booked, match) if booked is not None else None
    return Proposed(info_of(match), meeting, starts_at, minutes, proposed_times(match), by=user, to=sides[1].user_id)


def confirm(scope: Scope, *, match_id: int, starts_at: datetime, tz: str) -> Confirmed | Taken | Refused:
    """The other person says yes to one of the offered times: the session is booked, or moved, once."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    match = repos.matches.get(team_id, match_id)
    sides = _sides(match, user) if match is not None else None
    if match is None or sides is None:
        return Refused(Reason.NOT_YOURS if match is not None else Reason.GONE)
    if match.status != MatchStatus.ACCEPTED:
        return Refused(Reason.GONE, info_of(match))
    if match.proposed_by_id == sides[0].id:
        return Refused(Reason.NOT_YOURS, info_of(match))  # the picker cannot confirm their own pick
    minutes = match.proposed_minutes or DEFAULT_SESSION_LENGTH
    if starts_at not in proposed_times(match):
        return Refused(Reason.ALREADY, info_of(match))
    if _clash(repos, match, starts_at, minutes, now, tz):
        return _offer_again(repos, match, sides, minutes, now, tz)
    if not repos.meetings.take_proposal(match, starts_at):
        return Refused(Reason.ALREADY, info_of(match))
    booked = repos.sessions.for_match(match.id)
    if booked is None:
        booked, _ = repos.sessions.book(match, starts_at, minutes)
        return Booked(_meeting(repos, booked, match), starts_at, minutes)
    kind = Moved if booked.starts_at is not None else Timed
    repos.meetings.move(booked, starts_at, minutes)
    return kind(_meeting(repos, booked, match), starts_at, minutes)


def _offer_again(
    repos: Repos, match: Match, sides: tuple[Member, Member], minutes: int, now: datetime, tz: str
) -> Taken:
    """The picked time was taken meanwhile: the next free times (from what is known here) replace it."""
    booked = repos.sessions.for_match(match.id)
    me, other = _people(repos, *sides, now, tz, booked.id if booked else None)
    fresh = availability.propose(me, other, length=timedelta(minutes=minutes), now=now).slots
    picker = match.proposed_by_id or sides[1].id
    if fresh:
        repos.meetings.propose(match, picker, fresh[0], minutes, fresh[1:])
    else:
        match.proposed_at = match.proposed_options = None
    return Taken(info_of(match), minutes, fresh, to=sides[0].user_id)


def cancel(scope: Scope, *, session_id: int, reason: str | None) -> Cancelled | Refused:
    """Either person calls the session off: once; the learner's need is open again."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    booked = repos.sessions.get(team_id, session_id)
    match = repos.matches.get(team_id, booked.match_id) if booked is not None and booked.match_id else None
    if booked is None or match is None:
        return Refused(Reason.GONE)
    if _sides(match, user) is None:
        return Refused(Reason.NOT_YOURS, info_of(match))
    if not repos.meetings.cancel(booked, reason, now):
        return Refused(Reason.ALREADY, info_of(match))
    repos.endorsements.withdraw_for(booked, SESSION_TS)  # a session that did not happen endorses nobody
    need = match.need
    if need.status == NeedStatus.MATCHED:
        need.status = NeedStatus.OPEN
    repos.db.refresh(match)
    return Cancelled(_meeting(repos, booked, match), by=user, reason=reason)


def free_times(
    plan: Plan, dnd: Mapping[str, Sequence[availability.Interval]] | None, now: datetime
) -> availability.Proposal:
    """The next free times for both, for as long as the session lasts (a moved one keeps its length); `dnd`, each
    one's do-not-disturb hours by user, when Slack gave them."""
    me, other = plan.me, plan.other
    if dnd is not None:
        me, other = replace(me, dnd=tuple(dnd[plan.user])), replace(other, dnd=tuple(dnd[plan.other_user]))
    length = timedelta(minutes=plan.minutes or DEFAULT_SESSION_LENGTH)
    return availability.propose(me, other, length=length, now=now)


def member_tz(scope: Scope) -> str | None:
    """The timezone Slack gave this member, if we know them and it."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.get(team_id, user_id)
    return member.tz if member else None
