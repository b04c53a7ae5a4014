"""The near-miss rule measured: it questions no topic people teach or ask for, and catches the slips people make."""

from pathlib import Path

import pytest

from bot.grammar import NearCommand, parse_learn, parse_teach
from bot.matcher.vocabulary import shipped
from bot.nearmiss import slips

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
LEARN, TEACH = ("done", "cancel"), ("remove", "pause", "resume")


def _rows(name: str, column: int) -> list[str]:
    path = DATA / name
    if not path.exists():  # written by scripts/build_bench_data.py; the vocabulary's names are always there
        return []
    lines = path.read_text("utf-8").splitlines()
    return [line.split("\t")[column] for line in lines if line and not line.startswith("#")]


def _asks() -> list[str]:
    """What people teach and ask for: the vocabulary's names and other names, everyday topics and tools that
    the vocabulary never read, and every phrasing of an ask around them."""
    names = [name for name, _, _ in shipped().names()]
    everyday = _rows("everyday_topics.tsv", 1)
    tools = _rows("tools.tsv", 0) + _rows("tools.tsv", 1)
    phrasings = [p for p in (DATA / "phrasings.txt").read_text("utf-8").splitlines() if p and not p.startswith("#")]
    samples = ["python", "public speaking", *everyday[::25]]
    return names + everyday + tools + [phrasing.replace("{x}", x) for phrasing in phrasings for x in samples]


def test_no_topic_or_phrasing_is_taken_for_a_subcommand() -> None:
    asks = _asks()
    assert len(asks) > 5000
    questioned = [text for text in asks if NearCommand in (type(parse_learn(text)), type(parse_teach(text)))]
    assert questioned == []


def _neighbours(key: str) -> set[str]:
    for r, row in enumerate(ROWS):
        c = row.find(key)
        if c >= 0:
            rows = [ROWS[i] for i in (r - 1, r, r + 1) if 0 <= i < len(ROWS)]
            return {line[j] for line in rows for j in (c - 1, c, c + 1) if 0 <= j < len(line)} - {key}
    return set()


def _one_slip(word: str) -> set[str]:
    """Every way one slip changes `word`, its first letter kept: a letter missed, a neighbouring key instead, an
    extra key beside one pressed, two letters swapped."""
    out = set()
    for i in range(1, len(word)):
        out.add(word[:i] + word[i + 1 :])
        out.update(word[:i] + key + word[i + 1 :] for key in _neighbours(word[i]))
        out.add(word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :])
    for i in range(1, len(word) + 1):
        out.update(word[:i] + key + word[i:] for key in _neighbours(word[i - 1]) | {word[i - 1]})
    return {typed for typed in out if typed != word and typed[:1] == word[:1]}


def _caught(typed: str, command: str) -> bool:
    """Whether `typed` in place of `command` (before a topic, for those that take one) is asked about."""
    parsed: object
    if command in LEARN:
        parsed = parse_learn(f"{typed} python")
    else:
        parsed = parse_teach(f"{typed} python" if command == "remove" else typed)
    return isinstance(parsed, NearCommand) and f" {command}" in parsed.suggestion


def test_every_single_slip_is_caught_unless_it_makes_a_word() -> None:
    missed = {c: sorted(t for t in _one_slip(c) - {*LEARN, *TEACH} if not _caught(t, c)) for c in (*LEARN, *TEACH)}
    # Typed on purpose far more often than by mistake: "/learn drone racing", "/learn dome construction".
    words = {"done": ["dine", "doe", "dome", "dons", "drone"]}
    assert missed == {command: words.get(command, []) for command in (*LEARN, *TEACH)}


def test_most_double_slips_of_the_longer_subcommands_are_caught() -> None:
    caught, total = 0, 0
    for command in ("cancel", "remove", "resume"):
        once = _one_slip(command)
        for typed in {twice for slip in once for twice in _one_slip(slip)} - {*LEARN, *TEACH}:
            total += 1
            caught += _caught(typed, command)
    assert total > 5000
    assert caught / total >= 0.93


@pytest.mark.parametrize(
    ("typed", "word", "expected"),
    [
        ("remve", "remove", 1),  # a letter missed
        ("cancle", "cancel", 1),  # two swapped
        ("pausw", "pause", 1),  # a neighbouring key
        ("pauuse", "pause", 1),  # an extra key, the same as the one beside it
        ("remote", "remove", 2),  # t is nowhere near v (and "remote" is a word: never taken for a slip)
        ("cancer", "cancel", 2),
        ("rmeove", "remove", 1),
    ],
)
def test_slips_are_counted_on_the_keyboard(typed: str, word: str, expected: int) -> None:
    assert slips(typed, word) == expected
