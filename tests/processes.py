"""`peerlearn run` as a real subprocess: started on a free port, its log kept, stopped politely."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)
    lines: queue.Queue[str] = field(default_factory=queue.Queue)

    def wait_listening(self, timeout: float = 30) -> None:
        """Return once the server says where it listens (its url is set then)."""
        deadline = time.monotonic() + timeout
        while not self.url and time.monotonic() < deadline and self.process.poll() is None:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            found = re.search(r"listening on (http://[\d.]+:\d+)", line)
            self.url = found[1] if found else ""
        if not self.url:
            self.process.kill()
            pytest.fail("peerlearn run did not start listening:\n" + "".join(self.log))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_peerlearn(
    env: dict[str, str], cwd: Path, *, wait: bool = True, args: tuple[str, ...] = (), first: tuple[str, ...] = ()
) -> Server:
    """Start `peerlearn run` in HTTP mode on a free port and return once it listens (`wait=False`: at once;
    call `wait_listening` later, so that several can start at the same moment). `args` go to `run`; the modules
    in `first` are imported before the command line starts."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "PEERLEARN_", "DATABASE_URL"))}
    entry = ["-c", f"import {', '.join(first)}; from bot.ops.cli import main; raise SystemExit(main())"]
    process = subprocess.Popen(
        [sys.executable, *(entry if first else ["-m", "bot"]), "run", "--host", "127.0.0.1", "--port", "0", *args],
        env={**base, **env},
        cwd=cwd,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server("", process)

    # A reader thread, so a server that never prints cannot hang the test (and a chatty one never blocks).
    def pump() -> None:
        for line in process.stderr or []:
            server.log.append(line)
            server.lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    if wait:
        server.wait_listening()
    return server


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll a real process until `condition` holds (never a fixed delay)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> set[int]:
    """The processes `pid` started (Linux): a pre-forking server's workers."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found
