"""Around a booked session as plain services on a real database: the reminder, the follow-up, closing the need."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.domain import MatchStatus, NeedStatus, SessionKind
from bot.services import asks, sessions
from bot.services.sessions import Done
from store.models import LearningSession, Match, Need
from tests.bot.services.world import TEAM, World


@pytest.fixture
def world(engine: Engine) -> World:
    world = World(engine)
    world.teach("UALICE", "kubernetes")
    return world


def booked(world: World, starts_at: datetime | None, minutes: int | None = 30, learner: str = "UBOB") -> int:
    """The learner asks Alice, she accepts and books a session: its id."""
    need = world.learn(learner, "kubernetes")
    asked = world.run(lambda r: asks.ask(world.scope(r, learner), need_id=need.need_id, expert="UALICE"))
    assert isinstance(asked, asks.Asked), asked
    match_id = asked.match.match_id
    world.run(lambda r: asks.accept(world.scope(r, "UALICE"), match_id=match_id))
    outcome = world.run(
        lambda r: asks.propose_time(
            world.scope(r, "UALICE"),
            match_id=match_id,
            starts_at=starts_at,
            duration_min=minutes,
        )
    )
    assert isinstance(outcome, asks.Booked), outcome
    return outcome.session_id


def test_the_reminder_is_due_ten_minutes_before_and_claimed_once(world: World) -> None:
    now = datetime.now(UTC)
    session_id = booked(world, now + timedelta(minutes=25), minutes=45)
    assert world.run(lambda r: sessions.reminders_due(r, now)) == []  # 25 minutes ahead: not yet
    soon = now + timedelta(minutes=16)
    [notice] = world.run(lambda r: sessions.reminders_due(r, soon))
    assert (notice.session_id, notice.team_id, notice.kind, notice.topic) == (
        session_id,
        TEAM,
        SessionKind.PAIR,
        "Kubernetes",
    )
    assert notice.duration_min == 45 and notice.starts_at == now + timedelta(minutes=25)
    assert notice.host.user_id == "UALICE" and [p.user_id for p in notice.learners] == ["UBOB"]
    assert world.run(lambda r: sessions.reminders_due(r, soon)) == []  # another scheduler finds it claimed
    with world.db() as db:
        assert db.get_one(LearningSession, session_id).reminder_sent_at == soon


def test_the_follow_up_comes_an_hour_after_the_end_once(world: World) -> None:
    start = datetime.now(UTC) + timedelta(minutes=5)
    session_id = booked(world, start, minutes=30)
    ended = start + timedelta(minutes=30)
    assert world.run(lambda r: sessions.followups_due(r, ended + timedelta(minutes=59))) == []
    [notice] = world.run(lambda r: sessions.followups_due(r, ended + timedelta(hours=1)))
    assert notice.session_id == session_id and [p.user_id for p in notice.learners] == ["UBOB"]
    assert world.run(lambda r: sessions.followups_due(r, ended + timedelta(hours=2))) == []
    # Days late (the scheduler was down): no follow-up at all.
    late = booked(world, start, learner="UCARA")
    assert world.run(lambda r: sessions.followups_due(r, start + timedelta(days=4))) == []
    with world.db() as db:
        assert db.get_one(LearningSession, late).followup_sent_at is None


def test_mark_need_done_closes_the_need_and_the_match_for_the_learner_only(world: World) -> None:
    session_id = booked(world, None, minutes=None)  # "just chat"

    def done(user: str) -> sessions.DoneResult:
        return world.run(lambda r: sessions.mark_need_done(world.scope(r, user), session_id=session_id))

    assert done("UCARA").status is Done.NOT_YOURS
    assert done("UBOB") == sessions.DoneResult(Done.CLOSED, "Kubernetes")
    assert done("UBOB").status is Done.ALREADY
    with world.db() as db:
        assert db.scalars(select(Need.status)).all() == [NeedStatus.CLOSED]
        assert db.scalars(select(Match.status)).all() == [MatchStatus.DONE]
