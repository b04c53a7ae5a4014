"""Ask, accept, decline and booking as plain services on a real database: the states they leave and what they return."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.domain import MatchStatus, NeedStatus
from bot.services import asks
from bot.services.asks import Accepted, AlreadyBooked, Asked, Booked, Declined, Reason, Refused
from store.models import LearningSession, Match, Need
from tests.bot.services.world import World


@pytest.fixture
def world(engine: Engine) -> World:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    world.teach("UCARA", "kubernetes")
    return world


def ask(world: World, learner: str, need_id: int, expert: str) -> Asked | Refused:
    return world.run(lambda r: asks.ask(world.scope(r, learner), need_id=need_id, expert=expert))


def accept(world: World, match_id: int, user: str) -> Accepted | Refused:
    return world.run(lambda r: asks.accept(world.scope(r, user), match_id=match_id))


def decline(world: World, match_id: int, user: str) -> Declined | Refused:
    return world.run(lambda r: asks.decline(world.scope(r, user), match_id=match_id))


def refused(outcome: object) -> Reason | None:
    """Why the outcome changed nothing, or None when it did something."""
    return outcome.reason if isinstance(outcome, Refused) else None


def statuses(world: World) -> list[tuple[int, MatchStatus]]:
    with world.db() as db:
        rows = db.execute(select(Match.id, Match.status).order_by(Match.id)).all()
    return [(match_id, status) for match_id, status in rows]


def need_status(world: World, need_id: int) -> NeedStatus:
    with world.db() as db:
        return db.scalars(select(Need.status).where(Need.id == need_id)).one()


def test_an_ask_proposes_one_match_and_asking_again_changes_nothing(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    first = ask(world, "UBOB", need.need_id, "UALICE")
    assert isinstance(first, Asked)
    assert (first.match.topic, first.match.learner.user_id, first.match.expert.user_id) == (
        "Kubernetes",
        "UBOB",
        "UALICE",
    )
    assert first.match.status is MatchStatus.PROPOSED and not first.match.offered_by_expert
    again = ask(world, "UBOB", need.need_id, "UALICE")
    assert isinstance(again, Refused) and again.reason is Reason.ALREADY and again.match is not None
    assert again.match.match_id == first.match.match_id
    assert statuses(world) == [(first.match.match_id, MatchStatus.PROPOSED)]
    assert need_status(world, need.need_id) is NeedStatus.OPEN


def test_only_the_learner_may_ask_and_only_an_available_expert(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    assert ask(world, "UCARA", need.need_id, "UALICE") == Refused(Reason.NOT_YOURS)
    assert ask(world, "UBOB", need.need_id + 1000, "UALICE") == Refused(Reason.NOT_YOURS)  # no such need
    assert ask(world, "UBOB", need.need_id, "UBOB") == Refused(Reason.UNAVAILABLE)  # themselves
    assert ask(world, "UBOB", need.need_id, "UNOBODY") == Refused(Reason.UNAVAILABLE)
    world.set_member("UALICE", paused=True)
    assert ask(world, "UBOB", need.need_id, "UALICE") == Refused(Reason.UNAVAILABLE)
    assert statuses(world) == []


def test_accept_is_the_experts_once_and_matches_the_need(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    asked = ask(world, "UBOB", need.need_id, "UALICE")
    assert isinstance(asked, Asked)
    match_id = asked.match.match_id
    assert refused(accept(world, match_id, "UBOB")) is Reason.NOT_YOURS  # the learner asked: the expert decides
    accepted = accept(world, match_id, "UALICE")
    assert isinstance(accepted, Accepted)
    assert accepted.match.match_id == match_id
    assert refused(accept(world, match_id, "UALICE")) is Reason.ALREADY
    assert statuses(world) == [(match_id, MatchStatus.ACCEPTED)]
    assert need_status(world, need.need_id) is NeedStatus.MATCHED
    assert accept(world, match_id + 1000, "UALICE") == Refused(Reason.GONE)


def test_a_decline_offers_the_next_expert_and_cannot_be_taken_back(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    asked = ask(world, "UBOB", need.need_id, "UALICE")
    assert isinstance(asked, Asked)
    match_id = asked.match.match_id
    assert refused(decline(world, match_id, "UBOB")) is Reason.NOT_YOURS
    declined = decline(world, match_id, "UALICE")
    assert isinstance(declined, Declined)
    assert [card.user_id for card in declined.alternatives] == ["UCARA"]  # never the one who declined
    assert refused(decline(world, match_id, "UALICE")) is Reason.ALREADY
    assert refused(accept(world, match_id, "UALICE")) is Reason.ALREADY
    assert statuses(world) == [(match_id, MatchStatus.DECLINED)]
    assert need_status(world, need.need_id) is NeedStatus.OPEN  # the learner can ask someone else


def test_an_offer_is_decided_by_the_learner(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    offered = world.run(lambda r: asks.offer_help(world.scope(r, "UCARA"), need_id=need.need_id))
    assert isinstance(offered, Asked) and offered.match.offered_by_expert
    assert refused(accept(world, offered.match.match_id, "UCARA")) is Reason.NOT_YOURS
    assert isinstance(accept(world, offered.match.match_id, "UBOB"), Accepted)
    assert statuses(world) == [(offered.match.match_id, MatchStatus.ACCEPTED)]


def test_a_time_is_booked_once_by_the_expert_of_an_accepted_match(world: World) -> None:
    need = world.learn("UBOB", "kubernetes")
    asked = ask(world, "UBOB", need.need_id, "UALICE")
    assert isinstance(asked, Asked)
    match_id = asked.match.match_id
    starts = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)

    def propose(user: str) -> Booked | AlreadyBooked | Refused:
        return world.run(
            lambda r: asks.propose_time(
                world.scope(r, user),
                match_id=match_id,
                starts_at=starts,
                duration_min=45,
            )
        )

    assert refused(propose("UALICE")) is Reason.GONE  # not accepted yet
    accept(world, match_id, "UALICE")
    assert refused(propose("UBOB")) is Reason.NOT_YOURS
    booked = propose("UALICE")
    assert isinstance(booked, Booked)
    assert (booked.starts_at, booked.duration_min) == (starts, 45)
    assert propose("UALICE") == AlreadyBooked(booked.match, booked.session_id)
    with world.db() as db:
        assert db.scalar(select(func.count()).select_from(LearningSession)) == 1
        row = db.get_one(LearningSession, booked.session_id)
        assert (row.match_id, row.starts_at, row.duration_min) == (match_id, starts, 45)
