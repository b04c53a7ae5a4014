"""What App Home shows and what it changes, as plain services on a real database: a member's offers, needs, coming
sessions and kudos, the workspace's tops, an admin's numbers, and the settings, opting out and deleting one's data."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import TypeVar

import pytest
from sqlalchemy import Engine, select

from bot.calendar.hours import WorkingHours
from bot.domain import MatchStatus, NeedStatus, SessionKind
from bot.grammar import Teach
from bot.insights.report import FEWER, Headline
from bot.services import asks, home, teaching
from bot.services.home import Left, MyHours, Upcoming
from bot.services.learning import NeedCard
from bot.services.teaching import OfferCard
from store.models import Kudos, Match, Member, Need, Offer, SessionParticipant
from store.repos import Repos
from tests import factories
from tests.bot.services.world import TEAM, World

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"
T = TypeVar("T")


@pytest.fixture
def world(engine: Engine) -> World:
    return World(engine)


def on(world: World, when: datetime, step: Callable[[Repos], T]) -> T:
    """One step in one transaction whose rows carry the time `when`, as a request at that time writes them."""
    with world.db.begin() as db:
        return step(Repos(db, lambda: when))


def home_of(world: World, user: str, now: datetime = NOW) -> home.HomeData:
    return world.run(lambda r: home.home(world.scope(r, user, now), default_tz=BERLIN))


def page_of(world: World, user: str, digest_key: str = TEAM) -> home.Page | None:
    return world.run(lambda r: home.page(world.scope(r, user, NOW), default_tz=BERLIN, digest_key=digest_key))


def teach(world: World, user: str, *topics: str) -> None:
    world.run(lambda r: teaching.offer_topics(world.scope(r, user, NOW), command=Teach(topics)))


def ask(world: World, learner: str, topic: str, expert: str) -> int:
    """`learner` asks `expert` to teach them `topic`; the match's id."""
    need = world.learn(learner, topic)
    outcome = world.run(lambda r: asks.ask(world.scope(r, learner, NOW), need_id=need.need_id, expert=expert))
    assert isinstance(outcome, asks.Asked), outcome
    return outcome.match.match_id


def accept(world: World, expert: str, match_id: int) -> None:
    outcome = world.run(lambda r: asks.accept(world.scope(r, expert, NOW), match_id=match_id))
    assert isinstance(outcome, asks.Accepted), outcome


def set_hours(world: World, user: str, hours: WorkingHours | None) -> None:
    world.run(lambda r: home.set_working_hours(world.scope(r, user), hours=hours))


def set_kudos_dm(world: World, user: str, enabled: bool) -> None:
    world.run(lambda r: home.set_kudos_dm(world.scope(r, user), enabled=enabled))


def member_row(world: World, user: str) -> Member | None:
    with world.db() as db:
        return db.scalars(select(Member).where(Member.user_id == user)).one_or_none()


def match_statuses(world: World) -> dict[int, MatchStatus]:
    with world.db() as db:
        return dict(db.execute(select(Match.id, Match.status)).all())


def test_home_shows_the_members_offers_needs_and_coming_sessions(world: World) -> None:
    teach(world, "UALICE", "python")
    rust = world.learn("UALICE", "rust")

    def sessions(repos: Repos) -> None:
        alice, bob = factories.members(repos, ("UALICE", "Alice"), ("UBOB", "Bob"))
        python, rust = factories.topic(repos, "python", "Python"), factories.topic(repos, "rust", "Rust")
        factories.session(repos, alice, python, NOW + timedelta(days=1))
        joined = factories.session(repos, bob, rust, NOW + timedelta(days=2), 45)
        repos.db.add(SessionParticipant(session_id=joined.id, member_id=alice.id))
        factories.session(repos, alice, python, NOW - timedelta(hours=1))  # over
        factories.session(repos, alice, python, NOW + timedelta(days=3), cancelled_at=NOW)  # never happens
        factories.session(repos, bob, python, NOW + timedelta(days=1))  # not hers

    world.run(sessions)
    data = home_of(world, "UALICE")
    assert data.topics.offers == [OfferCard("Python", None, None)] and not data.topics.paused
    with world.db() as db:
        asked_at = db.get_one(Need, rust.need_id).created_at
    assert data.needs == [NeedCard("Rust", NeedStatus.OPEN, asked_at)]
    assert data.upcoming == [
        Upcoming("Python", NOW + timedelta(days=1), 30, hosting=True),
        Upcoming("Rust", NOW + timedelta(days=2), 45, hosting=False),
    ]
    assert (data.now, data.tz, data.opted_out, data.kudos_dm, data.hours) == (NOW, BERLIN, False, True, None)


def test_home_of_someone_never_seen_is_empty_and_in_the_workspaces_timezone(world: World) -> None:
    data = home_of(world, "UNEW")
    assert (data.topics.offers, data.needs, data.upcoming, data.endorsements) == ([], [], [], [])
    assert (data.kudos_month, data.kudos_total, data.tz) == (0, 0, BERLIN)
    world.set_member("UNEW", tz="Asia/Tokyo")
    assert home_of(world, "UNEW").tz == "Asia/Tokyo"


def test_kudos_count_this_month_from_its_first_moment_and_endorsements_by_colleague(world: World) -> None:
    month_start = datetime(2026, 3, 1, tzinfo=UTC)

    def thanks(repos: Repos) -> None:
        alice, bob, cara = factories.members(repos, ("UALICE", "Alice"), ("UBOB", "Bob"), ("UCARA", "Cara"))
        python, sql = factories.topic(repos, "python", "Python"), factories.topic(repos, "sql", "SQL")
        day = date(2026, 3, 1)
        factories.kudos(repos, bob, alice, "1.1", day=day, at=month_start)
        factories.kudos(repos, cara, alice, "1.2", day=day, at=NOW)
        factories.kudos(repos, bob, alice, "1.3", day=day, at=month_start - timedelta(seconds=1))  # last month
        factories.kudos(repos, alice, bob, "1.4", day=day, at=NOW)  # given, not received
        for giver, ts, topic in ((bob, "2.1", python), (bob, "2.2", python), (cara, "2.3", python), (cara, "2.4", sql)):
            factories.kudos(repos, giver, alice, ts, day=day, at=month_start - timedelta(days=40)).topic_id = topic.id

    world.run(thanks)
    data = home_of(world, "UALICE")
    assert (data.kudos_month, data.kudos_total) == (2, 7)
    assert data.endorsements == [("Python", 2), ("SQL", 1)]  # colleagues, not thank-yous: Bob counts once


def test_the_workspace_tops_count_offers_people_can_use_and_needs_still_open(world: World) -> None:
    teach(world, "UALICE", "python", "sql")
    teach(world, "UBOB", "python")
    teach(world, "UCARA", "python", "go")
    teach(world, "UDAN", "sql")
    world.set_member("UCARA", opted_out=True)
    world.set_member("UDAN", active=False)
    for learner, topic in (("UBOB", "rust"), ("UCARA", "rust"), ("UDAN", "go"), ("UEVE", "elixir")):
        world.learn(learner, topic)

    def arrange(repos: Repos) -> None:
        eve = factories.member(repos, "UEVE")
        repos.needs.close(eve, [factories.topic(repos, "elixir", "Elixir").id], NeedStatus.CLOSED)
        elsewhere = factories.member(repos, "UELSE", team="T2")  # another workspace counts nowhere here
        factories.offer(repos, elsewhere, factories.topic(repos, "go", team="T2"))

    world.run(arrange)
    data = home_of(world, "UALICE")
    assert data.most_taught == [("Python", 2), ("SQL", 1)]
    assert data.most_wanted == [("Rust", 2), ("Go", 1)]


def test_working_hours_are_saved_only_when_they_differ_from_the_default(world: World) -> None:
    assert world.run(lambda r: home.my_hours(world.scope(r, "UALICE"), default_tz=BERLIN)) == MyHours(None, BERLIN)
    assert member_row(world, "UALICE") is None  # a read: a click on an old Home creates nobody

    early = WorkingHours(frozenset({0, 2, 4}), time(8, 30), time(16, 0))
    for _ in range(2):  # a retried submit saves the same again
        set_hours(world, "UALICE", early)
        row = member_row(world, "UALICE")
        assert row is not None and row.working_hours == "mon,wed,fri 08:30-16:00"
    world.set_member("UALICE", tz="Asia/Tokyo")
    assert world.run(lambda r: home.my_hours(world.scope(r, "UALICE"), default_tz=BERLIN)) == MyHours(
        early, "Asia/Tokyo"
    )
    assert home_of(world, "UALICE").hours == early

    for default in (WorkingHours.DEFAULT, None):
        set_hours(world, "UALICE", early)
        set_hours(world, "UALICE", default)
        row = member_row(world, "UALICE")
        assert row is not None and row.working_hours is None
        assert home_of(world, "UALICE").hours is None


def test_hours_nobody_can_read_count_as_the_default_instead_of_breaking_the_home(world: World) -> None:
    world.set_member("UALICE", working_hours="whenever suits")
    assert home_of(world, "UALICE").hours is None
    assert world.run(lambda r: home.my_hours(world.scope(r, "UALICE"), default_tz=BERLIN)).hours is None


def test_kudos_dms_are_switched_off_and_on(world: World) -> None:
    for enabled in (False, False, True):
        set_kudos_dm(world, "UALICE", enabled)
        row = member_row(world, "UALICE")
        assert row is not None and row.kudos_dm is enabled
        assert home_of(world, "UALICE").kudos_dm is enabled


def test_a_pause_from_the_home_shows_on_it_and_keeps_the_offers(world: World) -> None:
    teach(world, "UALICE", "python")
    world.run(lambda r: teaching.set_paused(world.scope(r, "UALICE"), paused=True))
    data = home_of(world, "UALICE")
    assert data.topics.paused and data.topics.offers == [OfferCard("Python", None, None)]
    assert data.most_taught == [("Python", 1)]  # paused is still teaching it, only not matched for now


def test_opting_out_expires_the_requests_waiting_either_way_and_keeps_accepted_ones(world: World) -> None:
    teach(world, "UALICE", "python", "sql")
    teach(world, "UCARA", "go")
    to_her = ask(world, "UBOB", "python", "UALICE")
    from_her = ask(world, "UALICE", "go", "UCARA")
    accepted = ask(world, "UDAN", "sql", "UALICE")
    accept(world, "UALICE", accepted)
    others = ask(world, "UBOB", "go", "UCARA")

    world.run(lambda r: home.set_opted_out(world.scope(r, "UALICE"), opted_out=True))
    expected = {
        to_her: MatchStatus.EXPIRED,
        from_her: MatchStatus.EXPIRED,
        accepted: MatchStatus.ACCEPTED,
        others: MatchStatus.PROPOSED,
    }
    assert match_statuses(world) == expected
    data = home_of(world, "UALICE")
    assert data.opted_out and data.most_taught == [("Go", 1)]  # nobody is matched with her any more

    world.run(lambda r: home.set_opted_out(world.scope(r, "UALICE"), opted_out=False))
    data = home_of(world, "UALICE")
    assert not data.opted_out and data.most_taught == [("Go", 1), ("Python", 1), ("SQL", 1)]
    assert match_statuses(world) == expected  # what expired stays expired: the learners were told


def test_deleting_my_data_forgets_the_member_and_names_who_loses_what(world: World) -> None:
    teach(world, "UALICE", "python", "sql")
    teach(world, "UCARA", "rust")
    ask(world, "UBOB", "python", "UALICE")  # waiting on her: Bob loses a request
    hers = ask(world, "UALICE", "rust", "UCARA")  # waiting on Cara, whose Accept/Decline message is now moot
    helped = ask(world, "UDAN", "sql", "UALICE")
    accept(world, "UALICE", helped)
    starts = NOW + timedelta(days=2)

    def arrange(repos: Repos) -> None:
        alice, bob, eve = factories.members(repos, ("UALICE", ""), ("UBOB", ""), ("UEVE", ""))
        repos.matches.remember_message(repos.db.get_one(Match, hers), "DCARA", "9.9")
        python = factories.topic(repos, "python")
        sql = factories.topic(repos, "sql")
        factories.session(repos, alice, sql, starts, match_id=helped)
        slot = factories.session(repos, alice, python, starts, kind=SessionKind.SLOT, capacity=5)
        repos.db.add(SessionParticipant(session_id=slot.id, member_id=eve.id))
        factories.kudos(repos, alice, bob, "1.1", day=NOW.date())
        factories.kudos(repos, bob, alice, "1.2", day=NOW.date())

    world.run(arrange)
    left = world.run(lambda r: home.delete_my_data(world.scope(r, "UALICE", NOW)))
    assert sorted(left, key=lambda told: told.user_id) == [
        Left("UBOB", "Python", None, reader="learner", lost="request"),
        Left("UCARA", "Rust", None, "DCARA", "9.9", reader="teacher", lost="request"),
        Left("UDAN", "SQL", starts, reader="learner", lost="session"),
        Left("UEVE", "Python", starts, reader="learner", lost="slot"),
    ]
    assert member_row(world, "UALICE") is None
    with world.db() as db:
        assert len(db.scalars(select(Offer)).all()) == 1  # Cara's
        assert db.scalars(select(Need.status).join(Member).where(Member.user_id == "UDAN")).one() is NeedStatus.OPEN
        # Her thanks to Bob still count for Bob, unattributed; Bob's to her are gone with her.
        assert db.execute(select(Kudos.giver_id, Kudos.message_ts)).all() == [(None, "1.1")]
    assert world.run(lambda r: home.delete_my_data(world.scope(r, "UALICE", NOW))) == []  # a repeat: nobody left


def test_deleting_the_data_of_someone_never_seen_creates_nothing(world: World) -> None:
    assert world.run(lambda r: home.delete_my_data(world.scope(r, "UNEW", NOW))) == []
    assert member_row(world, "UNEW") is None


def test_a_page_is_none_for_a_deactivated_account_and_plain_for_a_member(world: World) -> None:
    teach(world, "UALICE", "python")
    world.set_member("UALICE", active=False)
    assert page_of(world, "UALICE") is None
    shown = page_of(world, "UBOB")
    assert shown is not None and not shown.admin
    assert (shown.insights, shown.last_error, shown.last_channel) == (None, None, None)
    assert shown.data == home_of(world, "UBOB")


def test_an_admin_sees_the_dashboards_numbers_and_the_digest_slack_refused(world: World) -> None:
    world.set_member("UADMIN", is_admin=True)

    def waiting(repos: Repos, user: str) -> None:
        factories.need(repos, factories.member(repos, user), factories.topic(repos, "rust", "Rust"))

    for days, user in ((2, "UBOB"), (4, "UCARA"), (6, "UDAN")):
        on(world, NOW - timedelta(days=days), partial(waiting, user=user))

    def sessions(repos: Repos) -> None:
        host = factories.member(repos, "UHOST")
        rust = factories.topic(repos, "rust", "Rust")
        factories.session(repos, host, rust, NOW - timedelta(days=10))  # held
        factories.session(repos, host, rust, NOW - timedelta(days=40))  # before the 30 days
        factories.session(repos, host, rust, NOW - timedelta(days=5), cancelled_at=NOW - timedelta(days=6))
        factories.session(repos, host, rust, NOW + timedelta(days=1))  # not held yet

    world.run(sessions)
    shown = page_of(world, "UADMIN")
    assert shown is not None and shown.admin
    assert shown.insights == Headline(3, "4.0 days", 1)  # the median of 2, 4 and 6 days
    assert (shown.last_error, shown.last_channel) == (None, None)

    world.set_member("UCARA", opted_out=True)  # the dashboard counts no opted-out learner
    shown = page_of(world, "UADMIN")
    assert shown is not None and shown.insights == Headline(FEWER, "2.0 days", 1)  # nearest rank: the shorter

    def refused(repos: Repos) -> None:
        run = repos.runs.claim(TEAM, 2026, 11, NOW)
        assert run is not None
        repos.runs.failed(run.id, "CGONE", "channel_not_found")

    world.run(refused)
    shown = page_of(world, "UADMIN")
    assert shown is not None and (shown.last_error, shown.last_channel) == ("channel_not_found", "CGONE")
    other = page_of(world, "UADMIN", digest_key="TOTHER")  # a workspace whose digest is its own
    assert other is not None and (other.last_error, other.last_channel) == (None, None)
