"""manifest.yml is valid for Slack, and says exactly what the code listens to and needs."""

import ast
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.install import BOT_SCOPES
from handlers import ids

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"

# Web API methods the code calls → the bot scope each needs (None: no scope needed).
SCOPE_OF_METHOD = {
    "users_info": "users:read",
    "views_publish": None,
    "views_open": None,
    "views_update": None,
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "conversations_open": "mpim:write",  # the group DM of learner, expert and peerlearn
    # After a crash mid-digest: was this week's digest posted? (the learning channel, read only then)
    "conversations_history": "channels:history",
}
# Events → the scope Slack requires to subscribe to them.
SCOPE_OF_EVENT = {
    "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read",
    "user_change": "users:read",
    "app_home_opened": None,
    "app_uninstalled": None,
    "tokens_revoked": None,
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_is_valid_against_slacks_schema(manifest: dict) -> None:
    if not SCHEMA.exists():
        pytest.fail(f"Slack's manifest schema is missing at {SCHEMA}")
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


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
    in_manifest = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert _decorated("event") == set(ids.EVENTS) == in_manifest


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
    needed = {SCOPE_OF_METHOD[m] for m in methods} | {SCOPE_OF_EVENT[e] for e in ids.EVENTS} | {"commands"}
    needed.discard(None)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_oauth_asks_for_the_manifests_scopes(manifest: dict) -> None:
    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])


def test_app_home_and_interactivity_are_on(manifest: dict) -> None:
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
