"""The real HTTP server under load: `peerlearn run` on a 100,000-member workspace, signed /learn requests from a
separate process, against an ack-only Bolt app under the same server (waitress) in the same run.

python -m bench.http_load [--members N] [--requests N] [--concurrency C] [--rate R]
Budget (issue 6, DESIGN §11): p99 ≤ 30 ms at 100 requests/s with no errors; throughput ≥ 30% of the ack-only app.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from bench.digest import TEAM, _seed_database
from bench.http_servers import SECRET
from bench.http_servers import start as start_ack_only
from bench.loadgen import LoadResult, MakeRequest, load
from bench.workspace import generate
from bot.fakeslack import FakeSlack
from bot.payloads import command_body, sign

USERS = 2_000  # distinct askers (each is looked up in users.info once, then cached)


def requests_for(topics: list[str], seed: int = 5) -> MakeRequest:
    """The i-th signed /learn: a real topic, sometimes with a typo, from one of USERS members."""
    rng = random.Random(seed)
    texts = []
    for _ in range(4_096):
        topic = rng.choice(topics)
        if rng.random() < 0.3 and len(topic) > 4:  # a typo: two letters swapped
            i = rng.randrange(len(topic) - 1)
            topic = topic[:i] + topic[i + 1] + topic[i] + topic[i + 2 :]
        texts.append(topic)

    def make(index: int) -> tuple[str, dict[str, str]]:
        user = f"U{index % USERS:07d}"
        body = command_body("/learn", texts[index % len(texts)], team_id=TEAM, user_id=user)
        signed = sign(SECRET, body)
        return signed.body, {k: str(v) for k, v in signed.headers.items()}

    return make


def start_peerlearn(database_url: str, api_url: str, scratch: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    env |= {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        cwd=scratch,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    for line in process.stderr:
        if "listening on " in line:
            url = line.split("listening on ", 1)[1].strip()
            # Keep reading its log in the background so a full pipe never blocks the server.
            threading.Thread(target=_drain, args=(process.stderr,), daemon=True).start()
            return process, url
        if time.monotonic() > deadline:
            break
    process.kill()
    raise SystemExit("peerlearn run did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory so far (Linux VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _drain(stream: IO[str]) -> None:
    for _ in stream:
        pass


def row(name: str, result: LoadResult, extra: str = "") -> str:
    return (
        f"| {name} | {result.requests:,} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
        f"| {result.errors} |{extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=100.0, help="the paced run's requests a second")
    args = parser.parse_args()

    topics = generate(members=args.members, topics=args.topics, offers=args.offers).topics
    make = requests_for(topics)
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as fake:
        for i in range(USERS):
            fake.add_user(f"U{i:07d}", f"Member {i}", tz="Europe/Berlin")
        database_url = f"sqlite:///{Path(scratch) / 'http-load.db'}"
        started = time.perf_counter()
        _seed_database(database_url, args.members, 100_000, args.topics, args.offers)
        print(f"seeded {args.members:,} members, {args.offers:,} offers in {time.perf_counter() - started:.0f} s")

        process, url = start_peerlearn(database_url, fake.api_url, Path(scratch))
        try:
            load(url, make, total=500, concurrency=args.concurrency)  # warm-up: caches, connections, users.info
            cpu = cpu_seconds(process.pid)
            ours = load(url, make, total=args.requests, concurrency=args.concurrency)
            cpu_ms = (cpu_seconds(process.pid) - cpu) * 1000 / args.requests
            paced = load(url, make, total=max(1_000, args.requests // 5), concurrency=args.concurrency, rate=args.rate)
            peak_mb = peak_rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)

        baseline_process, baseline_url = start_ack_only("waitress", fake.api_url)
        try:
            load(baseline_url, make, total=500, concurrency=args.concurrency)
            baseline = load(baseline_url, make, total=args.requests, concurrency=args.concurrency)
        finally:
            baseline_process.terminate()
            baseline_process.wait(timeout=10)

    share = ours.rps / baseline.rps if baseline.rps else 0.0
    print(f"server CPU per /learn (flat out): {cpu_ms:.1f} ms; server peak RSS {peak_mb:.0f} MB (budget ≤ 300 MB)")
    print()
    print(f"signed /learn at concurrency {args.concurrency}, {args.members:,}-member workspace on SQLite, waitress")
    print("| run | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    print(row("peerlearn, flat out", ours))
    print(row(f"peerlearn, paced at {args.rate:.0f}/s", paced))
    print(row("ack-only Bolt app (baseline), flat out", baseline))
    print()
    print(f"throughput: {share:.0%} of the ack-only baseline (budget ≥ 30%): {'OK' if share >= 0.3 else 'OVER'}")
    fine = paced.p99_ms <= 30 and paced.errors == 0 and ours.errors == 0
    print(f"p99 at {args.rate:.0f}/s: {paced.p99_ms:.1f} ms (budget ≤ 30 ms, no errors): {'OK' if fine else 'OVER'}")


if __name__ == "__main__":
    main()
