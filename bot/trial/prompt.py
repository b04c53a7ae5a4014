"""The console's prompt: reading a line, Slack's "are you sure?" dialog, and line editing with a history."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

HISTORY = Path.home() / ".peerlearn_history"


def ask(prompt: str) -> str:
    """One typed line ("" at the end of input)."""
    try:
        return input(prompt)
    except EOFError:
        return ""


def confirmed(confirm: dict[str, Any]) -> bool:
    """Slack's "are you sure?" dialog, at the prompt."""
    title = (confirm.get("title") or {}).get("text", "Are you sure?")
    text = (confirm.get("text") or {}).get("text", "")
    yes = (confirm.get("confirm") or {}).get("text", "Yes")
    print(f"┌ {title}\n{text}\n└")
    return ask(f"{yes}? [y/N] ").strip().lower() in ("y", "yes")


def enable_line_editing() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the console still works without it
        return
    with contextlib.suppress(OSError):  # no history yet on a first run
        readline.read_history_file(HISTORY)
    readline.set_history_length(500)


def save_history() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.write_history_file(HISTORY)
