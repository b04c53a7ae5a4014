"""`peerlearn export`: the skills matrix and open needs as CSV, streamed so a large workspace fits in memory."""

from __future__ import annotations

import csv
import sys
from typing import TextIO

from sqlalchemy.orm import Session, sessionmaker

from store.repos import Repos

HEADER = ("kind", "user_id", "name", "topic", "level", "since", "kudos_received")


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal and only for exports worth waiting for."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, threshold: int = 5000) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty() and total >= threshold
        self._shown = -1

    def update(self, done: int) -> None:
        if not self.enabled or not self.total:
            return
        percent = done * 100 // self.total
        if percent != self._shown:
            self._shown = percent
            bar = "█" * (percent // 4)
            self.stream.write(f"\rexporting [{bar:<25}] {percent:3d}%  {done:,}/{self.total:,} rows")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def teams(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return Repos(session).export.teams()


def export(sessions: sessionmaker[Session], team_id: str, out: TextIO, progress_stream: TextIO = sys.stderr) -> int:
    """Write the CSV for one workspace; returns the number of rows (header not counted)."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    with sessions() as session:
        repos = Repos(session)
        progress = Progress(repos.export.count(team_id), progress_stream)
        written = 0
        for row in repos.export.rows(team_id):
            writer.writerow(row)
            written += 1
            if written % 500 == 0:
                progress.update(written)
        progress.update(written)
        progress.close()
    return written
