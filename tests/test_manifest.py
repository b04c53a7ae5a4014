"""manifest.yml is valid for Slack, and says exactly what the code listens to and needs."""

import ast
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot import ids
from bot.slack.install import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[1]
# Slack's published manifest schema, vendored with its MIT licence so a fresh clone can run every test.
SCHEMA = ROOT / "tests" / "data" / "slack" / "manifest.schema.1.0.0.json"
LICENCE = SCHEMA.with_name("LICENSE.manifest-schema")

# Web API methods the code calls → the bot scopes each needs (empty: no scope needed).
SCOPE_OF_METHOD: dict[str, tuple[str, ...]] = {
    "users_info": ("users:read",),
    "views_publish": (),
    "views_open": (),
    "views_update": (),
    "chat_postMessage": ("chat:write",),
    "chat_update": ("chat:write",),
    "chat_postEphemeral": ("chat:write",),
    "conversations_open": ("mpim:write",),  # the group DM of learner, expert and peerlearn
    # After a crash mid-digest: was this week's digest posted? (the learning channel, public or private, read only then)
    "conversations_history": ("channels:history", "groups:history"),
    "dnd_info": ("dnd:read",),  # proposed meeting times stay out of do-not-disturb hours
    "files_upload_v2": ("files:write",),  # the calendar invitation in the group DM
}
# Events → the scope Slack requires to subscribe to them.
SCOPE_OF_EVENT = {
    "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read",
    "user_change": "users:read",
    "app_home_opened": None,
    "app_uninstalled": None,
    "tokens_revoked": None,
    "message": "im:history",  # subscribed as message.im: direct messages only, never a channel's messages
    "app_mention": "app_mentions:read",
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_is_valid_against_slacks_schema(manifest: dict) -> None:
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_the_schema_ships_in_the_repository_with_its_licence() -> None:
    assert SCHEMA.is_relative_to(ROOT) and SCHEMA.is_file()
    licence = LICENCE.read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Slack Technologies" in licence


def test_nothing_in_the_repository_reads_outside_it() -> None:
    """A clone is all anyone has: no code, test or build file may reach for a sibling folder."""
    outside = ("../" + "shared", '.parent / "' + "shared" + '"', "parents[" + "3]")
    kinds = {".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".sh", ".service"}
    folders = [ROOT / name for name in ("bot", "handlers", "store", "tests", "bench", "scripts", "deploy", ".github")]
    files = [p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.suffix in kinds]
    files += [p for p in (ROOT / "Makefile", ROOT / "pyproject.toml", ROOT / "Dockerfile") if p.is_file()]
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in files
        for needle in outside
        if needle in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders


def _decorated(kind: str) -> set[str]:
    """Names of ids.* constants used in @app.<kind>(…) decorators across handlers/."""
    found: set[str] = set()
    for path in (ROOT / "handlers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == kind:
                for arg in node.args:
                    if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "ids":
                        found.add(getattr(ids, arg.attr))
    return found


def test_commands_in_the_code_are_in_the_manifest_and_back(manifest: dict) -> None:
    in_manifest = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert _decorated("command") == set(ids.COMMANDS) == in_manifest


def test_events_in_the_code_are_in_the_manifest_and_back(manifest: dict) -> None:
    subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
    # `message.im` is how the manifest subscribes to the `message` events of direct messages alone.
    assert [event for event in subscribed if event.startswith("message")] == ["message.im"]
    in_manifest = {event.partition(".")[0] for event in subscribed}
    assert _decorated("event") == set(ids.EVENTS) == in_manifest


def test_shortcuts_in_the_code_are_in_the_manifest_and_back(manifest: dict) -> None:
    shortcuts = {s["callback_id"]: s["type"] for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {ids.FIND_COLLEAGUE: "message", ids.LEARN_OR_TEACH: "global"}
    assert _decorated("message_shortcut") | _decorated("global_shortcut") == set(ids.SHORTCUTS) == set(shortcuts)


def test_commands_have_descriptions_and_usage_hints(manifest: dict) -> None:
    for command in manifest["features"]["slash_commands"]:
        assert command["description"] and command["usage_hint"]


def _called_methods() -> set[str]:
    called: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "client":
                    called.add(node.attr)
    return called


def test_scopes_are_exactly_what_the_code_uses(manifest: dict) -> None:
    methods = _called_methods()
    unknown = methods - set(SCOPE_OF_METHOD)
    assert not unknown, f"add these Web API methods to SCOPE_OF_METHOD: {unknown}"
    needed = {scope for m in methods for scope in SCOPE_OF_METHOD[m]} | {SCOPE_OF_EVENT[e] for e in ids.EVENTS}
    needed |= {"commands"}
    needed.discard(None)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_oauth_asks_for_the_manifests_scopes(manifest: dict) -> None:
    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])


def test_app_home_and_interactivity_are_on(manifest: dict) -> None:
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    # People write to peerlearn in its Messages tab: it must take messages, not be read-only.
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
