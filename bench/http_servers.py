"""Which production server for HTTP mode? An ack-only Bolt app under each candidate, against Bolt's dev server.

python -m bench.http_servers [--requests N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence

from bench.loadgen import LoadResult, load
from bot.slack.payloads import command_body, sign
from bot.trial.fakeslack import FakeSlack

SECRET = "bench-secret"
CANDIDATES = ("bolt-dev", "waitress", "gunicorn")


def start(
    server: str, api_url: str, pin: Sequence[str] = (), *, inline: bool = False
) -> tuple[subprocess.Popen[str], str]:
    """The ack-only app under `server`; `pin` prefixes the command (`taskset -c 0`: one core of its own), `inline`
    acks on the request's thread as peerlearn does (bench/ack_server.py)."""
    command = [*pin, sys.executable, "-m", "bench.ack_server", server, SECRET, api_url, *(["inline"] if inline else [])]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    url = line.strip().removeprefix("listening on ") + "/slack/events"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # wait until it accepts connections
        try:
            urllib.request.urlopen(url.replace("/slack/events", "/"), timeout=1)
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
        else:
            break
    return process, url


def make_request(team_id: str):
    def make(index: int) -> tuple[str, dict[str, str]]:
        body = command_body("/learn", f"topic {index % 50}", team_id=team_id, user_id=f"U{index % 1000:05d}")
        signed = sign(SECRET, body)
        return signed.body, {k: str(v) for k, v in signed.headers.items()}

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    results: dict[str, LoadResult] = {}
    with FakeSlack() as fake:
        for server in CANDIDATES:
            process, url = start(server, fake.api_url)
            try:
                load(url, make_request(fake.team_id), total=200, concurrency=args.concurrency)  # warm-up
                results[server] = load(
                    url, make_request(fake.team_id), total=args.requests, concurrency=args.concurrency
                )
            finally:
                process.terminate()
                process.wait(timeout=10)
    base = results["bolt-dev"]
    print(f"ack-only Bolt app, {args.requests} signed /learn requests at concurrency {args.concurrency}")
    print(f"{'server':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs bolt-dev':>13}")
    for name, result in results.items():
        ratio = result.rps / base.rps if base.rps else 0.0
        print(
            f"{name:<12}{result.rps:>9.0f}{result.p50_ms:>9.1f}{result.p99_ms:>9.1f}{result.errors:>8}{ratio:>12.2f}x"
        )


if __name__ == "__main__":
    main()
