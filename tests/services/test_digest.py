"""The digest's content on a real database (SQLite and PostgreSQL), with times set explicitly."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from bot.services import digest
from bot.views.digest import digest_message
from store.db import make_sessions
from store.models import Kudos, LearningSession, SessionKind
from store.repos import Repos

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday of ISO week 48
LAST_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def test_week_bounds_follow_the_workspace_timezone_through_dst() -> None:
    # Europe/Berlin leaves summer time on Sunday 25 October 2026.
    last, this, year, week = digest.week_bounds(datetime(2026, 10, 26, 8, 0, tzinfo=UTC), "Europe/Berlin")
    assert this.astimezone(UTC) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # Monday 00:00 CET
    assert last.astimezone(UTC) == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)  # Monday 00:00 CEST
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
    assert "Shout-outs* to last week's teachers: <@UA> (sql)" in text
    assert "UD" not in text
