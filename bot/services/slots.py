"""Group slots: when three or more people wait for one topic, an expert is invited to host a session for all."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import InviteStatus
from bot.matcher import TopicHit
from bot.services.experts import find_experts
from bot.services.scope import Scope
from store.models import LearningSession, SlotInvite
from store.repos import Repos

MIN_LEARNERS = 3
INVITE_PATIENCE = timedelta(hours=48)  # then the next expert is asked
DEFAULT_CAPACITY = 8
MAX_CAPACITY = 50
NOTIFY_LEARNERS = 50  # waiting learners told about a new slot by DM, oldest need first


@dataclass(frozen=True)
class Invitation:
    invite_id: int
    team_id: str
    topic: str
    expert: str  # user id
    waiting: int


@dataclass(frozen=True)
class SlotInfo:
    slot_id: int
    team_id: str
    topic: str
    host: str  # user id
    starts_at: datetime
    duration_min: int
    capacity: int
    joined: int
    channel_id: str | None
    message_ts: str | None


class Answer(enum.StrEnum):
    OK = "ok"
    ALREADY = "already"
    FULL = "full"
    STARTED = "started"
    HOST = "host"  # the host clicked Join on their own slot
    GONE = "gone"
    NOT_YOURS = "not_yours"
    EXPIRED = "expired"  # an invitation nobody answered in 48 hours: the next expert was asked
    UNAVAILABLE = "unavailable"  # the invited expert paused, opted out or left since: they cannot host from it


@dataclass(frozen=True)
class SlotOutcome:
    answer: Answer
    slot: SlotInfo | None = None
    topic: str = ""


def invitations_due(repos: Repos, now: datetime, teams: set[str]) -> list[Invitation]:
    """Invite one expert per much-wanted topic (in workspaces with a learning channel), once per expert and topic."""
    repos.slots.expire_invites(now - INVITE_PATIENCE)
    repos.slots.retire_unavailable()  # the next host is asked at once, not after 48 hours
    invitations = []
    for team_id, topic_id, waiting in repos.slots.wanted_topics(now, MIN_LEARNERS, INVITE_PATIENCE):
        topic = repos.topics.get(topic_id)
        if team_id not in teams or topic is None:
            continue
        learners = repos.slots.waiting_learners(team_id, topic_id, NOTIFY_LEARNERS)
        if not learners:
            continue
        skip = repos.slots.invited_experts(topic_id) | {m.id for m in learners}
        cards = find_experts(repos, learners[0], [TopicHit(topic.id, topic.name, 100.0)], now, exclude=skip, limit=1)
        if not cards:
            continue
        expert = repos.members.get(team_id, cards[0].user_id)
        invite = repos.slots.invite(team_id, topic_id, expert.id, now) if expert else None
        if invite is not None:
            invitations.append(Invitation(invite.id, team_id, topic.label, cards[0].user_id, waiting))
    return invitations


def _open_invite(repos: Repos, team_id: str, invite_id: int, user: str) -> tuple[Answer, SlotInvite | None]:
    """The invitation if it exists, is this user's, and still waits for an answer; else why not."""
    invite = repos.slots.get_invite(team_id, invite_id)
    if invite is None:
        return Answer.GONE, None
    if invite.expert.user_id != user:
        return Answer.NOT_YOURS, None
    if invite.status in (InviteStatus.HOSTED, InviteStatus.DECLINED):
        return Answer.ALREADY, None
    expert = invite.expert
    if expert.opted_out or expert.paused or not expert.active:
        return Answer.UNAVAILABLE, None  # invitations go to available experts only, and an old one is no way round
    if invite.status is InviteStatus.EXPIRED:
        return Answer.EXPIRED, None  # never answered: not "already answered"
    return Answer.OK, invite


def invitation(scope: Scope, *, invite_id: int) -> tuple[Answer, Invitation | None]:
    """The invitation if this user may still answer it."""
    repos, team_id, user = scope.repos, scope.team, scope.user
    answer, invite = _open_invite(repos, team_id, invite_id, user)
    if invite is None:
        return answer, None
    waiting = len(repos.slots.waiting_learners(team_id, invite.topic_id, NOTIFY_LEARNERS))
    return Answer.OK, Invitation(invite.id, team_id, invite.topic.label, user, waiting)


def decline(scope: Scope, *, invite_id: int) -> tuple[Answer, str | None]:
    """The invited expert passes, and the next expert can be asked; with the topic, when it was declined now."""
    repos, team_id, user = scope.repos, scope.team, scope.user
    answer, invite = _open_invite(repos, team_id, invite_id, user)
    if invite is None:
        return answer, None
    if not repos.slots.answer(invite, InviteStatus.DECLINED):
        return Answer.ALREADY, None
    return Answer.OK, invite.topic.label


def host(
    scope: Scope, *, invite_id: int, starts_at: datetime, duration_min: int, capacity: int
) -> tuple[SlotOutcome, list[str]]:
    """Open the slot the expert accepted to host, once; with the user ids of learners to tell about it."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    answer, invite = _open_invite(repos, team_id, invite_id, user)
    if invite is None:
        return SlotOutcome(answer), []
    slot = repos.slots.open_slot(invite, starts_at, duration_min, capacity, now)
    if not repos.slots.answer(invite, InviteStatus.HOSTED, slot.id):
        repos.db.delete(slot)
        return SlotOutcome(Answer.ALREADY, topic=invite.topic.label), []
    learners = [m.user_id for m in repos.slots.waiting_learners(team_id, invite.topic_id, NOTIFY_LEARNERS)]
    return SlotOutcome(Answer.OK, _info(repos, slot)), learners


def announced(scope: Scope, *, slot_id: int, channel: str, ts: str) -> None:
    repos, team_id = scope.repos, scope.team
    slot = repos.slots.get(team_id, slot_id)
    if slot is not None:
        repos.slots.announced(slot, channel, ts)


def current(scope: Scope, *, slot_id: int) -> SlotInfo | None:
    repos, team_id = scope.repos, scope.team
    slot = repos.slots.get(team_id, slot_id)
    return _info(repos, slot) if slot is not None else None


def join(scope: Scope, *, slot_id: int) -> SlotOutcome:
    """Take a seat, if there is one left and the slot has not started."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    slot = repos.slots.get(team_id, slot_id, lock=True)
    if slot is None:
        return SlotOutcome(Answer.GONE)
    member = repos.members.ensure(team_id, user)
    if member.id == slot.host_id:
        return SlotOutcome(Answer.HOST, _info(repos, slot))
    if slot.starts_at is None or slot.starts_at <= now:
        return SlotOutcome(Answer.STARTED, _info(repos, slot))
    if repos.sessions.has_participant(slot, user):
        return SlotOutcome(Answer.ALREADY, _info(repos, slot))
    if repos.slots.count(slot) >= (slot.capacity or DEFAULT_CAPACITY):
        return SlotOutcome(Answer.FULL, _info(repos, slot))
    repos.slots.join(slot, member, now)
    return SlotOutcome(Answer.OK, _info(repos, slot))


def leave(scope: Scope, *, slot_id: int) -> SlotOutcome:
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    slot = repos.slots.get(team_id, slot_id, lock=True)
    member = repos.members.get(team_id, user)
    if slot is None or member is None:
        return SlotOutcome(Answer.GONE)
    if slot.starts_at is None or slot.starts_at <= now:
        return SlotOutcome(Answer.STARTED, _info(repos, slot))
    left = repos.slots.leave(slot, member)
    return SlotOutcome(Answer.OK if left else Answer.ALREADY, _info(repos, slot))


def _info(repos: Repos, slot: LearningSession) -> SlotInfo:
    topic = repos.topics.get(slot.topic_id)
    host_member = repos.members.by_ids([slot.host_id]).get(slot.host_id)
    assert slot.starts_at is not None
    return SlotInfo(
        slot_id=slot.id,
        team_id=slot.team_id,
        topic=topic.label if topic else "",
        host=host_member.user_id if host_member else "",
        starts_at=slot.starts_at,
        duration_min=slot.duration_min or 60,
        capacity=slot.capacity or DEFAULT_CAPACITY,
        joined=repos.slots.count(slot),
        channel_id=slot.channel_id,
        message_ts=slot.message_ts,
    )


def host_tz(scope: Scope) -> str | None:
    """The timezone Slack gave the (would-be) host, if we know them and it: the slot form reads times in it."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.get(team_id, user_id)
    return member.tz if member else None
