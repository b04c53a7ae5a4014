"""An ask the expert leaves unanswered for 48 hours goes to the next-best expert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import LIVE_NEED, MatchStatus
from bot.matcher import TopicHit
from bot.services.asks import Asked, MatchInfo, ask, info_of
from bot.services.catalog import Catalog
from bot.services.experts import find_experts
from bot.services.scope import Scope
from store.repos import Repos

PATIENCE = timedelta(hours=48)


@dataclass(frozen=True)
class Rerouted:
    team_id: str
    expired: MatchInfo  # the unanswered ask: its DM to the silent expert is updated
    next: MatchInfo | None  # the new ask, or None when nobody else can help now


def reroute_due(repos: Repos, catalog: Catalog, now: datetime) -> list[Rerouted]:
    """Expire asks older than 48 hours and pass each need on; an expire is conditional, so it happens once."""
    done = []
    for match in repos.due.unanswered(now - PATIENCE):
        if not repos.matches.decide(match, expected=MatchStatus.PROPOSED, to=MatchStatus.EXPIRED):
            continue
        need = match.need
        if need.status not in LIVE_NEED:
            continue
        tried = repos.matches.experts_of_need(need.id)
        topic = [TopicHit(need.topic_id, need.topic.name, 100.0)]
        cards = find_experts(repos, need.member, topic, now, exclude=tried, limit=1)
        following = None
        if cards:
            learner = Scope(need.team_id, need.member.user_id, now, repos, catalog)
            outcome = ask(learner, need_id=need.id, expert=cards[0].user_id)
            following = outcome.match if isinstance(outcome, Asked) else None
        done.append(Rerouted(need.team_id, info_of(match), following))
    return done
