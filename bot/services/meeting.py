"""Meeting times: free times that fit both people, a pick that waits for the other's yes, moving and cancelling
a booked session. Plain functions over repositories; Slack's part (do-not-disturb, the messages, the calendar
file) is the handlers'.

One person picks (the expert after accepting, or either of them to move a session); the other confirms, or
takes one of the other free times offered with it. Only then is the session booked or moved. "Just chat" books
at once, with no time.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.calendar import availability
from bot.calendar.hours import WorkingHours
from bot.domain import SESSION_TS, MatchStatus, NeedStatus
from bot.services.asks import MatchInfo, Status, info_of
from store.models import LearningSession, Match, Member
from store.repos import Repos, proposed_times

HORIZON = timedelta(days=14)


class Result(enum.StrEnum):
    PROPOSED = "proposed"  # waiting for the other person's yes
    BOOKED = "booked"  # a new session (a time, or "just chat")
    MOVED = "moved"
    TIMED = "timed"  # a "just chat" session given its first time
    TAKEN = "taken"  # the time is no longer free: fresh options were offered instead
    CLASH = "clash"  # the picked time meets a session, or a day off, of one of them


@dataclass(frozen=True)
class Plan:
    """Who is meeting whom, and what the free-time search knows of each (their do-not-disturb comes from
    Slack, added by the caller)."""

    status: Status
    info: MatchInfo | None = None
    session_id: int | None = None  # set when moving a booked session
    me: availability.Person | None = None
    other: availability.Person | None = None
    other_user: str = ""
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


@dataclass(frozen=True)
class Change:
    """The outcome of a pick, a confirmation or a cancellation."""

    status: Status
    result: Result | None = None
    info: MatchInfo | None = None
    meeting: Meeting | None = None
    starts_at: datetime | None = None
    minutes: int | None = None
    options: list[datetime] = field(default_factory=list)  # the free times now on offer, picked one first
    by: str = ""  # who picked (or cancelled)
    to: str = ""  # who is asked to confirm (or told)
    reason: str | None = None


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


def plan_booking(repos: Repos, *, team_id: str, match_id: int, user: str, now: datetime, tz: str) -> Plan:
    """The expert of an accepted match, before its session is booked, is about to pick a time."""
    match = repos.matches.get(team_id, match_id)
    if match is None:
        return Plan(Status.GONE)
    if user != match.expert.user_id:
        return Plan(Status.NOT_YOURS, info_of(match))
    if match.status != MatchStatus.ACCEPTED:
        return Plan(Status.GONE, info_of(match))
    booked = repos.sessions.for_match(match.id)
    if booked is not None:
        return Plan(Status.ALREADY, info_of(match), session_id=booked.id)
    me, other = _people(repos, match.expert, match.need.member, now, tz, None)
    return Plan(Status.OK, info_of(match), None, me, other, match.need.member.user_id)


def plan_move(repos: Repos, *, team_id: str, session_id: int, user: str, now: datetime, tz: str) -> Plan:
    """Either person of a booked session is about to pick another time for it."""
    booked = repos.sessions.get(team_id, session_id)
    match = repos.matches.get(team_id, booked.match_id) if booked is not None and booked.match_id else None
    if booked is None or match is None:
        return Plan(Status.GONE)
    sides = _sides(match, user)
    if sides is None:
        return Plan(Status.NOT_YOURS, info_of(match))
    if booked.cancelled_at is not None:
        return Plan(Status.GONE, info_of(match), session_id=booked.id)
    me, other = _people(repos, *sides, now, tz, None)  # its own time counts as taken: not offered as a new one
    return Plan(
        Status.OK, info_of(match), booked.id, me, other, sides[1].user_id, booked.duration_min, booked.starts_at is None
    )


def _clash(repos: Repos, match: Match, starts_at: datetime, minutes: int, now: datetime, tz: str) -> bool:
    booked = repos.sessions.for_match(match.id)
    people = _people(repos, match.expert, match.need.member, now, tz, booked.id if booked else None)
    return any(availability.clashes(p, starts_at, timedelta(minutes=minutes)) for p in people)


def pick(
    repos: Repos,
    *,
    team_id: str,
    match_id: int,
    user: str,
    starts_at: datetime | None,
    minutes: int | None,
    others: Sequence[datetime],
    now: datetime,
    tz: str,
) -> Change:
    """`user` picked a time (None: just chat, only before booking): it goes to the other person to confirm."""
    match = repos.matches.get(team_id, match_id)
    sides = _sides(match, user) if match is not None else None
    if match is None or sides is None:
        return Change(Status.NOT_YOURS if match is not None else Status.GONE)
    booked = repos.sessions.for_match(match.id)
    moving = booked is not None
    if match.status != MatchStatus.ACCEPTED or (booked is not None and booked.cancelled_at is not None):
        return Change(Status.GONE, info=info_of(match))
    if not moving and user != match.expert.user_id:
        return Change(Status.NOT_YOURS, info=info_of(match))
    if starts_at is None or minutes is None:
        if moving:
            return Change(Status.ALREADY, info=info_of(match))
        booked, created = repos.sessions.book(match, None, None)
        if not created:
            return Change(Status.ALREADY, info=info_of(match))
        return Change(Status.OK, Result.BOOKED, info_of(match), _meeting(repos, booked, match), by=user)
    if _clash(repos, match, starts_at, minutes, now, tz):
        return Change(Status.OK, Result.CLASH, info_of(match), starts_at=starts_at, minutes=minutes)
    repos.meetings.propose(match, sides[0].id, starts_at, minutes, [o for o in others if o != starts_at])
    return Change(
        Status.OK,
        Result.PROPOSED,
        info_of(match),
        _meeting(repos, booked, match) if booked is not None else None,
        starts_at,
        minutes,
        proposed_times(match),
        by=user,
        to=sides[1].user_id,
    )


def confirm(
    repos: Repos, *, team_id: str, match_id: int, user: str, starts_at: datetime, now: datetime, tz: str
) -> Change:
    """The other person says yes to one of the offered times: the session is booked, or moved, once."""
    match = repos.matches.get(team_id, match_id)
    sides = _sides(match, user) if match is not None else None
    if match is None or sides is None:
        return Change(Status.NOT_YOURS if match is not None else Status.GONE)
    if match.status != MatchStatus.ACCEPTED:
        return Change(Status.GONE, info=info_of(match))
    if match.proposed_by_id == sides[0].id:
        return Change(Status.NOT_YOURS, info=info_of(match))  # the picker cannot confirm their own pick
    minutes = match.proposed_minutes or 30
    if starts_at not in proposed_times(match):
        return Change(Status.ALREADY, info=info_of(match))
    if _clash(repos, match, starts_at, minutes, now, tz):
        return _offer_again(repos, match, sides, minutes, now, tz)
    if not repos.meetings.take_proposal(match, starts_at):
        return Change(Status.ALREADY, info=info_of(match))
    booked = repos.sessions.for_match(match.id)
    if booked is None:
        booked, _ = repos.sessions.book(match, starts_at, minutes)
        result = Result.BOOKED
    else:
        result = Result.MOVED if booked.starts_at is not None else Result.TIMED
        repos.meetings.move(booked, starts_at, minutes)
    return Change(Status.OK, result, info_of(match), _meeting(repos, booked, match), starts_at, minutes, by=user)


def _offer_again(
    repos: Repos, match: Match, sides: tuple[Member, Member], minutes: int, now: datetime, tz: str
) -> Change:
    """The picked time was taken meanwhile: the next free times (from what is known here) replace it."""
    booked = repos.sessions.for_match(match.id)
    me, other = _people(repos, *sides, now, tz, booked.id if booked else None)
    fresh = availability.propose(me, other, length=timedelta(minutes=minutes), now=now).slots
    picker = match.proposed_by_id or sides[1].id
    if fresh:
        repos.meetings.propose(match, picker, fresh[0], minutes, fresh[1:])
    else:
        match.proposed_at = match.proposed_options = None
    return Change(Status.OK, Result.TAKEN, info_of(match), minutes=minutes, options=fresh, to=sides[0].user_id)


def cancel(repos: Repos, *, team_id: str, session_id: int, user: str, reason: str | None, now: datetime) -> Change:
    """Either person calls the session off: once; the learner's need is open again."""
    booked = repos.sessions.get(team_id, session_id)
    match = repos.matches.get(team_id, booked.match_id) if booked is not None and booked.match_id else None
    if booked is None or match is None:
        return Change(Status.GONE)
    sides = _sides(match, user)
    if sides is None:
        return Change(Status.NOT_YOURS, info=info_of(match))
    if not repos.meetings.cancel(booked, reason, now):
        return Change(Status.ALREADY, info=info_of(match))
    repos.endorsements.withdraw_for(booked, SESSION_TS)  # a session that did not happen endorses nobody
    need = match.need
    if need.status == NeedStatus.MATCHED:
        need.status = NeedStatus.OPEN
    repos.db.refresh(match)
    meeting = _meeting(repos, booked, match)
    return Change(Status.OK, info=meeting.info, meeting=meeting, by=user, to=sides[1].user_id, reason=reason)


def meeting_of(repos: Repos, *, team_id: str, session_id: int) -> Meeting | None:
    booked = repos.sessions.get(team_id, session_id)
    match = repos.matches.get(team_id, booked.match_id) if booked is not None and booked.match_id else None
    return _meeting(repos, booked, match) if booked is not None and match is not None else None


def with_dnd(person: availability.Person, dnd: Sequence[availability.Interval]) -> availability.Person:
    return replace(person, dnd=tuple(dnd))


def member_tz(repos: Repos, *, team_id: str, user_id: str) -> str | None:
    """The timezone Slack gave this member, if we know them and it."""
    member = repos.members.get(team_id, user_id)
    return member.tz if member else None
