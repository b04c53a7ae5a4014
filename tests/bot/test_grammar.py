import pytest

from bot.domain import Level
from bot.grammar import (
    Help,
    Invalid,
    Learn,
    LearnClose,
    NearCommand,
    Teach,
    TeachPause,
    TeachRemove,
    parse_learn,
    parse_teach,
)


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
        ("python level: expert -- ask me anything", Teach(("python",), Level.EXPERT, "ask me anything", "python")),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Every dash people type separates the note, and the note is the topic's it follows.
        ("kotlin — mobile apps", Teach(("kotlin",), None, "mobile apps", "kotlin")),
        ("kotlin—mobile apps", Teach(("kotlin",), None, "mobile apps", "kotlin")),
        ("swift –– ios", Teach(("swift",), None, "ios", "swift")),
        ("swift – ios", Teach(("swift",), None, "ios", "swift")),
        ("swift - ios", Teach(("swift",), None, "ios", "swift")),
        ("swift --ios", Teach(("swift",), None, "ios", "swift")),
        ("swift--ios", Teach(("swift",), None, "ios", "swift")),
        ("go -- pairing — mornings only", Teach(("go",), None, "pairing — mornings only", "go")),
        ("postgresql, sql -- I love query plans", Teach(("postgresql", "sql"), None, "I love query plans", "sql")),
        # A hyphen inside a word, or a lone en dash between two, is part of the topic.
        ("ci-cd, objective-c", Teach(("ci-cd", "objective-c"))),
        ("Michaelis–Menten kinetics", Teach(("Michaelis–Menten kinetics",))),
        # A dash with nothing after it clears the note; no dash keeps it.
        ("python --", Teach(("python",), None, "", "python")),
        ("python —", Teach(("python",), None, "", "python")),
        ("python", Teach(("python",))),
        # Slack sends &, < and > encoded: the note and the topic read as typed.
        ("p&amp;l -- Q&amp;A on Fridays", Teach(("p&l",), None, "Q&A on Fridays", "p&l")),
    ],
)
def test_teach_note_follows_any_dash(text: str, expected: Teach) -> None:
    assert parse_teach(text) == expected


def test_a_note_belongs_to_the_topic_it_follows() -> None:
    command = parse_teach("postgresql, kubernetes level: expert -- I run the cluster upgrades")
    assert isinstance(command, Teach)
    assert command.note_for("kubernetes") == "I run the cluster upgrades"
    assert command.note_for("postgresql") is None  # None keeps whatever note postgresql has
    form = Teach(("go", "rust"), None, "pairing welcome")  # a form's one note field is for all its topics
    assert form.note_for("go") == form.note_for("rust") == "pairing welcome"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remve python", NearCommand("/teach remove python", '/teach "remve python"')),
        ("remoev python, go", NearCommand("/teach remove python, go", '/teach "remoev python, go"')),
        ("delete python", NearCommand("/teach remove python", '/teach "delete python"')),
        ("removed python", NearCommand("/teach remove python", '/teach "removed python"')),
        ("remve", NearCommand("/teach remove TOPIC", '/teach "remve"')),
        ("unpause", NearCommand("/teach resume", '/teach "unpause"')),
        ("unpause python", NearCommand("/teach resume", '/teach "unpause python"')),
        ("stop", NearCommand("/teach pause", '/teach "stop"')),
        ("puase", NearCommand("/teach pause", '/teach "puase"')),
        ("paused", NearCommand("/teach pause", '/teach "paused"')),
        ("resme", NearCommand("/teach resume", '/teach "resme"')),
    ],
)
def test_teach_near_misses_are_asked_about(text: str, expected: NearCommand) -> None:
    assert parse_teach(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don python", NearCommand("/learn done python", '/learn "don python"')),
        ("dne python", NearCommand("/learn done python", '/learn "dne python"')),
        ("cancle rust", NearCommand("/learn cancel rust", '/learn "cancle rust"')),
        ("cancel rust", LearnClose("rust", done=False)),
        ("done, python", LearnClose("python", done=True)),  # the comma people add is not part of the word
        ("cancelled rust", NearCommand("/learn cancel rust", '/learn "cancelled rust"')),
        ("cancle", NearCommand("/learn cancel TOPIC", '/learn "cancle"')),
    ],
)
def test_learn_near_misses_are_asked_about(text: str, expected: NearCommand) -> None:
    assert parse_learn(text) == expected


@pytest.mark.parametrize(
    "text",
    ["don", "donuts", "go", "r", "remote work", "cancer research", "drone racing", "note taking", "dome", "pandas"],
)
def test_topics_that_start_like_a_subcommand_are_topics(text: str) -> None:
    assert parse_learn(text) == Learn(text)
    assert parse_teach(text) == Teach((text,))


@pytest.mark.parametrize("text", ["stop motion", "stop", "hold music"])
def test_other_words_for_pause_and_resume_only_alone(text: str) -> None:
    assert isinstance(parse_teach(text), NearCommand if " " not in text else Teach)


def test_a_quoted_topic_is_a_topic_whatever_it_starts_with() -> None:
    assert parse_learn('"don quixote"') == Learn("don quixote")
    assert parse_teach('"unpause"') == Teach(("unpause",))


def test_a_repeated_level_is_refused() -> None:
    parsed = parse_teach("python level: beginner level: expert")
    assert parsed == Invalid("Give one level, like `level: expert`.")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("kubernetes from @priya", "kubernetes"),
        ("kubernetes from <@U123>", "kubernetes"),
        ("kubernetes from <@U123|priya>", "kubernetes"),
        ("<@U123> kubernetes", "kubernetes"),
        ("docker, see https://docs.docker.com", "docker"),
        ("*bold* `code`", "bold code"),
        ("**go**", "go"),
        ("_terraform_ ~ansible~", "terraform ansible"),
        ("```kubectl```", "kubectl"),
        ("&lt;b&gt;rust&lt;/b&gt;", "rust"),
        ("<i>rust</i>", "rust"),
        ("p&amp;l", "p&l"),
        ("snake_case, f*", "snake_case, f*"),  # markers inside or after a word are part of it
    ],
)
def test_mentions_links_markup_and_html_are_set_aside(text: str, topic: str) -> None:
    assert parse_learn(text) == Learn(topic)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<script>alert(1)</script>", "couldn't find a topic"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "couldn't find a topic"),
        ("*`~~`*", "couldn't find a topic"),
        ("<@U123> <#C1|general>", "mention"),
        ("from @priya", "mention"),
        ("https://example.com", "link"),
    ],
)
def test_nothing_but_markup_mentions_or_links_is_refused(text: str, reason: str) -> None:
    for parsed in (parse_learn(text), parse_teach(text)):
        assert isinstance(parsed, Invalid)
        assert reason in parsed.reason


def test_teach_topics_keep_no_markup() -> None:
    assert parse_teach("*python*, `sql`, <b>go</b> from @priya -- *mornings*") == Teach(
        ("python", "sql", "go"), None, "*mornings*", "go"
    )
