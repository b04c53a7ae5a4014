"""`peerlearn run --workers 2` against one worker: does a second core serve a second share of /learn?

python -m bench.workers [--asks N] [--concurrency C] [--postgres URL]

For each database (a new SQLite file; PostgreSQL in a schema of its own when --postgres or
PEERLEARN_TEST_POSTGRES_URL is given) and for 1 and then 2 workers, on a fresh database each time: the real
`peerlearn run` in HTTP mode, a fake Slack in this process, teachers seeded through signed /teach, then signed
/learn flat out from another process (colleagues seen before and new ones, popular and rare topics, typos).
Budget (issue 13): on a 2-core machine, 2 workers reach ≥ 1.7× the throughput of 1 on PostgreSQL and ≥ 1.4× on
SQLite. The load generator, the fake Slack and PostgreSQL share the machine's cores with the server, as in
production the load balancer and the database do not; the ratio is therefore a floor. Each row says how much CPU
a request cost the server and everything else on the machine (run it on a quiet machine), and the last lines
give the ceiling that leaves: with every core busy, no number of workers serves more than cores / (all the CPU
per request).
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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Measured:
    result: LoadResult
    server_ms: float  # CPU per request of the server's processes (the workers and their parent)
    other_ms: float  # CPU per request of everything else: load generator, fake Slack, PostgreSQL


def _ticks(pid: int) -> int:
    """CPU time (user + system, in clock ticks) of one process, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _tree_ticks(root: int) -> int:
    """CPU time of a process and its living descendants (gunicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _ticks(pid)
        todo += children.get(pid, [])
    return total


def _busy_ticks() -> int:
    """CPU time the whole machine spent busy (every core), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + irq + softirq + steal


@contextmanager
def server(database_url: str, api_url: str, workers: int, scratch: Path) -> Iterator[tuple[str, int]]:
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
        yield url + "/slack/events", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure(kind: str, postgres: str | None, workers: int, args: argparse.Namespace, scratch: Path) -> Measured:
    rng = random.Random(11)
    names = topics(120)
    teachers = [f"UT{i:05d}" for i in range(args.teachers)]
    taught = [", ".join(rng.sample(names[:40] if i % 3 else names, 2)) for i in range(args.teachers)]
    askers = [f"UA{i:05d}" for i in range(args.colleagues)]
    asks = [typo(rng.choice(names), rng) if i % 5 == 0 else rng.choice(names) for i in range(997)]
    with FakeSlack() as fake:
        for user in (*teachers, *askers):
            fake.add_user(user, user.title(), tz=rng.choice(("Europe/Berlin", "America/New_York", "Asia/Tokyo")))
        with database(kind, postgres, scratch) as url, server(url, fake.api_url, workers, scratch) as (events, pid):
            seeding = requests("/teach", taught, teachers, len(teachers))
            assert load(events, seeding, total=len(teachers), concurrency=8).errors == 0, "seeding failed"
            warm = args.asks // 5
            load(events, requests("/learn", asks, askers, warm), total=warm, concurrency=args.concurrency)
            asking = requests("/learn", asks[7:] + asks[:7], askers, args.asks)
            served_before, busy_before = _tree_ticks(pid), _busy_ticks()
            result = load(events, asking, total=args.asks, concurrency=args.concurrency, refuse=APOLOGY)
            served, busy = _tree_ticks(pid) - served_before, _busy_ticks() - busy_before
            per_request = 1000 / os.sysconf("SC_CLK_TCK") / max(result.requests, 1)
            return Measured(result, served * per_request, max(busy - served, 0) * per_request)


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
    print(
        "| database | workers | req/s | p50 ms | p99 ms | errors | server CPU ms/req | other CPU ms/req "
        "| × one worker | budget |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    ceilings = []
    with tempfile.TemporaryDirectory(prefix="peerlearn-bench-") as folder:
        scratch = Path(folder)
        for kind in kinds:
            one = measure(kind, args.postgres, 1, args, scratch)
            two = measure(kind, args.postgres, 2, args, scratch)
            ratio = two.result.rps / one.result.rps if one.result.rps else 0.0
            failed = one.result.errors or two.result.errors
            verdict = "met" if ratio >= BUDGET[kind] and not failed else "MISSED"
            for workers, measured in ((1, one), (2, two)):
                result = measured.result
                share = f"{ratio:.2f}×" if workers == 2 else "1.00×"
                goal = f"≥ {BUDGET[kind]}× ({verdict})" if workers == 2 else ""
                print(
                    f"| {kind} | {workers} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
                    f"| {result.errors} | {measured.server_ms:.2f} | {measured.other_ms:.2f} | {share} | {goal} |"
                )
            # Every request also costs the load generator, the fake Slack and the database some CPU on the same
            # cores: with all cores busy, no number of workers serves more than cores / (all CPU per request).
            total_ms = one.server_ms + one.other_ms
            ceiling = (os.cpu_count() or 1) * 1000 / total_ms if total_ms else 0.0
            ceilings.append(
                f"{kind}: at most {ceiling:,.0f} req/s on {os.cpu_count()} cores with this load generator and "
                f"database beside the server = {ceiling / one.result.rps if one.result.rps else 0:.2f}× one worker"
            )
    print()
    print("Ceiling from the CPU each request costs all processes (1-worker run):")
    for line in ceilings:
        print(f"- {line}")


if __name__ == "__main__":
    main()
