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


class Reason(enum.StrEnum):
    """Why a slot or invitation button changed nothing."""

    ALREADY = "already"
    FULL = "full"
    STARTED = "started"
    HOST = "host"  # the host clicked Join on their own slot
    GONE = "gone"
    NOT_YOURS = "not_yours"
    EXPIRED = "expired"  # an invitation nobody answered in 48 hours: the next expert was asked
    UNAVAILABLE = "unavailable"  # the invited expert paused, opted out or left since: they cannot host from it


@dataclass(frozen=True)
class Refused:
    """Nothing changed, and why; `slot` when the click named one that exists."""

    reason: Reason
    slot: SlotInfo | None = None


@dataclass(frozen=True)
class Passed:
    """The invited expert declined to host `topic`: the next expert can be asked."""

    topic: str


@dataclass(frozen=True)
class Hosted:
    """The slot is open; `learners` (user ids) wait for its topic and are to be told."""

    slot: SlotInfo
    learners: list[str]


@dataclass(frozen=True)
class Joined:
    slot: SlotInfo


@dataclass(frozen=True)
class Left:
    slot: SlotInfo


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


def _open_invite(repos: Repos, team_id: str, invite_id: int, user: str) -> SlotInvite | Refused:
    """The invitation if it exists, is this user's, and still waits for an answer; else why not."""
    invite = repos.slots.get_invite(team_id, invite_id)
    if invite is None:
        return Refused(Reason.GONE)
    if invite.expert.user_id != user:
        return Refused(Reason.NOT_YOURS)
    if invite.status in (InviteStatus.HOSTED, InviteStatus.DECLINED):
        return Refused(Reason.ALREADY)
    expert = invite.expert
    if expert.opted_out or expert.paused or not expert.active:
        return Refused(Reason.UNAVAILABLE)  # invitations go to available experts only, and an old one is no way round
    if invite.status is InviteStatus.EXPIRED:
        return Refused(Reason.EXPIRED)  # never answered: not "already answered"
    return invite


def invitation(scope: Scope, *, invite_id: int) -> Invitation | Refused:
    """The invitation if this user may still answer it."""
    repos, team_id, user = scope.repos, scope.team, scope.user
    invite = _open_invite(repos, team_id, invite_id, user)
    if isinstance(invite, Refused):
        return invite
    waiting = len(repos.slots.waiting_learners(team_id, invite.topic_id, NOTIFY_LEARNERS))
    return Invitation(invite.id, team_id, invite.topic.label, user, waiting)


def decline(scope: Scope, *, invite_id: int) -> Passed | Refused:
    """The invited expert passes, and the next expert can be asked."""
    invite = _open_invite(scope.repos, scope.team, invite_id, scope.user)
    if isinstance(invite, Refused):
        return invite
    if not scope.repos.slots.answer(invite, InviteStatus.DECLINED):
        return Refused(Reason.ALREADY)
    return Passed(invite.topic.label)


def host(scope: Scope, *, invite_id: int, starts_at: datetime, duration_min: int, capacity: int) -> Hosted | Refused:
    """Open the slot the expert accepted to host, once; with the user ids of learners to tell about it."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    invite = _open_invite(repos, team_id, invite_id, user)
    if isinstance(invite, Refused):
        return invite
    slot = repos.slots.open_slot(invite, starts_at, duration_min, capacity, now)
    if not repos.slots.answer(invite, InviteStatus.HOSTED, slot.id):
        repos.db.delete(slot)
        return Refused(Reason.ALREADY)
    learners = [m.user_id for m in repos.slots.waiting_learners(team_id, invite.topic_id, NOTIFY_LEARNERS)]
    return Hosted(_info(repos, slot), learners)


def announced(scope: Scope, *, slot_id: int, channel: str, ts: str) -> None:
    repos, team_id = scope.repos, scope.team
    slot = repos.slots.get(team_id, slot_id)
    if slot is not None:
        repos.slots.announced(slot, channel, ts)


def current(scope: Scope, *, slot_id: int) -> SlotInfo | None:
    repos, team_id = scope.repos, scope.team
    slot = repos.slots.get(team_id, slot_id)
    return _info(repos, slot) if slot is not None else None


def join(scope: Scope, *, slot_id: int) -> Joined | Refused:
    """Take a seat, if there is one left and the slot has not started."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    slot = repos.slots.get(team_id, slot_id, lock=True)
    if slot is None:
        return Refused(Reason.GONE)
    member = repos.members.ensure(team_id, user)
    if member.id == slot.host_id:
        return Refused(Reason.HOST, _info(repos, slot))
    if slot.starts_at is None or slot.starts_at <= now:
        return Refused(Reason.STARTED, _info(repos, slot))
    if repos.sessions.has_participant(slot, user):
        return Refused(Reason.ALREADY, _info(repos, slot))
    if repos.slots.count(slot) >= (slot.capacity or DEFAULT_CAPACITY):
        return Refused(Reason.FULL, _info(repos, slot))
    repos.slots.join(slot, member, now)
    return Joined(_info(repos, slot))


def leave(scope: Scope, *, slot_id: int) -> Left | Refused:
    """Give the seat back, until the slot starts."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    slot = repos.slots.get(team_id, slot_id, lock=True)
    member = repos.members.get(team_id, user)
    if slot is None or member is None:
        return Refused(Reason.GONE)
    if slot.starts_at is None or slot.starts_at <= now:
        return Refused(Reason.STARTED, _info(repos, slot))
    if not repos.slots.leave(slot, member):
        return Refused(Reason.ALREADY, _info(repos, slot))
    return Left(_info(repos, slot))


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
