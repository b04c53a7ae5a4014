"""Around a booked session or slot: the reminder before, the follow-up after, and closing the need."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import MatchStatus, NeedStatus, SessionKind
from bot.services.asks import Person, person
from bot.services.scope import Scope
from store.models import LearningSession
from store.repos import Repos

REMIND_BEFORE = timedelta(minutes=10)
FOLLOW_UP_AFTER = timedelta(hours=1)  # after the session ends
DEFAULT_LENGTH = 30  # minutes, for sessions booked without one ("just chat")
# Older than this and a follow-up would only puzzle people (the scheduler was down for days).
FOLLOW_UP_HORIZON = timedelta(days=3)


@dataclass(frozen=True)
class SessionNotice:
    """Who to tell what about one session."""

    session_id: int
    team_id: str
    kind: SessionKind
    topic: str
    starts_at: datetime | None
    duration_min: int
    host: Person
    learners: list[Person]


def _notice(repos: Repos, booked: LearningSession) -> SessionNotice:
    host, joined = repos.due.people(booked)
    topic = repos.topics.get(booked.topic_id)
    return SessionNotice(
        session_id=booked.id,
        team_id=booked.team_id,
        kind=booked.kind,
        topic=topic.label if topic else "your topic",
        starts_at=booked.starts_at,
        duration_min=booked.duration_min or DEFAULT_LENGTH,
        host=person(host),
        learners=[person(m) for m in joined if m.active and m.id != host.id],
    )


def reminders_due(repos: Repos, now: datetime) -> list[SessionNotice]:
    """Sessions starting within ten minutes, each claimed so that only one scheduler reminds.

    Claimed before the DMs go out: a crash in between skips a reminder rather than sending it twice.
    """
    return [
        _notice(repos, booked)
        for booked in repos.due.starting(now, REMIND_BEFORE)
        if repos.due.mark_reminded(booked, now)
    ]


def followups_due(repos: Repos, now: datetime) -> list[SessionNotice]:
    """Sessions that ended an hour ago or more, claimed like reminders."""
    due = []
    for booked in repos.due.ended(now, FOLLOW_UP_AFTER, FOLLOW_UP_HORIZON):
        start = booked.starts_at or booked.created_at
        if start + timedelta(minutes=booked.duration_min or DEFAULT_LENGTH) + FOLLOW_UP_AFTER > now:
            continue
        if repos.due.mark_followed_up(booked, now):
            due.append(_notice(repos, booked))
    return due


class Done(enum.StrEnum):
    CLOSED = "closed"
    ALREADY = "already"
    NOT_YOURS = "not_yours"


@dataclass(frozen=True)
class DoneResult:
    status: Done
    topic: str = ""


def mark_need_done(scope: Scope, *, session_id: int) -> DoneResult:
    """ "Mark need done" on a follow-up: the learner's need on the session's topic is closed, its match done."""
    repos, team_id, learner = scope.repos, scope.team, scope.user
    booked = repos.sessions.get(team_id, session_id)
    member = repos.members.get(team_id, learner)
    if booked is None or member is None or not repos.sessions.has_participant(booked, learner):
        return DoneResult(Done.NOT_YOURS)
    topic = repos.topics.get(booked.topic_id)
    match = repos.matches.get(team_id, booked.match_id) if booked.match_id else None
    # A pair session's need may be worded as an alias of the expert's topic: close that need too.
    topic_ids = {booked.topic_id} | ({match.need.topic_id} if match else set())
    closed = repos.needs.close(member, topic_ids, NeedStatus.CLOSED)
    if match is not None:
        repos.matches.decide(match, expected=MatchStatus.ACCEPTED, to=MatchStatus.DONE)
    return DoneResult(Done.CLOSED if closed else Done.ALREADY, topic.label if topic else "")
