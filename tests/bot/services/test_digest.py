"""The digest's content on a real database (SQLite and PostgreSQL), with times set explicitly."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from bot.services import digest
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from bot.views.digest import digest_message
from store.db import make_sessions
from store.repos import Repos
from tests import factories as make

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday of ISO week 48
LAST_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def test_the_window_is_the_7_days_up_to_now_on_the_workspace_clock_through_dst() -> None:
    # Europe/Berlin leaves summer time on Sunday 25 October 2026: 09:00 CET back to 09:00 CEST is 7 days and an hour.
    now = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    start, end, year, week = digest.week_bounds(now, "Europe/Berlin")
    assert (start, end) == (datetime(2026, 10, 19, 7, 0, tzinfo=UTC), now)
    assert (year, week) == (2026, 44)
    # Sunday 23:30 in Tokyo is already the next ISO week there.
    assert digest.week_bounds(datetime(2026, 11, 22, 15, 30, tzinfo=UTC), "Asia/Tokyo")[3] == 48


def test_digest_counts_without_naming_learners_and_hides_opted_out(engine: Engine) -> None:
    with make_sessions(engine)() as session:
        repos = Repos(session)
        alice, bob, cara, dan = make.members(repos, ("UA", "Alice"), ("UB", "Bob"), ("UC", "Cara"), ("UD", "Dan"))
        dan.opted_out = True
        rust, sql = make.topic(repos, "rust"), make.topic(repos, "sql")
        for learner in (alice, bob):
            make.need(repos, learner, rust)
        make.need(repos, cara, sql)
        make.offer(repos, alice, sql, created_at=LAST_WEEK)
        for giver, receiver, ts in ((bob, alice, "1"), (cara, alice, "2"), (alice, bob, "3"), (alice, dan, "4")):
            make.kudos(repos, giver, receiver, ts, day=date(2026, 11, 18), at=LAST_WEEK)
        make.session(repos, alice, sql, LAST_WEEK)
        make.session(repos, alice, sql, NOW + timedelta(days=2))

        built = digest.build(Scope("T1", "", NOW, repos, Catalog()), tz="UTC")
        assert (built.iso_year, built.iso_week) == (2026, 48)
        assert built.wanted_untaught == [("rust", 2)]  # sql has a teacher now
        assert built.new_experts == [("sql", 1)]
        assert built.sessions_held == 1
        assert [topic for topic, _ in built.upcoming] == ["sql"]
        assert built.leaderboard == [("UA", 2), ("UB", 1)]  # Dan opted out: never named
        assert built.shout_outs == [("UA", "sql")]  # taught last week (the upcoming session is not counted)
        session.rollback()

    payload = digest_message(built)
    assert len(payload["blocks"]) <= 50
    text = str(payload)
    assert "rust* — 2 waiting" in text
    assert "<@UA> · 2 kudos" in text
    assert "Shout-outs* to everyone who taught in the last 7 days: <@UA> (sql)" in text
    assert "*1* session held in the last 7 days" in text and "last week" not in text
    assert "UD" not in text


def test_a_digest_built_mid_week_counts_the_7_days_up_to_then(engine: Engine) -> None:
    """Wednesday's digest counts Monday's and Tuesday's kudos and sessions, and nothing older than 7 days."""
    wednesday = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    with make_sessions(engine)() as session:
        repos = Repos(session)
        alice, bob, cara = make.members(repos, ("UA", "Alice"), ("UB", "Bob"), ("UC", "Cara"))
        sql = make.topic(repos, "sql")
        old = wednesday - timedelta(days=7, minutes=1)  # just before the window
        given = [  # (message ts, giver, receiver, when)
            ("1", cara, bob, old),
            ("2", bob, alice, wednesday - timedelta(days=7)),  # the window's first moment
            ("3", bob, alice, datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),  # Tuesday of this ISO week
        ]
        for ts, giver, receiver, at in given:
            make.kudos(repos, giver, receiver, ts, day=NOW.date(), at=at)
        for starts in (old, given[2][3]):
            make.session(repos, alice, sql, starts)

        built = digest.build(Scope("T1", "", wednesday, repos, Catalog()), tz="UTC")
        assert (built.iso_year, built.iso_week) == (2026, 48)
        assert built.leaderboard == [("UA", 2)]  # Bob's kudos is 7 days and a minute old
        assert built.sessions_held == 1
        assert built.shout_outs == [("UA", "sql")]
        session.rollback()
