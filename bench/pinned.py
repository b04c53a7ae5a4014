"""/learn throughput measured from outside: the load generator a separate interpreter on a core of its own.

python -m bench.pinned [--rounds 3] [--asks N] [--colleagues N] [--concurrency C] [--teachers N] [--profile FILE]

bench.http_load's generator is a fork of the bench process and shares the two cores with the server as the
scheduler pleases. Here, as an outside tool would, the generator is a fresh `python -m bench.pinned generate` that
`taskset` pins to core 1, and the server to core 0; this process (the fake Slack the server calls after its acks)
sits on core 1 too. The server is `peerlearn run` (waitress, one process), the workload bench.http_load's headline:
2,000 teachers seeded through /teach, then 2,000 signed /learn at concurrency 8 from 500 colleagues (a quarter
of the asks someone's first), 20% typos. The same bodies go to two ack-only Bolt apps under waitress
(bench/ack_server.py): Bolt's default, which waits for the ack in 10 ms sleeps (bench.http_load's baseline), and
one that acks on the request's thread, as peerlearn's app does. Each round measures the three apps from the
pinned generator and then, for comparison, from bench.http_load's forked one with nothing pinned; each run of
/learn has 500 colleagues of its own, so its first asks are first sights. The medians of the rounds are printed
with the server's CPU time per request (read from /proc 1 s after the last answer, so work queued after the
acks counts) and the generator's.
`--profile FILE` samples the server with py-spy (the thread holding the GIL) during the first pinned /learn run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.http_load import (
    APOLOGY,
    add_people,
    ask_texts,
    cpu_seconds,
    first_time_order,
    learn_requests,
    profiled,
    seed_through_slack,
    start_peerlearn,
    topics,
)
from bench.http_servers import start as start_ack_only
from bench.loadgen import LoadResult, MakeRequest, fire, load
from bot.trial.fakeslack import FakeSlack

SERVER_CORE, LOAD_CORE = "0", "1"
ALL_CORES = ",".join(str(core) for core in sorted(os.sched_getaffinity(0)))


def headline(prefix: str, colleagues: int, asks: int) -> MakeRequest:
    """bench.http_load's headline asks, from the colleagues `{prefix}000000`… (add_people's ids)."""
    people = [f"{prefix}{i:06d}" for i in range(colleagues)]
    first = first_time_order(people, max(1, asks // colleagues), seed=6)
    return learn_requests(first, ask_texts(topics(), len(first), seed=7))


def generate(argv: list[str]) -> None:
    """The generator's own process: fire the asks and print the result and this process's CPU per request."""
    parser = argparse.ArgumentParser(prog="python -m bench.pinned generate")
    parser.add_argument("url")
    parser.add_argument("prefix")
    parser.add_argument("--colleagues", type=int, required=True)
    parser.add_argument("--asks", type=int, required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    args = parser.parse_args(argv)
    make = headline(args.prefix, args.colleagues, args.asks)
    before = resource.getrusage(resource.RUSAGE_SELF)
    result = fire(args.url, make, total=args.asks, concurrency=args.concurrency, refuse=APOLOGY)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({**asdict(result), "cpu_ms": cpu * 1000 / max(1, result.requests)}))


@dataclass(frozen=True)
class Measured:
    result: LoadResult
    server_ms: float  # the server's CPU time per request
    client_ms: float | None  # the generator's (None: not measured, the forked generator)


def pin(pid: int, cores: str) -> None:
    """Every thread of a process (waitress's workers too) onto `cores`."""
    subprocess.run(["taskset", "-a", "-p", "-c", cores, str(pid)], check=True, stdout=subprocess.DEVNULL)


def around(pid: int, run: Callable[[], tuple[LoadResult, float | None]]) -> Measured:
    before = cpu_seconds(pid)
    result, client_ms = run()
    time.sleep(1)  # what the server queued after its acks (users.info, DMs) is part of a request's cost
    return Measured(result, (cpu_seconds(pid) - before) * 1000 / max(1, result.requests), client_ms)


def outside(url: str, prefix: str, args: argparse.Namespace) -> tuple[LoadResult, float | None]:
    """One run from a separate interpreter pinned to LOAD_CORE."""
    command = ["taskset", "-c", LOAD_CORE, sys.executable, "-m", "bench.pinned", "generate", url, prefix]
    command += ["--colleagues", str(args.colleagues), "--asks", str(args.asks), "--concurrency", str(args.concurrency)]
    out = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    client_ms = out.pop("cpu_ms")
    return LoadResult(**out), client_ms


def forked(url: str, prefix: str, args: argparse.Namespace) -> tuple[LoadResult, float | None]:
    """One run the way bench.http_load fires it: a fork of this process, nothing pinned."""
    make = headline(prefix, args.colleagues, args.asks)
    return load(url, make, total=args.asks, concurrency=args.concurrency, refuse=APOLOGY), None


def row(name: str, run: Measured, baseline: Measured | None = None) -> str:
    result = run.result
    ratio = f"{result.rps / baseline.result.rps:.0%}" if baseline else ""
    client = f"{run.client_ms:.2f}" if run.client_ms is not None else "–"
    return (
        f"| {name} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} "
        f"| {run.server_ms:.2f} | {client} | {ratio} |"
    )


def median(runs: list[Measured], field: Callable[[Measured], float]) -> float:
    return statistics.median(field(run) for run in runs)


def main() -> None:
    if sys.argv[1:2] == ["generate"]:
        generate(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--teachers", type=int, default=2_000)
    parser.add_argument("--open-asks", type=int, default=300, help="teachers with an open ask")
    parser.add_argument("--colleagues", type=int, default=500, help="askers in each run, each new on their first ask")
    parser.add_argument("--asks", type=int, default=2_000, help="asks in each run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--profile", metavar="FILE", help="py-spy's collapsed stacks of the first pinned /learn run")
    args = parser.parse_args()
    if len(ALL_CORES.split(",")) < 2:
        raise SystemExit("bench.pinned needs two cores: one for the server, one for the load")
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    os.sched_setaffinity(0, {int(LOAD_CORE)})  # the fake Slack answers the server from the generator's core
    catalog = topics()
    runs: dict[str, list[Measured]] = {}
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as fake:
        handler: Any = fake._server.RequestHandlerClass  # keep-alive and no Nagle delay, as in bench.http_load
        handler.protocol_version, handler.disable_nagle_algorithm = "HTTP/1.1", True
        add_people(fake, "UT", args.teachers, seed=1)
        add_people(fake, "UL", args.open_asks, seed=2)
        for r in range(args.rounds):
            for how in ("P", "F"):
                add_people(fake, f"UR{r}{how}", args.colleagues, seed=3)
        database_url = f"sqlite:///{Path(scratch) / 'pinned.db'}"
        peerlearn, learn_url = start_peerlearn(
            database_url, fake.api_url, Path(scratch), ("taskset", "-c", SERVER_CORE)
        )
        servers = {
            "ack": start_ack_only("waitress", fake.api_url, ("taskset", "-c", SERVER_CORE)),
            "inline": start_ack_only("waitress", fake.api_url, ("taskset", "-c", SERVER_CORE), inline=True),
            "learn": (peerlearn, learn_url),
        }
        try:
            started = time.perf_counter()
            seed_through_slack(learn_url, fake, catalog, args.teachers, args.open_asks)
            print(f"seeded {args.teachers:,} teachers through /teach in {time.perf_counter() - started:.0f} s")
            for app in ("ack", "inline"):  # warm-up
                load(servers[app][1], headline("UW", args.colleagues, 500), total=500, concurrency=args.concurrency)
            time.sleep(2)  # the seeding's users.info calls and DMs, after the acks, are done
            for r in range(args.rounds):
                for how, fire_from in (("P", outside), ("F", forked)):
                    cores = SERVER_CORE if how == "P" else ALL_CORES
                    for process, _ in servers.values():
                        pin(process.pid, cores)
                    os.sched_setaffinity(0, {int(core) for core in (LOAD_CORE if how == "P" else cores).split(",")})
                    for app, (process, url) in servers.items():
                        who = f"UR{r}{how}" if app == "learn" else "UX"
                        spy = args.profile if (r, how, app) == (0, "P", "learn") else None
                        run = partial(around, process.pid, partial(fire_from, url, who, args))
                        runs.setdefault(f"{app} {how}", []).append(profiled(process.pid, spy, run))
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)

    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
    print()
    print(f"signed /learn at concurrency {args.concurrency}, {args.teachers:,} teachers, SQLite, waitress, one process")
    print("| round: run | req/s | p50 ms | p99 ms | errors | server CPU ms/req | generator CPU ms/req | of ack-only |")
    print("|---|---|---|---|---|---|---|---|")
    names = {"P": "separate process, pinned", "F": "forked (bench.http_load), unpinned"}
    apps = {"ack": "ack-only (Bolt's default)", "inline": "ack-only, acked inline", "learn": "peerlearn /learn"}
    for how, name in names.items():
        for r in range(args.rounds):
            for app, title in apps.items():
                print(row(f"{r + 1}: {title}, {name}", runs[f"{app} {how}"][r], runs[f"ack {how}"][r]))
    print()
    for how, name in names.items():
        learns = runs[f"learn {how}"]
        print(
            f"{name}: /learn {median(learns, lambda m: m.result.rps):,.0f} req/s, "
            f"server CPU {median(learns, lambda m: m.server_ms):.2f} ms per request (medians of {args.rounds})"
        )
        for app in ("ack", "inline"):
            bases = runs[f"{app} {how}"]
            ratio = statistics.median(mine.result.rps / it.result.rps for mine, it in zip(learns, bases, strict=True))
            cpu = statistics.median(it.server_ms / mine.server_ms for mine, it in zip(learns, bases, strict=True))
            print(
                f"  against {apps[app]}: {median(bases, lambda m: m.result.rps):,.0f} req/s, "
                f"{median(bases, lambda m: m.server_ms):.2f} ms CPU: /learn at {ratio:.0%} of its throughput, "
                f"{cpu:.0%} of its CPU-bound ceiling (its CPU per request over /learn's)"
            )


if __name__ == "__main__":
    main()
