"""`peerlearn export`: the skills matrix and open needs as CSV, streamed so a large workspace fits in memory.

It is for admins and names learners; `anonymous=True` leaves them out (needs are private in Slack). Each
person's working hours are in their own Slack timezone, written as peerlearn stores them ("mon-fri 09:00-17:00")."""

from __future__ import annotations

import csv
import sys
from typing import TextIO

from sqlalchemy.orm import Session, sessionmaker

from bot.calendar.hours import WorkingHours
from bot.services.home import own_hours
from store.repos import Repos

# endorsed_by: colleagues who thanked a teacher for a session on that topic (see store/endorsements.py).
HEADER = ("kind", "user_id", "name", "topic", "level", "since", "kudos_received", "working_hours", "endorsed_by")
# Anonymous: one "wants" row per topic; `learners` counts who wait for it, `since` is the oldest ask.
ANONYMOUS_HEADER = (*HEADER, "learners")


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
    """Team ids of the workspaces in this database."""
    with sessions() as session:
        return Repos(session).export.teams()


def export(
    sessions: sessionmaker[Session],
    team_id: str,
    out: TextIO,
    progress_stream: TextIO = sys.stderr,
    *,
    anonymous: bool = False,
) -> int:
    """Write the CSV for one workspace; returns the number of rows (header not counted)."""
    writer = csv.writer(out)
    writer.writerow(ANONYMOUS_HEADER if anonymous else HEADER)
    waiting: dict[str, tuple[int, str]] = {}  # anonymous: topic → (learners, oldest since)
    with sessions() as session:
        repos = Repos(session)
        progress = Progress(repos.export.count(team_id), progress_stream)
        # Read once, and only for those who set their own: everyone else works the default.
        default = WorkingHours.DEFAULT.to_text()
        hours = {
            user: (own_hours(text) or WorkingHours.DEFAULT).to_text()
            for user, text in repos.members.working_hours(team_id).items()
        }
        endorsed = repos.endorsements.by_user_topic(team_id)
        read = written = 0
        for listed in repos.export.rows(team_id):
            endorsers = endorsed.get((listed[1], listed[3]), 0) if listed[0] == "teaches" else ""
            row = (*listed, hours.get(listed[1], default), endorsers)
            read += 1
            if read % 500 == 0:
                progress.update(read)
            if not anonymous:
                writer.writerow(row)
                written += 1
            elif row[0] == "wants":
                # Rows come sorted by name: counting them per topic (few) also drops that order.
                learners, oldest = waiting.get(row[3], (0, row[5]))
                waiting[row[3]] = (learners + 1, min(oldest, row[5]))
            else:
                writer.writerow((*row, ""))
                written += 1
        for topic, (learners, oldest) in sorted(waiting.items()):
            writer.writerow(("wants", "", "", topic, "", oldest, "", "", "", learners))
            written += 1
        progress.update(read)
        progress.close()
    return written
