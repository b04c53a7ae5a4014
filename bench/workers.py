"""`peerlearn run --workers 2` against one worker: does a second core serve a second share of /learn?

python -m bench.workers [--asks N] [--concurrency C] [--postgres URL]

For each database (a new SQLite file; PostgreSQL in a schema of its own when --postgres or
PEERLEARN_TEST_POSTGRES_URL is given) and for 1 and then 2 workers, on a fresh database each time: the real
`peerlearn run` in HTTP mode, a fake Slack in this process, teachers seeded through signed /teach, then signed
/learn flat out from another process (colleagues seen before and new ones, popular and rare topics, typos).
Budget (issue 13): on a 2-core machine, 2 workers reach ≥ 1.7× the throughput of 1 on PostgreSQL and ≥ 1.4× on
SQLite. The load generator and the fake Slack share the machine's cores with the server, as in production the
load balancer does not; the ratio is therefore a floor.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.loadgen import LoadResult, MakeRequest, load
from bot.matcher.vocabulary import shipped
from bot.slack.payloads import command_body, sign
from bot.trial.fakeslack import FakeSlack
from store.db import make_engine

SECRET = "bench-workers-secret"
TEAM = "T0BENCH"
BUDGET = {"SQLite": 1.4, "PostgreSQL": 1.7}
APOLOGY = b"something went wrong on our side"


def topics(count: int) -> list[str]:
    names = sorted({concept.name for concept in shipped().concepts.values()})
    return random.Random(7).sample(names, count)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def requests(command: str, texts: list[str], users: list[str], total: int) -> MakeRequest:
    """Signed before the clock starts: the load generator shares the cores with the server, so it only sends."""
    prepared = []
    for index in range(total):
        body = command_body(command, texts[index % len(texts)], team_id=TEAM, user_id=users[index % len(users)])
        signed = sign(SECRET, body)
        prepared.append((signed.body, {k: str(v) for k, v in signed.headers.items()}))
    return prepared.__getitem__


@contextmanager
def database(kind: str, postgres: str | None, scratch: Path) -> Iterator[str]:
    """A database nobody has used: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if kind == "SQLite":
        yield f"sqlite:///{scratch / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        return
    assert postgres is not None
    schema = f"peerlearn_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(postgres)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def server(database_url: str, api_url: str, workers: int, scratch: Path) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    env |= {
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-bench-workers",
        "SLACK_API_URL": api_url,
        "PEERLEARN_LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", "0", "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, cwd=scratch, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    url = ""
    deadline = time.monotonic() + 60
    while not url and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        found = re.search(r"listening on (http://[\d.]+:\d+)", line)
        url = found[1] if found else ""
    if not url:
        process.kill()
        raise SystemExit("peerlearn run did not start")
    # Drain the log (one line per request) so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stderr or []], daemon=True).start()
    try:
        yield url + "/slack/events"
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(kind: str, postgres: str | None, workers: int, args: argparse.Namespace, scratch: Path) -> LoadResult:
    rng = random.Random(11)
    names = topics(120)
    teachers = [f"UT{i:05d}" for i in range(args.teachers)]
    taught = [", ".join(rng.sample(names[:40] if i % 3 else names, 2)) for i in range(args.teachers)]
    askers = [f"UA{i:05d}" for i in range(args.colleagues)]
    asks = [typo(rng.choice(names), rng) if i % 5 == 0 else rng.choice(names) for i in range(997)]
    with FakeSlack() as fake:
        for user in (*teachers, *askers):
            fake.add_user(user, user.title(), tz=rng.choice(("Europe/Berlin", "America/New_York", "Asia/Tokyo")))
        with database(kind, postgres, scratch) as url, server(url, fake.api_url, workers, scratch) as events:
            seeding = requests("/teach", taught, teachers, len(teachers))
            assert load(events, seeding, total=len(teachers), concurrency=8).errors == 0, "seeding failed"
            warm = args.asks // 5
            load(events, requests("/learn", asks, askers, warm), total=warm, concurrency=args.concurrency)
            asking = requests("/learn", asks[7:] + asks[:7], askers, args.asks)
            return load(events, asking, total=args.asks, concurrency=args.concurrency, refuse=APOLOGY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=3000)
    parser.add_argument("--teachers", type=int, default=600)
    parser.add_argument("--colleagues", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", default=os.environ.get("PEERLEARN_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    kinds = ["SQLite", *(["PostgreSQL"] if args.postgres else [])]
    print(f"cores: {os.cpu_count()}; {args.asks:,} signed /learn at concurrency {args.concurrency}, flat out")
    print("| database | workers | req/s | p50 ms | p99 ms | errors | × one worker | budget |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="peerlearn-bench-") as folder:
        scratch = Path(folder)
        for kind in kinds:
            one = measure(kind, args.postgres, 1, args, scratch)
            two = measure(kind, args.postgres, 2, args, scratch)
            ratio = two.rps / one.rps if one.rps else 0.0
            verdict = "met" if ratio >= BUDGET[kind] and not (one.errors or two.errors) else "MISSED"
            for workers, result in ((1, one), (2, two)):
                share = f"{ratio:.2f}×" if workers == 2 else "1.00×"
                goal = f"≥ {BUDGET[kind]}× ({verdict})" if workers == 2 else ""
                print(
                    f"| {kind} | {workers} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
                    f"| {result.errors} | {share} | {goal} |"
                )


if __name__ == "__main__":
    main()
