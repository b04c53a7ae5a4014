"""The layer order docs/ARCHITECTURE.md states, read from the imports themselves: an arrow against it fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports() -> dict[str, set[str]]:
    """Every module of bot/, handlers/ and store/ (migrations aside) → the modules it imports."""
    found: dict[str, set[str]] = {}
    for package in ("bot", "handlers", "store"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            names: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
                elif isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
            found[module] = names
    return found


IMPORTS = _imports()


def _in(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


# (who, what they must never import, why)
RULES = [
    ("store", ("bot", "handlers", "slack_bolt", "slack_sdk"), "the store knows no Slack and no layer above it"),
    ("bot.views", ("store", "handlers", "slack_bolt"), "views only render dataclasses"),
    (
        "bot.matcher",
        ("store", "handlers", "bot.services", "bot.slack", "bot.views", "slack_sdk", "slack_bolt"),
        "the matcher is pure: no I/O, no Slack",
    ),
    ("bot.services", ("handlers", "bot.views", "slack_bolt", "slack_sdk"), "services know no payloads or Block Kit"),
    ("bot.domain", ("bot", "store", "handlers"), "the words every layer shares import nothing of ours"),
    ("bot.clock", ("bot", "store", "handlers"), "the clock is a leaf: anything may read the time"),
    ("handlers", ("store",), "listeners reach the database only through services, in the request's context"),
    ("bot.telemetry", ("bot", "store", "handlers"), "metrics and logs are the bottom floor every layer may use"),
]
# What the rules above allow all the same: the store's one word from bot/, slack_sdk's own SQLAlchemy stores for
# OAuth installs (DESIGN §9), and the services' one tenancy helper.
ALLOWED = {
    ("store", "bot.domain"),
    ("store.installations", "slack_sdk.oauth"),
    ("bot.services", "bot.slack.tenancy"),
    ("bot.telemetry", "bot.telemetry"),
}


@pytest.mark.parametrize(("layer", "forbidden", "why"), RULES, ids=[rule[0] for rule in RULES])
def test_no_import_runs_against_the_layer_order(layer: str, forbidden: tuple[str, ...], why: str) -> None:
    against = sorted(
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if _in(module, layer)
        for name in names
        if _in(name, *forbidden) and not any(_in(module, a) and _in(name, b) for a, b in ALLOWED)
    )
    assert against == [], f"{why}:\n" + "\n".join(against)


def test_only_the_composition_root_imports_the_listeners() -> None:
    importers = sorted(
        module
        for module, names in IMPORTS.items()
        if not _in(module, "handlers") and any(_in(n, "handlers") for n in names)
    )
    assert importers == ["bot.app"]


def test_only_the_entry_point_imports_the_operating_commands() -> None:
    """bot/ops/ is the top of the house (the command line): `python -m bot` starts it and nothing below reaches up
    into it (the app, the Slack plumbing, the jobs and the trial count and log through bot/telemetry/)."""
    importers = sorted(
        module
        for module, names in IMPORTS.items()
        if not _in(module, "bot.ops") and any(_in(n, "bot.ops") for n in names)
    )
    assert importers == ["bot.__main__"]


# The floors of the house, bottom first, as docs/ARCHITECTURE.md draws them: a module imports its own floor or
# the ones below, never one above. The longest matching prefix places a module (bot.insights.report is a workflow).
FLOORS = [
    (
        "shared words and instruments",
        ("bot.domain", "bot.clock", "bot.telemetry", "bot.config", "bot.ids", "bot.markup", "bot.phrases"),
    ),
    ("the store", ("store",)),
    ("reading words and times", ("bot.matcher", "bot.nearmiss", "bot.grammar", "bot.intent", "bot.calendar")),
    ("Slack plumbing", ("bot.slack",)),
    ("the workflows", ("bot.services", "bot.insights.report")),
    ("Slack's formats", ("bot.wire", "bot.forms", "bot.views")),
    ("what requests and jobs run with", ("bot.deps", "bot.context", "bot.insights", "bot.jobs", "bot.scheduler")),
    ("the listeners", ("handlers",)),
    ("the entry points", ("bot.app", "bot.trial", "bot.ops", "bot.__main__")),
]


def _floor(module: str) -> int | None:
    placed = [
        (len(prefix), floor) for floor, (_, prefixes) in enumerate(FLOORS) for prefix in prefixes if _in(module, prefix)
    ]
    return max(placed)[1] if placed else None


def test_every_module_stands_on_a_floor() -> None:
    assert sorted(m for m in IMPORTS if m != "bot" and _floor(m) is None) == []


def test_no_import_reaches_a_floor_above() -> None:
    up = sorted(
        f"{module} ({FLOORS[here][0]}) imports {name} ({FLOORS[there][0]})"
        for module, names in IMPORTS.items()
        if (here := _floor(module)) is not None
        for name in names
        if (there := _floor(name)) is not None and there > here
    )
    assert up == []


def test_the_rules_see_the_tree() -> None:
    """A guard for the guard: the walk found the packages, and a known arrow is seen."""
    assert "handlers" in IMPORTS["bot.app"] and "bot.domain" in IMPORTS["store.models.learning"]
    assert "bot.ops.cli" in IMPORTS["bot.__main__"] and "bot.telemetry" in IMPORTS["bot.slack.server"]


def test_no_module_outgrows_a_sitting() -> None:
    """A module read at one sitting: none of bot/, handlers/ or store/ (migrations aside) over 350 lines."""
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for package in ("bot", "handlers", "store")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text("utf-8").splitlines())) > 350
    )
    assert long == []
