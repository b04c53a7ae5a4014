import csv
import io

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.domain import Level
from bot.ops.export import Progress, export
from store.db import make_sessions
from store.repos import Repos
from tests import factories as make


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_large_exports() -> None:
    stream = Terminal()
    progress = Progress(10_000, stream)
    progress.update(5_000)
    progress.update(10_000)
    progress.close()
    text = stream.getvalue()
    assert " 50%  5,000/10,000 rows" in text
    assert "100%  10,000/10,000 rows" in text
    assert text.endswith("\n")


def test_no_progress_bar_when_piped_or_small() -> None:
    piped = io.StringIO()
    Progress(10_000, piped).update(5_000)
    small = Terminal()
    Progress(10, small).update(5)
    assert piped.getvalue() == ""
    assert small.getvalue() == ""


@pytest.fixture
def workspace(engine: Engine) -> sessionmaker[Session]:
    """Ana teaches Go; Bo and Cy want Rust, Cy wants Go too."""
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        repos = Repos(session)
        go, rust = make.topic(repos, "go", "Go"), make.topic(repos, "rust", "Rust")
        ana, bo, cy = make.members(repos, *((f"U{name.upper()}", name) for name in ("Ana", "Bo", "Cy")))
        make.offer(repos, ana, go, Level.EXPERT)
        make.need(repos, bo, rust, "rust")
        make.need(repos, cy, rust, "rust please")
        make.need(repos, cy, go, "go")
    return sessions


def test_the_export_names_learners(workspace: sessionmaker[Session]) -> None:
    out = io.StringIO()
    assert export(workspace, "T1", out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {(r["kind"], r["name"], r["topic"]) for r in rows} == {
        ("teaches", "Ana", "Go"),
        ("wants", "Bo", "Rust"),
        ("wants", "Cy", "Rust"),
        ("wants", "Cy", "Go"),
    }


def test_the_anonymous_export_counts_learners_per_topic_and_names_none(workspace: sessionmaker[Session]) -> None:
    out = io.StringIO()
    assert export(workspace, "T1", out, anonymous=True) == 3
    text = out.getvalue()
    assert "Bo" not in text and "Cy" not in text and "UBO" not in text and "UCY" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["kind"], r["name"], r["topic"], r["learners"]) for r in rows] == [
        ("teaches", "Ana", "Go", ""),
        ("wants", "", "Go", "1"),
        ("wants", "", "Rust", "2"),
    ]
    assert all(r["user_id"] == r["kudos_received"] == "" for r in rows if r["kind"] == "wants")
