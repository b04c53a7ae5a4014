"""Every sentence a person reads lives in bot/views: a listener only translates. Read from the handlers' source,
so a sentence written into a listener fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Two words with a space or punctuation between them: a sentence, not an id, a key or a Block Kit field.
WORDS = re.compile(r"[A-Za-z]+[ ,.!?:;]+[A-Za-z]+")
ALLOWED: set[str] = set()  # room for a sentence a listener truly must hold: none today


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _logged(tree: ast.Module) -> set[int]:
    """Strings handed to a logger: read by operators, not by the people using peerlearn."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id.endswith("logger"):
                found.update(id(n) for arg in node.args for n in ast.walk(arg))
    return found


def _text(node: ast.AST) -> str | None:
    """A string literal's words (an f-string's with `{}` for each value), or None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    skip = _docstrings(tree) | _logged(tree)
    skip |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        text = _text(node) if id(node) not in skip else None
        if text is not None and WORDS.search(text) and text not in ALLOWED:
            found.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {text!r}")
    return found


def test_listeners_write_no_sentence_of_their_own() -> None:
    found = [line for path in sorted((ROOT / "handlers").glob("*.py")) for line in _sentences(path)]
    assert found == [], "move these to bot/views:\n" + "\n".join(found)


def test_the_check_sees_a_sentence_in_a_listener(tmp_path: Path) -> None:
    listener = tmp_path / "listener.py"
    listener.write_text('"""Doc."""\nlogger.info("a log line here")\ndef f():\n    tell(f"Hello {x}, that is done.")\n')
    assert _sentences(listener) == ["listener.py:4: 'Hello {}, that is done.'"]
