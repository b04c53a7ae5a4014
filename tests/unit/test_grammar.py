import pytest

from bot.grammar import Help, Invalid, Learn, LearnClose, Teach, TeachPause, TeachRemove, parse_learn, parse_teach
from bot.matcher import load_shipped_aliases
from store.models import Level

ALIASES = load_shipped_aliases()


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
    ],
)
def test_learn_grammar(text: str, expected: object) -> None:
    assert parse_learn(text, ALIASES) == expected


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
    assert parse_teach(text, ALIASES) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<@U123ABC>", "mention"),
        ("<#C123|general>", "mention"),
        ("<https://example.com|docs>", "link"),
        ("https://example.com", "link"),
        (":tada: :tada:", "no letters"),
        ("?!...", "no letters"),
        ("x" * 101, "at most 100"),
        ("a, b", "One topic"),
        ("done", "Which topic"),
        ("help me", "takes no topic"),
    ],
)
def test_learn_rejects_bad_input(text: str, reason: str) -> None:
    parsed = parse_learn(text, ALIASES)
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
    parsed = parse_teach(text, ALIASES)
    assert isinstance(parsed, Invalid)
    assert reason in parsed.reason
