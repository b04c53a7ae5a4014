"""Prometheus metrics served at /metrics.

With `run --workers N` every worker counts in files under one directory and /metrics, whichever worker answers it,
adds them all up: prometheus_client's multiprocess mode. prometheus_client picks memory or files when it is
imported and each metric when it is made, so nothing here touches it before the first use of a metric, and
`shared_between_processes()` is the one place that picks files: importing any module first changes nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

    # Made on first use by __getattr__ below, then plain module attributes.
    REGISTRY: CollectorRegistry
    REQUESTS: Counter
    LATENCY: Histogram
    SLACK_API_ERRORS: Counter
    SLACK_UNDELIVERED: Counter
    SLACK_RATE_LIMITED: Counter
    SCHEDULER_RUNS: Counter
    DIGESTS: Counter
    LEADER: Gauge

_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own switch; only this module sets or reads it
_MAKING = threading.Lock()


def _make() -> dict[str, object]:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, values

    # Memory or files, decided now rather than whenever prometheus_client happened to be imported first.
    values.ValueClass = values.get_value_class()
    disable_created_metrics()  # the *_created series double the output and no dashboard of ours reads them
    registry = CollectorRegistry()
    return {
        "REGISTRY": registry,
        "REQUESTS": Counter(
            "peerlearn_requests_total",
            "Slack requests handled, by kind and name",
            ["kind", "name", "outcome"],
            registry=registry,
        ),
        "LATENCY": Histogram(
            "peerlearn_request_seconds",
            "Time from a Slack request arriving to its response, by kind and name",
            ["kind", "name"],
            buckets=(0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=registry,
        ),
        "SLACK_API_ERRORS": Counter(
            "peerlearn_slack_api_errors_total",
            "Slack Web API calls that failed, by error",
            ["error"],
            registry=registry,
        ),
        "SLACK_UNDELIVERED": Counter(
            "peerlearn_slack_undelivered_total",
            "Messages to Slack that failed for good (after the client's retries), by method and error",
            ["method", "error"],
            registry=registry,
        ),
        "SLACK_RATE_LIMITED": Counter(
            "peerlearn_slack_rate_limited_total",
            "Slack Web API answers of 429 (each is waited out and retried)",
            registry=registry,
        ),
        "SCHEDULER_RUNS": Counter(
            "peerlearn_scheduler_runs_total",
            "Scheduler job runs, by job and outcome",
            ["job", "outcome"],
            registry=registry,
        ),
        "DIGESTS": Counter("peerlearn_digests_total", "Weekly digests, by outcome", ["outcome"], registry=registry),
        "LEADER": Gauge(
            "peerlearn_scheduler_leader",
            "1 while this process (or one of its workers) runs the scheduler's jobs",
            multiprocess_mode="livemax",
            registry=registry,
        ),
    }


def __getattr__(name: str) -> object:
    """The metrics, all made at the first use of any of them and kept as module attributes from then on."""
    if not name.isupper():
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _MAKING:
        if not _made():
            globals().update(_make())
    return globals()[name]


def _made() -> bool:
    return "REGISTRY" in globals()


@contextmanager
def shared_between_processes() -> Iterator[str]:
    """Every process started inside counts into files that /metrics adds up; the directory goes at the end.

    Must come before this process counts anything: what it had counted in memory would be left out of the sum.
    """
    if _made():
        raise RuntimeError("metrics were counted in memory before they were shared between processes")
    directory = tempfile.mkdtemp(prefix="peerlearn-metrics-")
    os.environ[_DIRECTORY] = directory
    owner = os.getpid()
    try:
        yield directory
    finally:
        # A forked worker leaves through here too (gunicorn exits it with SystemExit): only the owner cleans up.
        if os.getpid() == owner:
            shutil.rmtree(directory, ignore_errors=True)
            os.environ.pop(_DIRECTORY, None)


def process_gone(pid: int) -> None:
    """A worker exited: its counts stay in the sum, its live gauges (the scheduler's leader) go."""
    if os.environ.get(_DIRECTORY):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def render() -> bytes:
    """The Prometheus text exposition of every metric, summed over the workers when there are several."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    if os.environ.get(_DIRECTORY):
        workers = CollectorRegistry()
        MultiProcessCollector(workers)
        return generate_latest(workers)
    return generate_latest(cast("CollectorRegistry", __getattr__("REGISTRY")))
