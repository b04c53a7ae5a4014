"""Meeting times as plain services on a real database: a pick, the other's yes, moving, giving a "just chat" its
first time, cancelling, and what each returns when nothing may change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Engine, select

from bot.calendar import availability
from bot.domain import MatchStatus, NeedStatus
from bot.services import meeting
from bot.services.asks import Reason, Refused
from bot.services.meeting import (
    Booked,
    Cancelled,
    ChatBooked,
    Clash,
    Moved,
    Plan,
    Proposed,
    Taken,
    Timed,
)
from bot.services.scope import Scope
from store.models import LearningSession, Match, Need
from store.repos import Repos
from tests import factories
from tests.bot.services.world import World

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday, before anyone's working day
TZ = "UTC"
T = TypeVar("T")


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@dataclass
class Pair:
    """Alice teaches Bob, once she accepted his ask: `match_id` is theirs, `topic_id` its topic."""

    world: World
    match_id: int
    topic_id: int

    def as_(self, user: str, step: Callable[[Scope], T]) -> T:
        """One step by `user`, in its own transaction, at NOW."""
        return self.world.run(lambda r: step(self.world.scope(r, user, NOW)))

    def pick(self, user: str, starts_at: datetime | None, others: tuple[datetime, ...] = ()) -> object:
        """`user` picks `starts_at` (30 minutes; None: just chat), with `others` the other free times offered."""
        minutes = None if starts_at is None else 30
        offered = () if starts_at is None else (starts_at, *others)
        return self.as_(
            user,
            lambda s: meeting.pick(
                s, match_id=self.match_id, starts_at=starts_at, minutes=minutes, others=offered, tz=TZ
            ),
        )

    def confirm(self, user: str, starts_at: datetime) -> object:
        return self.as_(user, lambda s: meeting.confirm(s, match_id=self.match_id, starts_at=starts_at, tz=TZ))

    def session(self) -> LearningSession | None:
        with self.world.db() as db:
            return db.scalars(select(LearningSession).where(LearningSession.match_id == self.match_id)).one_or_none()

    def busy(self, user: str, starts_at: datetime) -> None:
        """`user` hosts another session at `starts_at` (booked meanwhile, elsewhere)."""

        def add(repos: Repos) -> None:
            host = repos.members.get(factories.TEAM, user)
            assert host is not None
            topic = factories.topic(repos, "python")
            factories.session(repos, host, topic, starts_at)

        self.world.run(add)


@pytest.fixture
def pair(engine: Engine) -> Pair:
    world = World(engine)

    def arrange(repos: Repos) -> tuple[int, int]:
        alice, bob = factories.member(repos, "UALICE", "Alice", tz=TZ), factories.member(repos, "UBOB", "Bob", tz=TZ)
        factories.member(repos, "UCARA", "Cara", tz=TZ)
        topic = factories.topic(repos, "kubernetes", "Kubernetes")
        factories.offer(repos, alice, topic)
        match = factories.match(repos, factories.need(repos, bob, topic), alice)
        assert repos.matches.decide(match, expected=MatchStatus.PROPOSED, to=MatchStatus.ACCEPTED)
        repos.needs.mark_matched(match.need)
        return match.id, topic.id

    match_id, topic_id = world.run(arrange)
    return Pair(world, match_id, topic_id)


def booked_at(pair: Pair, starts_at: datetime) -> Booked:
    """Alice picks `starts_at`, Bob says yes."""
    assert isinstance(pair.pick("UALICE", starts_at), Proposed)
    done = pair.confirm("UBOB", starts_at)
    assert isinstance(done, Booked), done
    return done


def test_the_expert_plans_a_booking_and_the_free_times_fit_both(pair: Pair) -> None:
    plan = pair.as_("UALICE", lambda s: meeting.plan_booking(s, match_id=pair.match_id, user="UALICE", tz=TZ))
    assert isinstance(plan, Plan)
    assert (plan.user, plan.other_user, plan.session_id, plan.untimed) == ("UALICE", "UBOB", None, False)
    assert (plan.info.topic, plan.info.expert.name, plan.info.learner.name) == ("Kubernetes", "Alice", "Bob")
    found = meeting.free_times(plan, None, NOW)
    first = found.slots[0]
    assert found.overlap and first.date() == NOW.date() and 9 <= first.hour < 17  # both working days, today
    # Bob's do-not-disturb over that hour: nothing inside it is offered.
    blocked = (first, first + timedelta(hours=1))
    dnd: dict[str, list[availability.Interval]] = {"UALICE": [], "UBOB": [blocked]}
    assert meeting.free_times(plan, dnd, NOW).slots[0] >= first + timedelta(hours=1)


def test_only_the_expert_of_an_unbooked_accepted_match_plans_a_booking(pair: Pair) -> None:
    def plan(user: str, match_id: int = pair.match_id) -> object:
        return pair.as_(user, lambda s: meeting.plan_booking(s, match_id=match_id, user=user, tz=TZ))

    mine = plan("UALICE")
    assert isinstance(mine, Plan)
    assert plan("UBOB") == Refused(Reason.NOT_YOURS, mine.info)
    assert plan("UALICE", pair.match_id + 1000) == Refused(Reason.GONE)
    booked_at(pair, at(24, 10))
    refused = plan("UALICE")
    assert isinstance(refused, Refused) and refused.reason is Reason.ALREADY


def test_a_pick_waits_for_the_others_yes_and_the_yes_books_once(pair: Pair) -> None:
    proposed = pair.pick("UALICE", at(24, 10), others=(at(24, 11),))
    assert isinstance(proposed, Proposed)
    assert (proposed.by, proposed.to, proposed.meeting) == ("UALICE", "UBOB", None)
    assert (proposed.starts_at, proposed.minutes, proposed.options) == (at(24, 10), 30, [at(24, 10), at(24, 11)])
    assert pair.session() is None  # nothing is booked before Bob's yes

    assert pair.confirm("UALICE", at(24, 10)) == Refused(Reason.NOT_YOURS, proposed.info)  # not her own pick
    booked = pair.confirm("UBOB", at(24, 11))  # one of the other free times
    assert isinstance(booked, Booked)
    assert (booked.starts_at, booked.minutes) == (at(24, 11), 30)
    assert (booked.meeting.starts_at, booked.meeting.sequence, booked.meeting.info.match_id) == (
        at(24, 11),
        0,
        pair.match_id,
    )
    row = pair.session()
    assert row is not None and (row.id, row.starts_at) == (booked.meeting.session_id, at(24, 11))

    again = pair.confirm("UBOB", at(24, 10))
    assert isinstance(again, Refused) and again.reason is Reason.ALREADY


def test_only_the_expert_picks_before_booking_and_only_the_two_of_them_at_all(pair: Pair) -> None:
    assert isinstance(pair.pick("UBOB", at(24, 10)), Refused)
    refused = pair.pick("UCARA", at(24, 10))
    assert isinstance(refused, Refused) and refused.reason is Reason.NOT_YOURS
    gone = pair.as_(
        "UALICE",
        lambda s: meeting.pick(s, match_id=pair.match_id + 1000, starts_at=None, minutes=None, others=(), tz=TZ),
    )
    assert gone == Refused(Reason.GONE)


def test_a_pick_that_meets_another_session_is_a_clash_and_proposes_nothing(pair: Pair) -> None:
    pair.busy("UALICE", at(24, 10))
    clash = pair.pick("UALICE", at(24, 10))
    assert isinstance(clash, Clash) and (clash.starts_at, clash.minutes) == (at(24, 10), 30)
    with pair.world.db() as db:
        assert db.get_one(Match, pair.match_id).proposed_at is None


def test_a_time_taken_meanwhile_offers_the_next_free_ones(pair: Pair) -> None:
    assert isinstance(pair.pick("UALICE", at(24, 10)), Proposed)
    pair.busy("UALICE", at(24, 10))  # booked with someone else before Bob answered
    taken = pair.confirm("UBOB", at(24, 10))
    assert isinstance(taken, Taken)
    assert (taken.to, taken.minutes) == ("UBOB", 30)
    assert taken.options and at(24, 10) not in taken.options
    assert pair.session() is None
    # The fresh times are now the ones on offer: Bob can take the first.
    assert isinstance(pair.confirm("UBOB", taken.options[0]), Booked)


def test_either_of_them_moves_a_booked_session_and_the_other_confirms(pair: Pair) -> None:
    first = booked_at(pair, at(24, 10))
    plan = pair.as_("UBOB", lambda s: meeting.plan_move(s, session_id=first.meeting.session_id, tz=TZ))
    assert isinstance(plan, Plan)
    assert (plan.user, plan.other_user, plan.session_id, plan.minutes, plan.untimed) == (
        "UBOB",
        "UALICE",
        first.meeting.session_id,
        30,
        False,
    )
    assert at(24, 10) not in meeting.free_times(plan, None, NOW).slots  # its own time is taken

    proposed = pair.pick("UBOB", at(25, 14))
    assert isinstance(proposed, Proposed) and proposed.meeting is not None
    assert (proposed.meeting.starts_at, proposed.to) == (at(24, 10), "UALICE")
    moved = pair.confirm("UALICE", at(25, 14))
    assert isinstance(moved, Moved)
    assert (moved.starts_at, moved.meeting.starts_at, moved.meeting.sequence) == (at(25, 14), at(25, 14), 1)
    row = pair.session()
    assert row is not None and (row.starts_at, row.sequence) == (at(25, 14), 1)


def test_just_chat_books_at_once_and_gets_its_first_time_later(pair: Pair) -> None:
    chat = pair.pick("UALICE", None)
    assert isinstance(chat, ChatBooked)
    assert (chat.meeting.starts_at, chat.meeting.minutes, chat.meeting.calendar) == (None, None, None)
    again = pair.pick("UALICE", None)
    assert isinstance(again, Refused) and again.reason is Reason.ALREADY

    plan = pair.as_("UALICE", lambda s: meeting.plan_move(s, session_id=chat.meeting.session_id, tz=TZ))
    assert isinstance(plan, Plan) and plan.untimed
    proposed = pair.pick("UALICE", at(24, 10))
    assert isinstance(proposed, Proposed) and proposed.meeting is not None and proposed.meeting.starts_at is None
    timed = pair.confirm("UBOB", at(24, 10))
    assert isinstance(timed, Timed)
    assert (timed.starts_at, timed.meeting.sequence) == (at(24, 10), 0)  # its first invitation
    assert timed.meeting.calendar is not None and timed.meeting.calendar.summary == "Kubernetes: Alice and Bob"


def test_either_of_them_cancels_once_and_the_need_opens_again(pair: Pair) -> None:
    session_id = booked_at(pair, at(24, 10)).meeting.session_id

    def cancel(user: str, session: int = session_id) -> object:
        return pair.as_(user, lambda s: meeting.cancel(s, session_id=session, reason="Sick"))

    assert isinstance(cancel("UCARA"), Refused)
    assert cancel("UBOB", session_id + 1000) == Refused(Reason.GONE)
    cancelled = cancel("UBOB")
    assert isinstance(cancelled, Cancelled)
    assert (cancelled.by, cancelled.reason, cancelled.meeting.session_id) == ("UBOB", "Sick", session_id)
    again = cancel("UALICE")
    assert isinstance(again, Refused) and again.reason is Reason.ALREADY
    with pair.world.db() as db:
        assert db.scalars(select(Need.status)).one() is NeedStatus.OPEN
        assert db.get_one(LearningSession, session_id).cancelled_at is not None
    # A cancelled session cannot be moved.
    plan = pair.as_("UALICE", lambda s: meeting.plan_move(s, session_id=session_id, tz=TZ))
    assert isinstance(plan, Refused) and plan.reason is Reason.GONE


def test_a_stranger_cannot_move_a_session(pair: Pair) -> None:
    session_id = booked_at(pair, at(24, 10)).meeting.session_id
    plan = pair.as_("UCARA", lambda s: meeting.plan_move(s, session_id=session_id, tz=TZ))
    assert isinstance(plan, Refused) and plan.reason is Reason.NOT_YOURS
    gone = pair.as_("UCARA", lambda s: meeting.plan_move(s, session_id=session_id + 1000, tz=TZ))
    assert gone == Refused(Reason.GONE)
