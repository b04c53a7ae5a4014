"""Re-routing as a plain service on a real database: an ask left unanswered for 48 hours goes to the next expert."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import Engine, select

from bot.domain import MatchStatus
from bot.services import asks, reroute
from store.models import Match
from tests.bot.services.world import TEAM, World


def asked(world: World, expert: str) -> int:
    need = world.learn("UBOB", "kubernetes")
    outcome = world.run(lambda r: asks.ask(world.scope(r, "UBOB"), need_id=need.need_id, expert=expert))
    assert isinstance(outcome, asks.Asked), outcome
    return outcome.match.match_id


def matches(world: World) -> list[tuple[str, MatchStatus]]:
    with world.db() as db:
        return [(m.expert.user_id, m.status) for m in db.scalars(select(Match).order_by(Match.id)).unique()]


def test_an_ask_unanswered_for_48_hours_goes_to_the_next_expert_once(engine: Engine) -> None:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    world.teach("UCARA", "kubernetes")
    first = asked(world, "UALICE")
    assert world.run(lambda r: reroute.reroute_due(r, world.catalog, datetime.now(UTC) + timedelta(hours=47))) == []
    later = datetime.now(UTC) + reroute.PATIENCE + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # the new ask is made then
        [moved] = world.run(lambda r: reroute.reroute_due(r, world.catalog, later))
    assert moved.team_id == TEAM
    assert (moved.expired.match_id, moved.expired.expert.user_id) == (first, "UALICE")
    assert moved.next is not None and moved.next.expert.user_id == "UCARA" and moved.next.learner.user_id == "UBOB"
    assert matches(world) == [("UALICE", MatchStatus.EXPIRED), ("UCARA", MatchStatus.PROPOSED)]
    # The new ask waits its own 48 hours; then it expires too, and nobody is left to ask.
    assert world.run(lambda r: reroute.reroute_due(r, world.catalog, later + timedelta(hours=47))) == []
    [last] = world.run(lambda r: reroute.reroute_due(r, world.catalog, later + reroute.PATIENCE))
    assert last.expired.expert.user_id == "UCARA" and last.next is None
    assert matches(world) == [("UALICE", MatchStatus.EXPIRED), ("UCARA", MatchStatus.EXPIRED)]


def test_with_nobody_else_the_ask_expires_and_nobody_is_asked(engine: Engine) -> None:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    asked(world, "UALICE")
    later = datetime.now(UTC) + reroute.PATIENCE + timedelta(minutes=1)
    [moved] = world.run(lambda r: reroute.reroute_due(r, world.catalog, later))
    assert moved.next is None and moved.expired.expert.user_id == "UALICE"
    assert matches(world) == [("UALICE", MatchStatus.EXPIRED)]


def test_an_answered_ask_is_left_alone(engine: Engine) -> None:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    world.teach("UCARA", "kubernetes")
    match_id = asked(world, "UALICE")
    world.run(lambda r: asks.accept(world.scope(r, "UALICE"), match_id=match_id))
    later = datetime.now(UTC) + reroute.PATIENCE + timedelta(hours=1)
    assert world.run(lambda r: reroute.reroute_due(r, world.catalog, later)) == []
    assert matches(world) == [("UALICE", MatchStatus.ACCEPTED)]
