"""Prometheus metrics served at /metrics.

With `run --workers N` every worker counts in files under PROMETHEUS_MULTIPROC_DIR (set before this module is
imported) and /metrics, whichever worker answers it, adds them all up: prometheus_client's multiprocess mode.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

disable_created_metrics()  # the *_created series double the output and no dashboard of ours reads them

REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    "peerlearn_requests_total",
    "Slack requests handled, by kind and name",
    ["kind", "name", "outcome"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "peerlearn_request_seconds",
    "Time from a Slack request arriving to its response, by kind and name",
    ["kind", "name"],
    buckets=(0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
SLACK_API_ERRORS = Counter(
    "peerlearn_slack_api_errors_total", "Slack Web API calls that failed, by error", ["error"], registry=REGISTRY
)
SLACK_UNDELIVERED = Counter(
    "peerlearn_slack_undelivered_total",
    "Messages to Slack that failed for good (after the client's retries), by method and error",
    ["method", "error"],
    registry=REGISTRY,
)
SLACK_RATE_LIMITED = Counter(
    "peerlearn_slack_rate_limited_total",
    "Slack Web API answers of 429 (each is waited out and retried)",
    registry=REGISTRY,
)

SCHEDULER_RUNS = Counter(
    "peerlearn_scheduler_runs_total", "Scheduler job runs, by job and outcome", ["job", "outcome"], registry=REGISTRY
)
DIGESTS = Counter("peerlearn_digests_total", "Weekly digests, by outcome", ["outcome"], registry=REGISTRY)
LEADER = Gauge(
    "peerlearn_scheduler_leader",
    "1 while this process (or one of its workers) runs the scheduler's jobs",
    multiprocess_mode="livemax",
    registry=REGISTRY,
)


def render() -> bytes:
    """The Prometheus text exposition of every metric, summed over the workers when there are several."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        workers = CollectorRegistry()
        MultiProcessCollector(workers)
        return generate_latest(workers)
    return generate_latest(REGISTRY)
