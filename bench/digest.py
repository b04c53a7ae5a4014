"""Weekly digest build time on a large workspace, against a load-and-count-in-Python baseline in the same run;
and the scheduler's per-tick due-work queries on the same data.

python -m bench.digest [--members N] [--kudos N] [--database URL]
Budget (issue 5): the digest for 100,000 members and 1,000,000 kudos built in ≤ 2 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, insert, select, text

from bench.workspace import generate
from bot.domain import NeedStatus, SessionKind
from bot.services import digest, reroute, sessions, slots
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from store.db import make_engine, make_sessions
from store.migrate import upgrade
from store.models import Kudos, LearningSession, Member, Need, Offer, Topic, Workspace
from store.repos import Repos

TEAM = "TBENCH"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday: the digest covers 16–22 November
WEEKS = 8  # kudos spread over this many weeks, so "last week" is an eighth of them
CHUNK = 20_000


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    table: Table = model.__table__
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), rows[start : start + CHUNK])


def seed(engine: Engine, members: int, kudos: int, topics: int, offers: int) -> None:
    """A deterministic big workspace: members, topics, offers, open needs, sessions and kudos over eight weeks."""
    rng = random.Random(11)
    workspace = generate(members=members, topics=topics, offers=offers)
    created = NOW - timedelta(days=400)
    _insert(engine, Workspace, [{"team_id": TEAM, "created_at": created}])
    _insert(
        engine,
        Member,
        [
            {
                "id": i + 1,
                "team_id": TEAM,
                "user_id": f"U{i:07d}",
                "display_name": f"Member {i}",
                "tz": workspace.member_tz[i],
                "is_bot": False,
                "is_admin": False,
                "active": rng.random() > 0.02,
                "opted_out": rng.random() < 0.01,
                "paused": False,
                "kudos_dm": True,
                "created_at": created,
            }
            for i in range(members)
        ],
    )
    _insert(
        engine,
        Topic,
        [
            {"id": i + 1, "team_id": TEAM, "name": n, "label": n, "created_at": created}
            for i, n in enumerate(workspace.topics)
        ],
    )
    seen: set[tuple[int, int]] = set()
    offer_rows = []
    for member, topic in workspace.offers:
        if (member, topic) in seen:
            continue
        seen.add((member, topic))
        offer_rows.append(
            {
                "team_id": TEAM,
                "member_id": member + 1,
                "topic_id": topic + 1,
                "active": True,
                "created_at": NOW - timedelta(days=rng.randrange(0, 200)),
                "updated_at": created,
            }
        )
    _insert(engine, Offer, offer_rows)
    need_keys = {(rng.randrange(members) + 1, rng.randrange(topics) + 1) for _ in range(members // 2)}
    _insert(
        engine,
        Need,
        [
            {
                "team_id": TEAM,
                "member_id": m,
                "topic_id": t,
                "raw_text": "x",
                "status": NeedStatus.OPEN.value,
                "created_at": NOW - timedelta(days=rng.randrange(0, 90)),
            }
            for m, t in need_keys
        ],
    )
    _insert(
        engine,
        LearningSession,
        [
            {
                "team_id": TEAM,
                "kind": SessionKind.PAIR.value,
                "topic_id": rng.randrange(topics) + 1,
                "host_id": rng.randrange(members) + 1,
                "starts_at": NOW + timedelta(minutes=rng.randrange(-60 * 24 * 60, 60 * 24 * 14)),
                "duration_min": 30,
                "created_at": NOW - timedelta(days=70),
            }
            for _ in range(members // 20)
        ],
    )
    span = WEEKS * 7 * 24 * 3600
    for start in range(0, kudos, 100_000):
        rows = []
        for k in range(start, min(kudos, start + 100_000)):
            when = NOW - timedelta(seconds=rng.randrange(span))
            rows.append(
                {
                    "team_id": TEAM,
                    "giver_id": rng.randrange(members) + 1,
                    # Skewed: some colleagues are thanked far more than others.
                    "receiver_id": min(members, int(rng.paretovariate(1.2))) if k % 3 else rng.randrange(members) + 1,
                    "channel_id": "CBENCH",
                    "message_ts": f"{k}.0",
                    "emoji": "mortar_board",
                    "giver_day": date(2026, 1, 1),
                    "created_at": when,
                    "notified_at": when,
                }
            )
        _insert(engine, Kudos, rows)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def _seed_database(url: str, members: int, kudos: int, topics: int, offers: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, members, kudos, topics, offers)
    engine.dispose()


def naive_digest(engine: Engine) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The baseline: fetch last week's kudos and the open needs, count in Python (what a first version does)."""
    last_week, this_week, _, _ = digest.week_bounds(NOW, "UTC")
    with make_sessions(engine)() as session:
        members = {m.id: m for m in session.scalars(select(Member).where(Member.team_id == TEAM))}
        counts = Counter(
            session.scalars(
                select(Kudos.receiver_id).where(
                    Kudos.team_id == TEAM, Kudos.created_at >= last_week, Kudos.created_at < this_week
                )
            )
        )
        board = [
            (members[r].user_id, n) for r, n in counts.most_common() if members[r].active and not members[r].opted_out
        ][:5]
        usable = {i for i, m in members.items() if m.active and not m.opted_out and not m.paused}
        taught = {
            t for t, m in session.execute(select(Offer.topic_id, Offer.member_id).where(Offer.active)) if m in usable
        }
        open_needs = session.execute(
            select(Need.topic_id, Need.member_id).where(Need.team_id == TEAM, Need.status == NeedStatus.OPEN)
        )
        needs = Counter(t for t, m in open_needs if t not in taught and members[m].active)
        labels = dict(session.execute(select(Topic.id, Topic.label).where(Topic.team_id == TEAM)).all())
        ranked = sorted(needs.items(), key=lambda item: (-item[1], labels[item[0]]))
        wanted = [(labels[t], n) for t, n in ranked[:5]]
    return board, wanted


def timed(fn: Callable[[], object], rounds: int = 3) -> float:
    """Median wall time of `rounds` runs, in ms (the machine is shared)."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--kudos", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=300_000)
    parser.add_argument("--database", help="an empty database URL (default: a new SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'digest-bench.db'}"
        started = time.perf_counter()
        # Seeded by a child process, so the peak memory measured here is the digest's, not the generator's.
        child = multiprocessing.get_context("spawn").Process(
            target=_seed_database, args=(url, args.members, args.kudos, args.topics, args.offers)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("seeding failed")
        engine = make_engine(url)
        print(
            f"seeded {args.members:,} members, {args.kudos:,} kudos on {engine.dialect.name} "
            f"in {time.perf_counter() - started:.0f} s"
        )
        sessions_ = make_sessions(engine)

        def ours() -> digest.Digest:
            with sessions_() as session:
                return digest.build(Scope(TEAM, "", NOW, Repos(session), Catalog()), tz="UTC")

        built = ours()
        ours_ms = timed(ours)
        ours_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the baseline's big reads
        board, wanted = naive_digest(engine)
        assert built.leaderboard == board, "the baseline must compute the same leaderboard"
        assert built.wanted_untaught == wanted, "the baseline must compute the same wanted topics"
        naive_ms = timed(lambda: naive_digest(engine))

        def due(fn: Callable[[Repos], object]) -> Callable[[], object]:
            def run() -> object:
                with sessions_() as session:  # rolled back: the claims are not kept, so each round does the same
                    return fn(Repos(session))

            return run

        ticks = {
            "reminders due": due(lambda r: sessions.reminders_due(r, NOW)),
            "follow-ups due": due(lambda r: sessions.followups_due(r, NOW)),
            "asks to re-route": due(lambda r: r.due.unanswered(NOW - reroute.PATIENCE)),
            "topics wanting a slot": due(
                lambda r: r.slots.wanted_topics(NOW, slots.MIN_LEARNERS, slots.INVITE_PATIENCE)
            ),
        }
        tick_ms = {name: timed(fn) for name, fn in ticks.items()}
        tick_rows = {name: len(fn()) for name, fn in ticks.items()}  # type: ignore[arg-type]
        engine.dispose()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"| digest build ({args.members:,} members, {args.kudos:,} kudos) | median of 3 |")
    print("|---|---|")
    print(f"| peerlearn (one aggregate per section) | {ours_ms:,.0f} ms |")
    print(f"| baseline (load rows, count in Python) | {naive_ms:,.0f} ms |")
    print(f"| ratio | {naive_ms / ours_ms:.1f}x faster |")
    print(f"| budget ≤ 2,000 ms | {'OK' if ours_ms <= 2000 else 'OVER'} |")
    print()
    print("| scheduler query per tick | median of 3 | rows due |")
    print("|---|---|---|")
    for name, ms in tick_ms.items():
        print(f"| {name} | {ms:,.1f} ms | {tick_rows[name]:,} |")
    print(
        f"\npeak RSS {ours_rss:,.0f} MB building the digest (budget 300 MB), {rss:,.0f} MB after the baseline;"
        f" {len(built.leaderboard)} leaders, {len(built.wanted_untaught)} wanted topics, "
        f"{built.sessions_held} sessions held last week"
    )


if __name__ == "__main__":
    main()
