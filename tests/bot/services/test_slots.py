"""Group slots as plain services on a real database: who is invited, hosting once, seats taken and given back."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from bot.domain import InviteStatus, SessionKind
from bot.services import slots
from bot.services.scope import Scope
from bot.services.slots import Hosted, Joined, Left, Passed, Reason, Refused
from store.models import LearningSession, SessionParticipant, SlotInvite
from store.repos import Repos
from tests.bot.services.world import TEAM, World

LEARNERS = ("UBOB", "UDAN", "UEVE")


@pytest.fixture
def world(engine: Engine) -> World:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    world.teach("UCARA", "kubernetes")
    for learner in LEARNERS:
        world.learn(learner, "kubernetes")
    return world


def invitations(world: World, now: datetime) -> list[slots.Invitation]:
    return world.run(lambda r: slots.invitations_due(r, now, {TEAM}))


def invites(world: World) -> list[tuple[str, InviteStatus]]:
    with world.db() as db:
        return [(i.expert.user_id, i.status) for i in db.scalars(select(SlotInvite).order_by(SlotInvite.id))]


def hosted(world: World, now: datetime, starts_at: datetime, capacity: int = 8) -> Hosted | Refused:
    [invitation] = invitations(world, now)
    return world.run(
        lambda r: slots.host(
            Scope(TEAM, invitation.expert, now, r, world.catalog),
            invite_id=invitation.invite_id,
            starts_at=starts_at,
            duration_min=60,
            capacity=capacity,
        )
    )


def test_three_waiting_learners_get_one_expert_invited_once(world: World) -> None:
    now = datetime.now(UTC)
    [invitation] = invitations(world, now)
    assert (invitation.team_id, invitation.topic, invitation.waiting) == (TEAM, "Kubernetes", 3)
    assert invitation.expert in ("UALICE", "UCARA")
    assert invitations(world, now) == []  # the invitation waits for its answer
    assert invites(world) == [(invitation.expert, InviteStatus.INVITED)]
    assert world.run(lambda r: slots.invitations_due(r, now, set())) == []  # a workspace without a channel


def test_a_declined_invitation_goes_to_the_other_expert(world: World) -> None:
    now = datetime.now(UTC)
    [first] = invitations(world, now)

    def decline(user: str) -> Passed | Refused:
        return world.run(lambda r: slots.decline(world.scope(r, user), invite_id=first.invite_id))

    assert decline("UBOB") == Refused(Reason.NOT_YOURS)
    assert decline(first.expert) == Passed("Kubernetes")
    assert decline(first.expert) == Refused(Reason.ALREADY)
    [second] = invitations(world, now)
    assert {first.expert, second.expert} == {"UALICE", "UCARA"}
    assert invites(world) == [(first.expert, InviteStatus.DECLINED), (second.expert, InviteStatus.INVITED)]


def test_hosting_opens_one_slot_and_names_the_learners_to_tell(world: World) -> None:
    now = datetime.now(UTC)
    starts = (now + timedelta(days=2)).replace(microsecond=0)
    outcome = hosted(world, now, starts, capacity=10)
    assert isinstance(outcome, Hosted)
    assert (outcome.slot.topic, outcome.slot.starts_at, outcome.slot.capacity, outcome.slot.joined) == (
        "Kubernetes",
        starts,
        10,
        0,
    )
    assert sorted(outcome.learners) == sorted(LEARNERS)
    invite_id = world.run(lambda r: r.db.scalars(select(SlotInvite.id)).one())
    host = outcome.slot.host
    again = world.run(
        lambda r: slots.host(
            Scope(TEAM, host, now, r, world.catalog),
            invite_id=invite_id,
            starts_at=starts,
            duration_min=60,
            capacity=10,
        )
    )
    assert again == Refused(Reason.ALREADY)
    with world.db() as db:
        assert db.scalar(select(func.count()).select_from(LearningSession)) == 1
        assert db.scalars(select(LearningSession.kind)).one() is SessionKind.SLOT
        assert db.scalars(select(SlotInvite.status)).one() is InviteStatus.HOSTED


def test_seats_are_taken_once_up_to_capacity_and_given_back_before_the_start(world: World) -> None:
    now = datetime.now(UTC)
    starts = now + timedelta(days=1)
    outcome = hosted(world, now, starts, capacity=2)
    assert isinstance(outcome, Hosted)
    slot_id, host = outcome.slot.slot_id, outcome.slot.host

    def join(user: str, at: datetime = now) -> Joined | Refused:
        return world.run(lambda r: slots.join(Scope(TEAM, user, at, r, world.catalog), slot_id=slot_id))

    def leave(user: str, at: datetime = now) -> Left | Refused:
        return world.run(lambda r: slots.leave(Scope(TEAM, user, at, r, world.catalog), slot_id=slot_id))

    def why(seat: Joined | Left | Refused) -> Reason | None:
        return seat.reason if isinstance(seat, Refused) else None

    assert why(join(host)) is Reason.HOST
    first = join("UBOB")
    assert isinstance(first, Joined) and first.slot.joined == 1
    assert why(join("UBOB")) is Reason.ALREADY
    assert isinstance(join("UDAN"), Joined)
    full = join("UEVE")
    assert isinstance(full, Refused) and full.reason is Reason.FULL and full.slot is not None and full.slot.joined == 2
    assert isinstance(leave("UBOB"), Left)
    assert why(leave("UBOB")) is Reason.ALREADY
    assert isinstance(join("UEVE"), Joined)
    assert why(join("UFRED", at=starts)) is Reason.STARTED
    assert why(leave("UDAN", at=starts)) is Reason.STARTED
    with world.db() as db:
        seated = db.scalars(select(SessionParticipant.member_id)).all()
    assert len(seated) == 2
    assert world.run(lambda r: slots.join(Scope(TEAM, "UBOB", now, r, world.catalog), slot_id=slot_id + 1000)) == (
        Refused(Reason.GONE)
    )


def test_a_second_run_never_invites_a_second_host_while_one_waits(world: World) -> None:
    now = datetime.now(UTC)
    [first] = invitations(world, now)
    other = "UCARA" if first.expert == "UALICE" else "UALICE"

    def invite_other(repos: Repos) -> SlotInvite | None:
        # As a second scheduler would that looked before the first one's invitation was written.
        topic_id = repos.db.scalars(select(SlotInvite.topic_id)).one()
        expert = repos.members.get(TEAM, other)
        assert expert is not None
        return repos.slots.invite(TEAM, topic_id, expert.id, now)

    assert world.run(invite_other) is None
    assert invites(world) == [(first.expert, InviteStatus.INVITED)]
