"""A load generator that runs in its own process: keep-alive connections, a fixed concurrency, signed bodies."""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


MakeRequest = Callable[[int], tuple[str, dict[str, str]]]


def _worker(
    url: str,
    make: MakeRequest,
    indexes: range,
    latencies: list[float],
    errors: list[int],
    start: float,
    rate: float | None,
    refuse: bytes,
) -> None:
    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)
    for index in indexes:
        if rate:  # an open-loop schedule: request i goes out at start + i / rate, whatever came before
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        body, headers = make(index)
        started = time.perf_counter()
        try:
            connection.request("POST", parsed.path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            answer = response.read()
            ok = response.status == 200 and not (refuse and refuse in answer)
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=30)
            ok = False
        latencies.append(time.perf_counter() - started)
        if not ok:
            errors.append(index)
    connection.close()


def _run(
    url: str,
    make: MakeRequest,
    total: int,
    concurrency: int,
    rate: float | None,
    refuse: bytes,
    out: multiprocessing.Queue,
) -> None:
    out.put(fire(url, make, total=total, concurrency=concurrency, rate=rate, refuse=refuse))


def fire(
    url: str, make: MakeRequest, *, total: int, concurrency: int, rate: float | None = None, refuse: bytes = b""
) -> LoadResult:
    """`load()` in this process's own threads (for a generator that is already a process of its own)."""
    latencies: list[float] = []
    errors: list[int] = []
    share = [range(i, total, concurrency) for i in range(concurrency)]
    started = time.perf_counter()
    threads = [
        threading.Thread(target=_worker, args=(url, make, part, latencies, errors, started, rate, refuse))
        for part in share
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return LoadResult(len(latencies), len(errors), seconds, cuts[49] * 1000, cuts[98] * 1000)


def load(
    url: str, make: MakeRequest, *, total: int, concurrency: int, rate: float | None = None, refuse: bytes = b""
) -> LoadResult:
    """Fire `total` requests at `url` from a separate process; `make(i)` returns the i-th (body, headers).

    As fast as `concurrency` connections allow, or paced at `rate` requests a second. A response other than 200,
    or one containing `refuse` (an apology for a failed listener is a 200 too), counts as an error.
    """
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    process = context.Process(target=_run, args=(url, make, total, concurrency, rate, refuse, out))
    process.start()
    result: LoadResult = out.get(timeout=600)
    process.join(timeout=30)
    return result
