import pytest

from bot.domain import Level
from bot.grammar import Help, Invalid, Learn, LearnClose, Teach, TeachPause, TeachRemove, parse_learn, parse_teach


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("help", Help()),
        ("  kubernetes ", Learn("kubernetes")),
        ("done kubernetes", LearnClose("kubernetes", done=True)),
        ("cancel  rust", LearnClose("rust", done=False)),
        ("Größenordnung", Learn("Größenordnung")),
        ("日本語", Learn("日本語")),
        ("donuts", Learn("donuts")),  # a topic that starts like a subcommand is still a topic
        ("intro to kubernetes, for my team", Learn("intro to kubernetes, for my team")),  # one ask, commas too
        ("help with python", Learn("help with python")),  # "help" and "list" alone are subcommands
        ("list comprehensions", Learn("list comprehensions")),
    ],
)
def test_learn_grammar(text: str, expected: object) -> None:
    assert parse_learn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("kubernetes, helm", Teach(("kubernetes", "helm"))),
        ("python level: expert -- ask me anything", Teach(("python",), Level.EXPERT, "ask me anything")),
        ("sql, sql", Teach(("sql",))),
        ("remove python, go", TeachRemove(("python", "go"))),
        ("pause", TeachPause(paused=True)),
        ("resume", TeachPause(paused=False)),
    ],
)
def test_teach_grammar(text: str, expected: object) -> None:
    assert parse_teach(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<@U123ABC>", "mention"),
        ("<#C123|general>", "mention"),
        ("<https://example.com|docs>", "link"),
        ("https://example.com", "link"),
        (":tada: :tada:", "couldn't find a topic"),
        ("?!...", "couldn't find a topic"),
        ("x" * 151, "151 characters"),
        ("done " + "x" * 101, "101 characters"),
        ("done", "Which topic"),
    ],
)
def test_learn_rejects_bad_input(text: str, reason: str) -> None:
    parsed = parse_learn(text)
    assert isinstance(parsed, Invalid)
    assert reason in parsed.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (", ".join(f"topic{i}" for i in range(11)), "10 at a time"),
        ("python level: guru", "not one of"),
        ("remove", "Which topic"),
        ("pause please", "takes no topic"),
        (" -- only a note", "what you can teach"),
        ("python -- " + "n" * 301, "note"),
    ],
)
def test_teach_rejects_bad_input(text: str, reason: str) -> None:
    parsed = parse_teach(text)
    assert isinstance(parsed, Invalid)
    assert reason in parsed.reason
