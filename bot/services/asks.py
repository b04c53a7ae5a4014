"""The ask → accept → introduction flow: plain functions over repositories, no Slack."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.domain import LIVE_NEED, MatchStatus, NeedStatus
from bot.matcher import DEFAULT_CAPACITY, TopicHit
from bot.services.catalog import Catalog
from bot.services.experts import ExpertCard, find_experts, is_away
from bot.services.scope import Scope
from store.models import Match, Member, Need
from store.repos import Repos


class Reason(enum.StrEnum):
    """Why a click changed nothing."""

    ALREADY = "already"  # asked, decided or booked before: a second click changes nothing
    NOT_YOURS = "not_yours"  # the button belongs to someone else's need or match
    GONE = "gone"  # the need was closed or the match no longer exists
    UNAVAILABLE = "unavailable"  # the expert paused, left, is away or has no room right now


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str | None


@dataclass(frozen=True)
class MatchInfo:
    """Everything a message about one match needs to say."""

    match_id: int
    need_id: int
    topic: str
    words: str
    learner: Person
    expert: Person
    offered_by_expert: bool
    status: MatchStatus
    dm_channel: str | None = None
    dm_ts: str | None = None


@dataclass(frozen=True)
class Refused:
    """Nothing changed, and why; `match` when the click named one that exists."""

    reason: Reason
    match: MatchInfo | None = None


@dataclass(frozen=True)
class AlreadyBooked:
    """The match's session is booked already: nothing changed."""

    match: MatchInfo
    session_id: int


@dataclass(frozen=True)
class Asked:
    """A new match, waiting for the other side's Accept or Decline (an ask, or an expert's offer of help)."""

    match: MatchInfo


@dataclass(frozen=True)
class Accepted:
    match: MatchInfo


@dataclass(frozen=True)
class Declined:
    match: MatchInfo
    alternatives: tuple[ExpertCard, ...] = ()  # for a learner whose expert declined: the next-best one


@dataclass(frozen=True)
class MayPropose:
    """The expert of an accepted match, with no session yet, may pick a time."""

    match: MatchInfo


@dataclass(frozen=True)
class Booked:
    match: MatchInfo
    session_id: int
    starts_at: datetime | None  # None: "just chat"
    duration_min: int | None


def person(member: Member) -> Person:
    return Person(member.user_id, member.display_name or member.user_id, member.tz)


def info_of(match: Match) -> MatchInfo:
    need = match.need
    return MatchInfo(
        match_id=match.id,
        need_id=need.id,
        topic=(match.topic or need.topic).label,
        words=need.raw_text,
        learner=person(need.member),
        expert=person(match.expert),
        offered_by_expert=match.offered_by_expert,
        status=match.status,
        dm_channel=match.dm_channel,
        dm_ts=match.dm_ts,
    )


def _available(repos: Repos, expert: Member | None) -> bool:
    if expert is None or not expert.active or expert.paused or expert.opted_out or expert.is_bot or is_away(expert):
        return False
    return repos.stats.open_matches(expert.team_id, [expert.id]).get(expert.id, 0) < DEFAULT_CAPACITY


def _expert_topic(repos: Repos, catalog: Catalog, need: Need, expert: Member) -> int | None:
    """Which of the expert's topics this need matched: its own, or another its words named."""
    taught = {offer.topic_id for offer in repos.offers.for_member(expert)}
    if need.topic_id in taught:
        return need.topic_id
    for hit in catalog.resolve(repos, need.team_id, need.raw_text).confident:
        topic_id = catalog.topic_id(repos, need.team_id, hit.topic)
        if topic_id in taught:
            return topic_id
    return None


def ask(scope: Scope, *, need_id: int, expert: str) -> Asked | Refused:
    """The learner asks an expert for help with one of their needs."""
    repos, catalog, team_id, learner = scope.repos, scope.catalog, scope.team, scope.user
    need = repos.needs.get(team_id, need_id)
    if need is None or need.member.user_id != learner:
        return Refused(Reason.NOT_YOURS)
    if need.status not in LIVE_NEED:
        return Refused(Reason.GONE)
    member = repos.members.get(team_id, expert)
    if member is None or member.id == need.member_id:
        return Refused(Reason.UNAVAILABLE)
    existing = repos.matches.between(need, member)
    if existing is not None:
        return Refused(Reason.ALREADY, info_of(existing))
    if not _available(repos, member):
        return Refused(Reason.UNAVAILABLE)
    match, created = repos.matches.propose(need, member, _expert_topic(repos, catalog, need, member), by_expert=False)
    return Asked(info_of(match)) if created else Refused(Reason.ALREADY, info_of(match))


def offer_help(scope: Scope, *, need_id: int) -> Asked | Refused:
    """An expert offers to help with an open need they saw after /teach."""
    repos, catalog, team_id, expert = scope.repos, scope.catalog, scope.team, scope.user
    need = repos.needs.get(team_id, need_id)
    if need is None or need.status != NeedStatus.OPEN:
        return Refused(Reason.GONE)
    member = repos.members.ensure(team_id, expert)
    if member.id == need.member_id:
        return Refused(Reason.NOT_YOURS)
    topic_id = _expert_topic(repos, catalog, need, member)
    match, created = repos.matches.propose(need, member, topic_id, by_expert=True)
    return Asked(info_of(match)) if created else Refused(Reason.ALREADY, info_of(match))


def remember_dm(scope: Scope, *, match_id: int, channel: str, ts: str) -> None:
    """Where the Accept/Decline message was posted, so it can be updated once decided."""
    repos, team_id = scope.repos, scope.team
    match = repos.matches.get(team_id, match_id)
    if match is not None:
        repos.matches.remember_message(match, channel, ts)


def _decider(match: Match) -> str:
    # Whoever did not start the match decides it: the expert for an ask, the learner for an offer.
    return match.need.member.user_id if match.offered_by_expert else match.expert.user_id


def accept(scope: Scope, *, match_id: int) -> Accepted | Refused:
    """Accept a proposed match; only the other side may, and only once."""
    repos, team_id, user = scope.repos, scope.team, scope.user
    match = repos.matches.get(team_id, match_id)
    if match is None:
        return Refused(Reason.GONE)
    if user != _decider(match):
        return Refused(Reason.NOT_YOURS, info_of(match))
    if match.need.status not in LIVE_NEED:
        return Refused(Reason.GONE, info_of(match))
    if not repos.matches.decide(match, expected=MatchStatus.PROPOSED, to=MatchStatus.ACCEPTED):
        return Refused(Reason.ALREADY, info_of(match))
    repos.needs.mark_matched(match.need)
    return Accepted(info_of(match))


def decline(scope: Scope, *, match_id: int) -> Declined | Refused:
    """Decline a proposed match; a learner whose ask was declined gets the next-best expert."""
    repos, team_id, user, now = scope.repos, scope.team, scope.user, scope.now
    match = repos.matches.get(team_id, match_id)
    if match is None:
        return Refused(Reason.GONE)
    if user != _decider(match):
        return Refused(Reason.NOT_YOURS, info_of(match))
    if not repos.matches.decide(match, expected=MatchStatus.PROPOSED, to=MatchStatus.DECLINED):
        return Refused(Reason.ALREADY, info_of(match))
    alternatives: list[ExpertCard] = []
    need = match.need
    if not match.offered_by_expert and need.status in LIVE_NEED:
        exclude = repos.matches.experts_of_need(need.id)
        topic = [TopicHit(need.topic_id, need.topic.name, 100.0)]
        alternatives = find_experts(repos, need.member, topic, now, exclude=exclude, limit=1)
    return Declined(info_of(match), tuple(alternatives))


def _accepted_by(repos: Repos, team_id: str, match_id: int, expert: str) -> Match | Refused:
    """The match if it is accepted and `expert` is its expert; otherwise why not."""
    match = repos.matches.get(team_id, match_id)
    if match is None:
        return Refused(Reason.GONE)
    if expert != match.expert.user_id:
        return Refused(Reason.NOT_YOURS, info_of(match))
    if match.status != MatchStatus.ACCEPTED:
        return Refused(Reason.GONE, info_of(match))
    return match


def propose_time(
    scope: Scope, *, match_id: int, starts_at: datetime | None, duration_min: int | None
) -> Booked | AlreadyBooked | Refused:
    """The expert proposes a time (or just a chat) for an accepted match: the session is booked once."""
    repos, team_id, user = scope.repos, scope.team, scope.user
    match = _accepted_by(repos, team_id, match_id, user)
    if isinstance(match, Refused):
        return match
    booked, created = repos.sessions.book(match, starts_at, duration_min)
    if not created:
        return AlreadyBooked(info_of(match), booked.id)
    return Booked(info_of(match), booked.id, starts_at, duration_min)


def proposal_form(scope: Scope, *, match_id: int) -> MayPropose | AlreadyBooked | Refused:
    """May this user propose a time for this match now? (Its expert, once accepted, before a session is booked.)"""
    repos, team_id, user = scope.repos, scope.team, scope.user
    match = _accepted_by(repos, team_id, match_id, user)
    if isinstance(match, Refused):
        return match
    booked = repos.sessions.for_match(match.id)
    if booked is not None:
        return AlreadyBooked(info_of(match), booked.id)
    return MayPropose(info_of(match))


def withdraw(scope: Scope, *, match_id: int) -> None:
    """Forget a proposal whose message could not be delivered, so the learner can simply try again."""
    repos, team_id = scope.repos, scope.team
    match = repos.matches.get(team_id, match_id)
    if match is not None and match.status == MatchStatus.PROPOSED:
        repos.db.delete(match)


def request_message(scope: Scope, *, match_id: int) -> MatchInfo | None:
    """The match as it stands, with where its request message is (None when it is gone)."""
    repos, team_id = scope.repos, scope.team
    match = repos.matches.get(team_id, match_id)
    return info_of(match) if match is not None else None


def record_intro(scope: Scope, *, session_id: int, channel: str, ts: str) -> None:
    """Where the introduction was posted (the group DM of learner, expert and peerlearn)."""
    repos, team_id = scope.repos, scope.team
    booked = repos.sessions.get(team_id, session_id)
    if booked is not None:
        booked.channel_id, booked.message_ts = channel, ts
