"""/learn through the real HTTP server, measured from outside, against an ack-only Bolt app in the same run.

python -m bench.http_load [--asks N] [--colleagues N] [--concurrency C] [--rate R] [--members N] [--profile FILE]

The issue's setup: `peerlearn run` (waitress, one process) in a subprocess on a new SQLite file (or --database),
a fake Slack in this process, the load from another process.
- 2,000 teachers are seeded through signed /teach requests to that server, each teaching one to three real topics
  of the shipped vocabulary (a few popular ones taught by hundreds, the rest by one or two); some are away; 300
  of them have an open ask, made by clicking "Ask" under a /learn reply.
- 2,000 /learn come from 500 colleagues never seen before (so a quarter of the asks are someone's first), at
  concurrency 8: popular, rare and untaught topics, some phrased ("intro to X", "X for beginners"), 20% with a
  typo. The same asks go to the ack-only app (bench/ack_server.py) under waitress.
- then 2,000 more asks from the same, now known, colleagues paced at 100 a second;
- then the mix with 25% first-time askers (new colleagues among known ones), flat out and paced.
Budget (docs/ARCHITECTURE.md, performance budgets): one process reaches ≥ 50% of the ack-only app's
throughput, with p99 ≤ 30 ms at 100 req/s and no errors. `--members N` first seeds a larger workspace of N
members straight into the database (SQLite).
`--profile FILE` samples the server with py-spy during the flat-out run: the thread holding the GIL, that is the
process's CPU (collapsed stacks, for flame graphs).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar
from urllib.parse import urlparse

from bench.digest import TEAM, _seed_database
from bench.http_servers import SECRET
from bench.http_servers import start as start_ack_only
from bench.loadgen import LoadResult, MakeRequest, load
from bench.workspace import TIMEZONES
from bot.matcher.text import key
from bot.matcher.vocabulary import shipped
from bot.slack.payloads import command_body, interaction_body, sign
from bot.trial.fakeslack import FakeSlack

# Topics many colleagues teach and ask for, most popular first (all are names of the shipped vocabulary).
POPULAR = (
    "Python",
    "SQL",
    "Excel",
    "JavaScript",
    "Kubernetes",
    "Docker",
    "Public speaking",
    "React",
    "AWS",
    "Machine learning",
    "Git",
    "TypeScript",
    "Product management",
    "Data analysis",
    "Figma",
    "Terraform",
    "PostgreSQL",
    "Go",
    "Java",
    "Negotiation",
    "Statistics",
    "Linux",
    "Rust",
    "Leadership",
    "Power BI",
    "Tableau",
    "C#",
    "pandas",
    "Node.js",
    "GraphQL",
    "UX design",
    "Scrum",
    "Spanish",
    "Django",
    "Redis",
    "Helm",
    "Kotlin",
    "Swift",
    "PyTorch",
    "Accessibility",
)
# How people ask, besides the topic's bare name; {} is the topic.
PHRASINGS = ("intro to {}", "{} for beginners", "learn {}", "{} basics", "how to use {}", "{} 101", "help with {}")
LEVELS = ("", "", " level: beginner", " level: intermediate", " level: expert")
NOTES = ("", "", " -- happy to pair on Fridays", " -- ping me any time", " -- I run the internal course")
T = TypeVar("T")
APOLOGY = b"went wrong on our side"  # a listener failed: Slack gets 200, the person an apology


@dataclass(frozen=True)
class Topics:
    popular: list[str]  # display names, most taught first
    rare: list[str]  # taught by one or two colleagues
    untaught: list[str]  # asked for, taught by nobody


def topics(seed: int = 3) -> Topics:
    """Real names from the shipped vocabulary: the popular ones above, then rare and untaught ones drawn at random."""
    concepts = shipped().concepts
    popular = [concepts[key(name)].name for name in POPULAR]
    rest = sorted(c.name for k, c in concepts.items() if c.name not in popular and len(c.name) <= 30)
    drawn = random.Random(seed).sample(rest, 900)
    return Topics(popular, drawn[:700], drawn[700:])


def teach_texts(catalog: Topics, teachers: int, seed: int = 5) -> list[str]:
    """What each teacher types after /teach: one to three topics, popular ones far more often, a level, a note."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(catalog.popular))]
    texts = []
    for _ in range(teachers):
        chosen: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            if rng.random() < 0.7:
                chosen.append(rng.choices(catalog.popular, weights)[0])
            else:
                chosen.append(rng.choice(catalog.rare))
        texts.append(", ".join(dict.fromkeys(chosen)) + rng.choice(LEVELS) + rng.choice(NOTES))
    return texts


def typo(name: str, rng: random.Random) -> str:
    """One slip in the longest word (of 4+ letters): two neighbouring letters swapped, or one left out."""
    words = name.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 4:
        return name
    i = rng.randrange(1, len(word) - 1)
    word = word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else word[:i] + word[i + 1 :]
    return " ".join([*words[:longest], word, *words[longest + 1 :]])


def ask_texts(catalog: Topics, count: int, seed: int) -> list[str]:
    """What colleagues type after /learn: 70% popular topics, 20% rare, 10% untaught; some phrased, 20% a typo."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(catalog.popular))]
    texts = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.7:
            topic = rng.choices(catalog.popular, weights)[0]
        elif pick < 0.9:
            topic = rng.choice(catalog.rare)
        else:
            topic = rng.choice(catalog.untaught)
        if rng.random() < 0.2:
            topic = typo(topic, rng)
        if rng.random() < 0.5:
            topic = topic.casefold()
        texts.append(rng.choice(PHRASINGS).format(topic) if rng.random() < 0.3 else topic)
    return texts


def learn_requests(users: Sequence[str], texts: Sequence[str]) -> MakeRequest:
    """The i-th signed /learn: `users[i]` asks `texts[i]` (signed when sent: Bolt refuses stale timestamps)."""

    def make(index: int) -> tuple[str, dict[str, str]]:
        body = command_body("/learn", texts[index], team_id=TEAM, user_id=users[index])
        signed = sign(SECRET, body)
        return signed.body, {k: str(v) for k, v in signed.headers.items()}

    return make


def first_time_order(colleagues: Sequence[str], asks_each: int, seed: int) -> list[str]:
    """Every colleague asks `asks_each` times, in random order: each one's first ask is a first sight."""
    order = [user for user in colleagues for _ in range(asks_each)]
    random.Random(seed).shuffle(order)
    return order


def mixed_order(known: Sequence[str], new: Sequence[str], count: int, seed: int) -> list[str]:
    """`count` askers, a quarter of them new colleagues (each once), the rest drawn from `known`."""
    rng = random.Random(seed)
    fresh = iter(new)
    return [next(fresh) if i % 4 == 0 else rng.choice(known) for i in range(count)]


class Client:
    """Signed requests to a server, one at a time over one keep-alive connection (for seeding)."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.path = parsed.path
        self.connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)

    def post(self, body: str) -> dict[str, object]:
        signed = sign(SECRET, body)
        self.connection.request(
            "POST", self.path, body=body.encode(), headers={k: str(v) for k, v in signed.headers.items()}
        )
        response = self.connection.getresponse()
        raw = response.read()
        if response.status != 200 or APOLOGY in raw:
            raise SystemExit(f"seeding failed: {response.status} {raw[:200]!r}")
        return dict(json.loads(raw)) if raw.startswith(b"{") else {}


def seed_through_slack(url: str, fake: FakeSlack, catalog: Topics, teachers: int, open_asks: int) -> None:
    """Teachers through /teach; open asks by learners who click "Ask" under a /learn reply."""
    client = Client(url)
    for i, text in enumerate(teach_texts(catalog, teachers)):
        client.post(command_body("/teach", text, team_id=TEAM, user_id=f"UT{i:06d}"))
    rng = random.Random(9)
    for i in range(open_asks):
        user = f"UL{i:06d}"
        reply = client.post(command_body("/learn", rng.choice(catalog.popular[:20]), team_id=TEAM, user_id=user))
        buttons = [
            block["accessory"]["value"]
            for block in reply.get("blocks", [])  # type: ignore[attr-defined]
            if block.get("accessory", {}).get("action_id") == "ask_expert"
        ]
        if not buttons:
            continue
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "api_app_id": "APEERLRN",
            "user": {"id": user},
            "trigger_id": f"trigger.{i}",
            "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1.0"},
            "channel": {"id": "C0GENERAL"},
            "message": {"ts": "1.0"},
            "response_url": fake.response_url(),
            "actions": [{"action_id": "ask_expert", "block_id": "b", "value": rng.choice(buttons), "type": "button"}],
        }
        client.post(interaction_body(payload))


def add_people(fake: FakeSlack, prefix: str, count: int, seed: int) -> list[str]:
    """Colleagues Slack knows (users.info answers for them); some teachers show a vacation status."""
    rng = random.Random(seed)
    users = []
    for i in range(count):
        user = f"{prefix}{i:06d}"
        away = {"status_emoji": ":palm_tree:", "status_text": "Vacationing"} if rng.random() < 0.05 else {}
        fake.add_user(user, f"{prefix} {i}", tz=rng.choice(TIMEZONES), **away)
        users.append(user)
    return users


def start_peerlearn(
    database_url: str, api_url: str, scratch: Path, pin: Sequence[str] = ()
) -> tuple[subprocess.Popen[str], str]:
    """`peerlearn run` in HTTP mode (waitress, one process); `pin` prefixes the command (`taskset -c 0`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    env |= {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
    }
    process = subprocess.Popen(
        [*pin, sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", "0"],
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
            threading.Thread(target=_drain, args=(process.stderr, scratch / "server.log"), daemon=True).start()
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


def _drain(stream: IO[str], log: Path) -> None:
    """Keep the server's log (WARNING and up) in `log`, for when a run goes wrong."""
    with log.open("a") as out:
        for line in stream:
            if " INFO " not in line:
                out.write(line)


@dataclass(frozen=True)
class Run:
    result: LoadResult
    cpu_ms: float  # the server's CPU time (user and system) per request


def measured(pid: int, fire: Callable[[], LoadResult]) -> Run:
    """A load, with the server's CPU time per request it took."""
    before = cpu_seconds(pid)
    result = fire()
    return Run(result, (cpu_seconds(pid) - before) * 1000 / max(1, result.requests))


def profiled(pid: int, out: str | None, run: Callable[[], T]) -> T:
    """Run the load while py-spy samples the server (when asked for and installed)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not out or not Path(spy).exists():
        if out:
            print("py-spy is not installed (pip install py-spy): not profiling")
        return run()
    sampler = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--rate",
            "250",
            "--output",
            out,
            "--nonblocking",
            "--gil",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)  # attached before the first request
    try:
        return run()
    finally:
        sampler.send_signal(2)  # SIGINT: py-spy writes what it sampled
        sampler.wait(timeout=60)


def row(name: str, run: Run, baseline: Run | None = None) -> str:
    result = run.result
    ratio = f"{result.rps / baseline.result.rps:.0%}" if baseline and baseline.result.rps else ""
    return (
        f"| {name} | {result.requests:,} | {result.rps:,.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
        f"| {result.errors} | {run.cpu_ms:.2f} | {ratio} |"
    )


def verdict(ok: bool) -> str:
    return "OK" if ok else "OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teachers", type=int, default=2_000)
    parser.add_argument("--open-asks", type=int, default=300, help="teachers with an open ask")
    parser.add_argument("--colleagues", type=int, default=500, help="askers, each new on their first ask")
    parser.add_argument("--asks", type=int, default=2_000, help="asks in each run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100.0, help="the paced runs' requests a second")
    parser.add_argument("--members", type=int, default=0, help="first seed this many members into the database")
    parser.add_argument("--database", help="an empty database URL (default: a new SQLite file)")
    parser.add_argument("--profile", metavar="FILE", help="py-spy's collapsed stacks of the flat-out run")
    args = parser.parse_args()

    catalog = topics()
    asks_each = max(1, args.asks // args.colleagues)
    with tempfile.TemporaryDirectory() as scratch, FakeSlack() as fake:
        # Slack's Web API keeps connections alive (HTTP/1.1); the fake answers HTTP/1.0 unless told otherwise, and
        # sends its headers and body apart, which Nagle's algorithm holds back 40 ms on a connection kept open.
        handler: Any = fake._server.RequestHandlerClass
        handler.protocol_version, handler.disable_nagle_algorithm = "HTTP/1.1", True
        add_people(fake, "UT", args.teachers, seed=1)
        add_people(fake, "UL", args.open_asks, seed=2)
        colleagues = add_people(fake, "UC", args.colleagues, seed=3)
        newcomers = add_people(fake, "UN", 2 * (args.asks // 4), seed=4)  # each appears once: half per mix run
        database_url = args.database or f"sqlite:///{Path(scratch) / 'http-load.db'}"
        size = ""
        if args.members:
            started = time.perf_counter()
            _seed_database(database_url, args.members, 100_000, 20_000, args.members * 3)
            print(f"seeded {args.members:,} members in {time.perf_counter() - started:.0f} s")
            size = f", {args.members:,} more members"

        process, url = start_peerlearn(database_url, fake.api_url, Path(scratch))
        try:
            started = time.perf_counter()
            seed_through_slack(url, fake, catalog, args.teachers, args.open_asks)
            print(
                f"seeded {args.teachers:,} teachers through /teach and {args.open_asks} open asks in "
                f"{time.perf_counter() - started:.0f} s"
            )
            time.sleep(2)  # the seeding's users.info calls and DMs, after the acks, are done
            first = first_time_order(colleagues, asks_each, seed=6)
            headline = learn_requests(first, ask_texts(catalog, len(first), seed=7))
            known = first_time_order(colleagues, asks_each, seed=8)
            paced_known = learn_requests(known, ask_texts(catalog, len(known), seed=9))
            half = len(newcomers) // 2
            mix = learn_requests(
                mixed_order(colleagues, newcomers[:half], args.asks, seed=10), ask_texts(catalog, args.asks, seed=11)
            )
            mix_paced = learn_requests(
                mixed_order(colleagues, newcomers[half:], args.asks, seed=12), ask_texts(catalog, args.asks, seed=13)
            )

            def fire(make: MakeRequest, total: int, rate: float | None = None) -> Run:
                return measured(
                    process.pid,
                    lambda: load(url, make, total=total, concurrency=args.concurrency, rate=rate, refuse=APOLOGY),
                )

            flat = profiled(process.pid, args.profile, lambda: fire(headline, len(first)))
            paced = fire(paced_known, len(known), args.rate)
            mixed = fire(mix, args.asks)
            mixed_paced = fire(mix_paced, args.asks, args.rate)
            peak_mb = peak_rss_mb(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            finally:
                warnings = (Path(scratch) / "server.log").read_text().splitlines()
                if warnings:
                    print(f"the server logged {len(warnings)} lines at WARNING or above; the last ones:")
                    print("\n".join(warnings[-8:]))
        users_info = len(fake.calls_to("users.info"))

        baseline_process, baseline_url = start_ack_only("waitress", fake.api_url)
        try:
            load(baseline_url, headline, total=min(500, len(first)), concurrency=args.concurrency)  # warm-up
            baseline = measured(
                baseline_process.pid,
                lambda: load(baseline_url, headline, total=len(first), concurrency=args.concurrency),
            )
        finally:
            baseline_process.terminate()
            baseline_process.wait(timeout=10)

    share = flat.result.rps / baseline.result.rps if baseline.result.rps else 0.0
    db = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"server peak RSS {peak_mb:.0f} MB; users.info calls {users_info:,}")
    print()
    setup = f"{args.teachers:,} teachers{size}, {db}, waitress, one process"
    print(f"signed /learn at concurrency {args.concurrency}: {setup}")
    print("| run | requests | req/s | p50 ms | p99 ms | errors | server CPU ms/req | of ack-only |")
    print("|---|---|---|---|---|---|---|---|")
    print(row(f"peerlearn, flat out ({args.colleagues} colleagues, 25% first asks)", flat, baseline))
    print(row("ack-only Bolt app, flat out", baseline, baseline))
    print(row(f"peerlearn, paced at {args.rate:.0f}/s (known colleagues)", paced))
    print(row("peerlearn, 25% first-time askers, flat out", mixed, baseline))
    print(row(f"peerlearn, 25% first-time askers, paced at {args.rate:.0f}/s", mixed_paced))
    print()
    errors = sum(run.result.errors for run in (flat, paced, mixed, mixed_paced))
    print(f"throughput: {share:.0%} of the ack-only app (budget ≥ 50%): {verdict(share >= 0.5)}")
    for name, run in (("", paced), (", 25% first-time", mixed_paced)):
        p99 = run.result.p99_ms
        print(f"p99 at {args.rate:.0f}/s{name}: {p99:.1f} ms (budget ≤ 30 ms): {verdict(p99 <= 30)}")
    print(f"errors: {errors} (budget 0): {verdict(errors == 0)}")


if __name__ == "__main__":
    main()
