"""The digest's content on a real database (SQLite and PostgreSQL), with times set explicitly."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from bot.domain import SessionKind
from bot.services import digest
from bot.views.digest import digest_message
from store.db import make_sessions
from store.models import Kudos, LearningSession
from store.repos import Repos

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
        alice, bob, cara, dan = (
            repos.members.ensure("T1", u, n) for u, n in (("UA", "Alice"), ("UB", "Bob"), ("UC", "Cara"), ("UD", "Dan"))
        )
        dan.opted_out = True
        rust, sql = repos.topics.ensure("T1", "rust", "rust"), repos.topics.ensure("T1", "sql", "sql")
        for learner in (alice, bob):
            repos.needs.declare(learner, rust, "rust")
        repos.needs.declare(cara, sql, "sql")
        offer, _ = repos.offers.upsert(alice, sql, None, None)
        offer.created_at = LAST_WEEK
        for giver, receiver, ts in ((bob, alice, "1"), (cara, alice, "2"), (alice, bob, "3"), (alice, dan, "4")):
            repos.kudos.add(giver, receiver, "C1", ts, "mortar_board", date(2026, 11, 18))
        session.flush()
        for kudos_row in session.scalars(select(Kudos)):
            kudos_row.created_at = LAST_WEEK
        session.add(
            LearningSession(
                team_id="T1",
                kind=SessionKind.PAIR,
                topic_id=sql.id,
                host_id=alice.id,
                starts_at=LAST_WEEK,
                duration_min=30,
            )
        )
        session.add(
            LearningSession(
                team_id="T1",
                kind=SessionKind.PAIR,
                topic_id=sql.id,
                host_id=alice.id,
                starts_at=NOW + timedelta(days=2),
                duration_min=30,
            )
        )
        session.flush()

        built = digest.build(repos, team_id="T1", now=NOW, tz="UTC")
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
        alice, bob, cara = (
            repos.members.ensure("T1", u, n) for u, n in (("UA", "Alice"), ("UB", "Bob"), ("UC", "Cara"))
        )
        sql = repos.topics.ensure("T1", "sql", "sql")
        old = wednesday - timedelta(days=7, minutes=1)  # just before the window
        given = [  # (message ts, giver, receiver, when)
            ("1", cara, bob, old),
            ("2", bob, alice, wednesday - timedelta(days=7)),  # the window's first moment
            ("3", bob, alice, datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),  # Tuesday of this ISO week
        ]
        for ts, giver, receiver, _ in given:
            repos.kudos.add(giver, receiver, "C1", ts, "mortar_board", NOW.date())
        session.flush()
        when = {ts: at for ts, _, _, at in given}
        for row in session.scalars(select(Kudos)):
            row.created_at = when[row.message_ts]
        for starts in (old, when["3"]):
            session.add(
                LearningSession(
                    team_id="T1",
                    kind=SessionKind.PAIR,
                    topic_id=sql.id,
                    host_id=alice.id,
                    starts_at=starts,
                    duration_min=30,
                )
            )
        session.flush()

        built = digest.build(repos, team_id="T1", now=wednesday, tz="UTC")
        assert (built.iso_year, built.iso_week) == (2026, 48)
        assert built.leaderboard == [("UA", 2)]  # Bob's kudos is 7 days and a minute old
        assert built.sessions_held == 1
        assert built.shout_outs == [("UA", "sql")]
        session.rollback()
