"""The docs name only what exists: every path, listener, repository, class member and bench they put in backticks."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/ARCHITECTURE.md", "docs/MATCHING.md")
ROOTS = ("bot/", "handlers/", "store/", "tests/", "bench/", "scripts/", "deploy/", "docs/")
# A path, then optionally `: name` (what the file defines) — `bot/app.py: _on_error`, `learn.py: on_learn`.
PATH = re.compile(r"^(?P<path>[\w.-]+(?:/[\w.-]+)*/?)(?::\s*(?P<name>\w+))?$")
FILE = re.compile(r"\.(py|md|json|toml|yml|service)$")
MEMBER = re.compile(r"^(?P<cls>[A-Z]\w+)\s*\.\s*(?P<name>\w+)(?:\(.*\))?$")  # `AskValue.parse(s)`, `JobContext.tx`
# The "Where does X live" table: the folder each column's bare names live in.
COLUMNS = {1: "handlers/", 2: "bot/services/", 3: "store/repos/", 4: "bot/views/", 5: "tests/"}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def _defines(path: Path, name: str) -> bool:
    """`name` is a function, class or assignment anywhere in the Python file."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return True
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


@cache
def _classes() -> dict[str, set[str]]:
    """Every class in the code → the names its body defines (methods, fields)."""
    found: dict[str, set[str]] = {}
    for package in ("bot", "handlers", "store"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(_tree(path)):
                if isinstance(node, ast.ClassDef):
                    members = found.setdefault(node.name, set())
                    for item in node.body:
                        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                            members.add(item.name)
                        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                            members.add(item.target.id)
                        elif isinstance(item, ast.Assign):
                            members.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return found


def _segments(text: str) -> list[tuple[int | None, str, str | None]]:
    """Paragraphs and list items, and each table cell on its own: with its column in the "where" table, and with
    the folder its row is about in the others (the package table's bare `web.py` is `bot/insights/web.py`)."""
    out: list[tuple[int | None, str, str | None]] = []
    where = False
    for block in re.split(r"\n(?=\s*(?:- |\| |\n|#))", text):
        if block.startswith("#"):
            where = block.startswith("## Where does X live")
        if block.lstrip().startswith("|"):
            cells = [cell.strip() for cell in block.strip().strip("|").split(" | ")]
            row = re.match(r"`([\w/]+/)`", cells[0])
            row_folder = None if where or not row else row[1]
            out.extend((column if where else None, cell, row_folder) for column, cell in enumerate(cells))
        else:
            out.append((None, block, None))
    return out


def _problems(doc: str) -> list[str]:
    problems: list[str] = []
    for column, segment, row_folder in _segments((ROOT / doc).read_text("utf-8")):
        folder = row_folder or (COLUMNS.get(column) if column is not None else None)
        last_file: Path | None = None
        for token in re.findall(r"`([^`\n]+)`", segment):
            token = token.strip()
            if bench := re.fullmatch(r"python -m (bench\.\w+).*", token):
                if not (ROOT / (bench[1].replace(".", "/") + ".py")).exists():
                    problems.append(f"{doc}: no module {bench[1]}")
                continue
            if member := MEMBER.match(token):
                if member["cls"] in _classes() and member["name"] not in _classes()[member["cls"]]:
                    problems.append(f"{doc}: {member['cls']} has no {member['name']}")
                continue
            match = PATH.match(token)
            if not match:
                continue
            path, name = match["path"], match["name"]
            if path.startswith(ROOTS):
                target = ROOT / path
            elif FILE.search(path) and "/" not in path and (last_file or folder):
                target = (
                    ROOT / row_folder if row_folder else last_file.parent if last_file else ROOT / str(folder)
                ) / path
            elif column == 3 and re.fullmatch(r"\w+", path):
                target = ROOT / "store/repos" / f"{path}.py"  # the repository column names modules bare
            elif re.fullmatch(r"\w+", path) and last_file is not None and last_file.suffix == ".py" and column:
                if not _defines(last_file, path):  # `on_offer_help` after `actions.py: on_ask`
                    problems.append(f"{doc}: {last_file.relative_to(ROOT)} defines no {path}")
                continue
            else:
                continue
            if not target.exists():
                problems.append(f"{doc}: no {target.relative_to(ROOT)}")
                continue
            if target.is_file():
                last_file = target
                if name and target.suffix == ".py" and not _defines(target, name):
                    problems.append(f"{doc}: {target.relative_to(ROOT)} defines no {name}")
            elif target.is_dir():
                last_file = None
    return problems


@pytest.mark.parametrize("doc", DOCS)
def test_the_docs_name_only_what_exists(doc: str) -> None:
    assert _problems(doc) == []


def test_the_check_sees_a_wrong_name() -> None:
    """A guard for the guard: the table is read by column, and a missing file or listener is caught."""
    segments = _segments("## Where does X live\n\n| a | b |\n|---|---|\n| x | `learn.py: on_nothing` |\n")
    assert (1, "`learn.py: on_nothing`", None) in segments
    assert not _defines(ROOT / "handlers/learn.py", "on_nothing") and _defines(ROOT / "handlers/learn.py", "on_learn")


def test_the_readme_configures_exactly_the_settings() -> None:
    """The README's table of environment variables and bot/config.py's Settings name the same variables."""
    settings = set(re.findall(r'alias="([A-Z_]+)"', (ROOT / "bot/config.py").read_text("utf-8")))
    readme = (ROOT / "README.md").read_text("utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table = {name for row in re.findall(r"^\| (.+?) \|", readme, re.M) for name in re.findall(r"`([A-Z_]+)`", row)}
    assert table == settings
