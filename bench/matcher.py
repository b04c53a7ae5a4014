"""Matcher speed, memory and accuracy on a synthetic 100k-member workspace, against difflib in the same run.

python -m bench.matcher [--members N] [--topics N] [--offers N] [--queries N]
Budget (DESIGN §11): ≤ 5 ms p99 per query at 100,000 members / 20,000 topics on a 2-core machine.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import random
import resource
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime

from bench.labelled import labelled_queries
from bench.workspace import generate
from bot.matcher import Candidate, TopicIndex, load_shipped_aliases, normalise, rank_experts

TEAM = "TBENCH"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else samples[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=5_000)
    parser.add_argument("--difflib-queries", type=int, default=300, help="difflib is slow: a sample is timed")
    args = parser.parse_args()

    workspace = generate(members=args.members, topics=args.topics, offers=args.offers)
    aliases = load_shipped_aliases()
    offers_by_topic: dict[int, list[Candidate]] = defaultdict(list)
    for member, topic in workspace.offers:
        offers_by_topic[topic].append(Candidate(member, topic, workspace.member_tz[member], member % 4, member % 11))

    started = time.perf_counter()
    index = TopicIndex()
    index.load(TEAM, enumerate(workspace.topics))
    build_ms = (time.perf_counter() - started) * 1000

    labelled = labelled_queries()
    rng = random.Random(3)
    typed = [q for q, _ in labelled] + [rng.choice(workspace.topics) for _ in range(args.queries)]
    rng.shuffle(typed)
    typed = typed[: args.queries]

    def query(text: str) -> list:
        hits = index.search(TEAM, normalise(text, aliases))
        candidates = [c for hit in hits for c in offers_by_topic.get(hit.topic_id, ())]
        return rank_experts(hits, candidates, asker_id=-1, asker_tz="Europe/Berlin", now=NOW)

    # The app holds no per-offer objects between requests (candidates come from the database per query), so the
    # benchmark's 300k setup objects are moved out of the collector's sight, or its pauses would be measured.
    gc.collect()
    gc.freeze()
    for text in typed[:200]:  # warm-up
        query(text)
    # Three rounds over the same queries; the machine is shared, so the median round is reported.
    rounds: list[list[float]] = []
    for _ in range(3):
        timings = []
        for text in typed:
            started = time.perf_counter()
            query(text)
            timings.append((time.perf_counter() - started) * 1000)
        rounds.append(timings)
    ours = sorted(rounds, key=lambda timings: percentile(timings, 99))[1]
    worst_p99 = max(percentile(timings, 99) for timings in rounds)

    lowered = [t.casefold() for t in workspace.topics]
    theirs: list[float] = []
    for text in typed[: args.difflib_queries]:
        started = time.perf_counter()
        difflib.get_close_matches(text.casefold(), lowered, n=3, cutoff=0.6)
        theirs.append((time.perf_counter() - started) * 1000)

    correct_ours = correct_theirs = 0
    for text, expected in labelled:
        hits = index.search(TEAM, normalise(text, aliases), limit=1)
        correct_ours += bool(hits) and hits[0].name == expected
        close = difflib.get_close_matches(text.casefold(), lowered, n=1, cutoff=0.6)
        correct_theirs += bool(close) and close[0] == expected
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"workspace: {workspace.members:,} members, {len(workspace.topics):,} topics, {len(workspace.offers):,} offers"
    )
    print(f"index build: {build_ms:.0f} ms    peak RSS (whole benchmark): {rss_mb:.0f} MB")
    print(f"labelled set: {len(labelled)} queries (SO tag synonyms, typos, plurals, word order)")
    print()
    print(f"{'':<28}{'p50 ms':>9}{'p99 ms':>9}{'top-1':>9}")
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    d50, d99 = percentile(theirs, 50), percentile(theirs, 99)
    acc, dacc = correct_ours / len(labelled), correct_theirs / len(labelled)
    print(f"{'peerlearn matcher':<28}{p50:>9.2f}{p99:>9.2f}{acc:>9.1%}")
    print(f"{'difflib.get_close_matches':<28}{d50:>9.2f}{d99:>9.2f}{dacc:>9.1%}")
    print(f"{'ratio (difflib / ours)':<28}{d50 / p50:>8.0f}x{d99 / p99:>8.0f}x{acc - dacc:>+8.1%}")
    print()
    verdict = "OK" if p99 <= 5 else "OVER"
    rounds_note = f"median round {p99:.2f} ms, worst round {worst_p99:.2f} ms, {len(ours):,} queries"
    print(f"budget: p99 ≤ 5 ms → {verdict} ({rounds_note})")


if __name__ == "__main__":
    main()
