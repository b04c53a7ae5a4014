"""The insights dashboard at a large company: the page built and served cold and from its 60-second cache,
against the naive way (load the rows, count in Python) in the same run.

python -m bench.insights [--members N] [--kudos N] [--sessions N] [--database URL]
python -m bench.insights --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test [--schema NAME --keep]
  (PostgreSQL in a schema of its own, dropped at the end unless --keep; a kept, seeded schema is used again)
Budget (issue 22): 100,000 members, 1,000,000 kudos, 50,000 sessions, 20,000 topics: the page in ≤ 1 s, and
≤ 100 ms from the cache.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, make_url, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from bench.digest import NOW, TEAM, _insert, seed, timed
from bot.domain import MatchStatus, SessionKind
from bot.insights.auth import COOKIE, Identity, Sessions, SignedIn
from bot.insights.web import create_app
from store.db import make_engine, make_sessions
from store.migrate import upgrade
from store.models import Kudos, LearningSession, Match, Member, Need, Offer, SessionParticipant
from store.repos.insights import InsightsRepo

KEY = "bench-insights-key-0123456789abcdefghijkl"


def _seed(url: str, members: int, kudos: int, topics: int, offers: int, sessions: int) -> None:
    """bench.digest's workspace, plus an expert's answer to most asks, a session for each accepted one, and group
    slots (some joined, some called off) until there are `sessions` sessions in all."""
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, members, kudos, topics, offers)
    rng = random.Random(22)
    with engine.connect() as connection:
        needs = connection.execute(select(Need.id, Need.created_at, Need.topic_id)).all()
        have = int(connection.scalar(select(func.count()).select_from(LearningSession)) or 0)
    matches: list[dict[str, Any]] = []
    booked: list[dict[str, Any]] = []
    for need_id, created, topic in needs:
        status = rng.choice(
            [MatchStatus.ACCEPTED] * 3 + [MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.PROPOSED]
        )
        decided = created + timedelta(hours=rng.randrange(1, 96)) if status != MatchStatus.PROPOSED else None
        matches.append(
            {
                "id": need_id,
                "team_id": TEAM,
                "need_id": need_id,
                "expert_id": rng.randrange(members) + 1,
                "topic_id": topic,
                "status": status.value,
                "offered_by_expert": False,
                "created_at": created,
                "decided_at": decided,
            }
        )
        if status == MatchStatus.ACCEPTED and len(booked) < sessions - have:
            booked.append(
                _session(rng, topic, matches[-1]["expert_id"], created + timedelta(days=rng.randrange(1, 10)))
            )
            booked[-1]["match_id"] = need_id
    # Only about half the asks are accepted: the rest of the 50,000 sessions are group slots, as an expert
    # opens them for a topic several people want, over the same 90 days as the asks.
    first_slot = have + len(booked) + 1
    while have + len(booked) < sessions:
        when = NOW - timedelta(minutes=rng.randrange(90 * 24 * 60))
        slot = _session(rng, rng.randrange(topics) + 1, rng.randrange(members) + 1, when, SessionKind.SLOT)
        if rng.random() < 0.05:
            slot["cancelled_at"] = when - timedelta(days=1)
        booked.append(slot)
    joined = {(i, rng.randrange(members) + 1) for i in range(first_slot, have + len(booked) + 1) for _ in range(3)}
    _insert(engine, Match, matches)
    _insert(engine, LearningSession, [{"id": have + k + 1} | row for k, row in enumerate(booked)])
    _insert(
        engine,
        SessionParticipant,
        [{"session_id": s, "member_id": m, "joined_at": NOW - timedelta(days=91)} for s, m in sorted(joined)],
    )
    # Statistics, as a database in use has them; on PostgreSQL also the visibility map autovacuum keeps, without
    # which no index-only scan is chosen right after a bulk load.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def _session(
    rng: random.Random, topic: int, host: int, starts: datetime, kind: SessionKind = SessionKind.PAIR
) -> dict[str, Any]:
    """One session row, as booking an accepted ask or opening a slot writes it."""
    return {
        "team_id": TEAM,
        "kind": kind.value,
        "match_id": None,
        "topic_id": topic,
        "host_id": host,
        "starts_at": starts,
        "duration_min": 30,
        "sequence": 0,
        "cancelled_at": None,
        "created_at": starts - timedelta(days=rng.randrange(1, 10)),
    }


def naive(engine: Engine) -> dict[str, Any]:
    """The baseline: load the rows the page is about and count them in Python."""
    start = NOW - timedelta(days=28)
    with make_sessions(engine)() as session:
        members = {m.id: m for m in session.scalars(select(Member).where(Member.team_id == TEAM))}
        seen = {i for i, m in members.items() if m.active and not m.opted_out and not m.is_bot}
        needs = session.scalars(select(Need).where(Need.team_id == TEAM)).unique().all()
        waiting = Counter(n.topic_id for n in needs if n.status == "open" and n.member_id in seen)
        teachers = Counter(o.topic_id for o in session.scalars(select(Offer).where(Offer.team_id == TEAM)).unique())
        matches = session.scalars(select(Match).where(Match.team_id == TEAM)).unique().all()
        sessions = session.scalars(select(LearningSession).where(LearningSession.team_id == TEAM)).all()
        kudos = session.execute(select(Kudos.created_at, Kudos.topic_id).where(Kudos.team_id == TEAM)).all()
        weekly = Counter((k[0] - start).days // 7 for k in kudos if k[0] >= start)
        held = Counter(s.host_id for s in sessions if s.cancelled_at is None and s.starts_at and s.starts_at < NOW)
    return {
        "waiting": waiting.most_common(30),
        "teachers": len(teachers),
        "matches": len(matches),
        "weekly": weekly,
        "held": held.most_common(10),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--kudos", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=300_000)
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--database", help="an empty database URL (default: a new SQLite file)")
    parser.add_argument("--postgres", help="a PostgreSQL URL: the bench runs in a schema of its own there")
    parser.add_argument("--schema", help="that schema's name (default: a new one)")
    parser.add_argument("--keep", action="store_true", help="keep the schema (and use its data again next time)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, _schema(args.postgres, args.schema, args.keep) as in_schema:
        url = in_schema or args.database or f"sqlite:///{Path(scratch) / 'insights-bench.db'}"
        started = time.perf_counter()
        kept = _seeded(url)
        if not kept:
            child = multiprocessing.get_context("spawn").Process(
                target=_seed, args=(url, args.members, args.kudos, args.topics, args.offers, args.sessions)
            )
            child.start()
            child.join()
            if child.exitcode != 0:
                raise SystemExit("seeding failed")
        engine = make_engine(url)
        upgrade(engine)  # a kept database gets the indexes added since it was seeded
        with make_sessions(engine)() as session:
            counts = {
                m.__name__: session.scalar(select(func.count()).select_from(m))
                for m in (Member, Kudos, LearningSession, Need, Match)
            }
        how = "kept from an earlier run" if kept else f"seeded in {time.perf_counter() - started:.0f} s"
        print(f"{engine.dialect.name}, {how}: {counts}")

        # The page as a browser gets it: the whole Flask app, a signed-in admin, the 4-week period.
        app = create_app(db=make_sessions(engine), secret_key=KEY, provider=None, client_for=lambda _t: None)  # type: ignore[arg-type,return-value]
        who = SignedIn.new(TEAM, "Bench", Identity("UADMIN", TEAM, "Admin"))
        browser = app.test_client()
        browser.set_cookie(COOKIE, Sessions(KEY).dump(who), path="/insights")

        def cold() -> None:
            app_fresh = create_app(db=make_sessions(engine), secret_key=KEY, provider=None, client_for=lambda _t: None)  # type: ignore[arg-type,return-value]
            fresh = app_fresh.test_client()
            fresh.set_cookie(COOKIE, Sessions(KEY).dump(who), path="/insights")
            assert fresh.get("/insights").status_code == 200

        def cached() -> None:
            assert browser.get("/insights").status_code == 200

        cached()  # fills the cache
        cold_ms, cached_ms = timed(cold), timed(cached, rounds=20)
        naive_ms = timed(lambda: naive(engine))
        with make_sessions(engine)() as session:
            repo = InsightsRepo(session)
            print(f"(learners waiting in the top topic: {repo.demand(TEAM, 1)})")
        print(f"{'what':<44}{'ms':>10}")
        print(f"{'the page, cold (SQL aggregates)':<44}{cold_ms:>10.0f}   budget 1000")
        print(f"{'the page, from the 60-second cache':<44}{cached_ms:>10.1f}   budget 100")
        print(f"{'naive: load the rows, count in Python':<44}{naive_ms:>10.0f}")
        print(f"{'naive / cold':<44}{naive_ms / cold_ms:>10.1f}x")
        print(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs)")
        engine.dispose()


@contextmanager
def _schema(base: str | None, name: str | None, keep: bool) -> Iterator[str | None]:
    """A URL for a PostgreSQL schema of the bench's own (created if missing), as the tests make theirs; None
    without `base`."""
    if not base:
        yield None
        return
    schema = name or f"peerlearn_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        else:
            print(f"(kept schema {schema})")
        admin.dispose()


def _seeded(url: str) -> bool:
    """A kept schema already holds the bench's data: it is used again (seeding a million kudos takes minutes)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(select(func.count()).select_from(Kudos)))
    except (OperationalError, ProgrammingError):  # no tables yet
        return False
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
