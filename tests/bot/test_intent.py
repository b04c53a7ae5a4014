"""bot/intent.py: what a plain message asks for, over many phrasings.

TUNED are the phrasings the frames were written and adjusted against. HELD_OUT were written down before the
module existed and never tuned on: they measure it, and a miss there is reported rather than fixed by a frame made
for it (the one known miss: "trying to wrap my head around…", a frame with no subject).
"""

import pytest

from bot.domain import Level
from bot.grammar import Learn, Teach, learn_ask, teach_offer
from bot.intent import MAX_CHARS, Intent, Kind, as_list, read

LEARN, TEACH, UNCLEAR = Kind.LEARN, Kind.TEACH, Kind.UNCLEAR

TUNED = [
    ("I want to learn kubernetes", LEARN, "kubernetes"),
    ("can someone teach me SQL?", LEARN, "SQL"),
    ("who knows terraform", LEARN, "terraform"),
    ("I'd like to get better at negotiating", LEARN, "negotiating"),
    ("Hi! I want to learn Go. Any pointers?", LEARN, "Go"),
    ("Does anyone here know Kubernetes well?", LEARN, "Kubernetes"),
    ("I'd like help with SQL", LEARN, "SQL"),
    ("I need help with pandas", LEARN, "pandas"),
    ("who can teach me Rust?", LEARN, "Rust"),
    ("teach me python please", LEARN, "python"),
    ("I know nothing about kafka", LEARN, "kafka"),
    ("what is graphql?", Kind.QUESTION, "graphql"),  # learning if GraphQL is a known topic: the service looks
    ("I want to learn 日本語", LEARN, "日本語"),
    ("I want to learn kubernetes from <@UPRIYA>", LEARN, "kubernetes"),  # the mention is set aside
    ("I'd love to learn machine learning", LEARN, "machine learning"),
    ("im looking to learn *Docker*", LEARN, "Docker"),  # markup and a missing apostrophe
    ("I want to learn", LEARN, ""),
    ("I can teach Excel", TEACH, "Excel"),
    ("happy to help with React", TEACH, "React"),
    ("I can teach you excel", TEACH, "excel"),
    ("I'd be happy to help you learn Python", TEACH, "Python"),  # teaching, though "learn" is said
    ("I want to help with SQL", TEACH, "SQL"),  # to help: teaching; help with: learning
    ("I teach statistics", TEACH, "statistics"),
    ("I know Terraform really well", TEACH, "Terraform"),
    ("I can teach Python, SQL and Excel", TEACH, "Python, SQL and Excel"),
    ("I can teach python level: expert -- happy to pair", TEACH, "python level: expert -- happy to pair"),
    ("kubernetes", UNCLEAR, "kubernetes"),
    ("machine learning", UNCLEAR, "machine learning"),  # "learning" inside a name is no frame
    ("日本語", UNCLEAR, "日本語"),  # a short name in another script is a topic, not another language
    ("the meeting is at 3pm tomorrow", UNCLEAR, "meeting is at 3pm tomorrow"),  # no topic: the service says so
]

HELD_OUT = [
    ("Is there anyone who could walk me through GraphQL?", LEARN, "GraphQL"),
    ("trying to wrap my head around Rust lifetimes", LEARN, "Rust lifetimes"),
    ("Need a mentor for public speaking", LEARN, "public speaking"),
    ("Looking for someone to pair with on Terraform", LEARN, "Terraform"),
    ("could somebody show me how pivot tables work", LEARN, None),
    ("I'm keen to pick up Figma", LEARN, "Figma"),
    ("any experts on Kafka around?", LEARN, "Kafka"),
    ("I'd really like to understand OAuth better", LEARN, "OAuth"),
    ("help me get started with Docker", LEARN, "Docker"),
    ("where do I start with machine learning", Kind.QUESTION, "machine learning"),
    ("who's good with Excel macros?", LEARN, "Excel macros"),
    ("does anyone know Go?", LEARN, "Go"),
    ("I want to improve my negotiation skills", LEARN, "negotiation skills"),
    ("can anybody explain Kubernetes operators?", LEARN, "Kubernetes operators"),
    ("I'm struggling with SQL joins", LEARN, "SQL joins"),
    ("I wish I knew more about statistics", LEARN, "statistics"),
    ("would love some guidance on product management", LEARN, "product management"),
    ("teach me how to use Jira", LEARN, "Jira"),
    ("I need to learn Spanish for a trip", LEARN, None),
    ("Who can help me with React hooks?", LEARN, "React hooks"),
    ("I'm pretty good at Python, happy to help anyone", TEACH, "Python"),
    ("I could mentor people on design systems", TEACH, "design systems"),
    ("feel free to ask me about AWS", TEACH, "AWS"),
    ("I'd be glad to run a session on Git", TEACH, "Git"),
    ("I have ten years of experience with Java", TEACH, "Java"),
    ("I know Terraform inside out", TEACH, "Terraform"),
    ("Count me in as a teacher for Excel", TEACH, "Excel"),
    ("I can give an intro to Docker", TEACH, "Docker"),
    ("I'm an expert in data visualization", TEACH, "data visualization"),
    ("I'd love to teach Japanese", TEACH, "Japanese"),
    ("I'm happy to share what I know about UX research", TEACH, "UX research"),
    ("Can help with Kotlin", TEACH, "Kotlin"),
    ("I'm fluent in Spanish and can help", TEACH, "Spanish"),
    ("willing to coach on public speaking", TEACH, "public speaking"),
    ("I can explain Kubernetes networking to anyone interested", TEACH, "Kubernetes networking"),
    ("GraphQL", UNCLEAR, "GraphQL"),
    ("sourdough baking", UNCLEAR, "sourdough baking"),
    ("Terraform modules", UNCLEAR, "Terraform modules"),
    ("negotiation", UNCLEAR, "negotiation"),
    ("kafka streams", UNCLEAR, "kafka streams"),
    ("hey!", Kind.GREETING, ""),
    ("good afternoon", Kind.GREETING, ""),
    ("what can you do?", Kind.HELP, ""),
    ("how does this work", Kind.HELP, ""),
    ("thank you so much", Kind.THANKS, ""),
    ("yo", Kind.GREETING, ""),
    ("hello peerlearn", Kind.GREETING, ""),
    ("```SELECT * FROM t```", Kind.CODE, ""),
    ("https://example.com/docs", Kind.LINK, ""),
    (":wave: :smile:", Kind.EMOJI, ""),
    ("🎉🎉", Kind.EMOJI, ""),
    ("Je voudrais apprendre le piano", Kind.FOREIGN, None),
    ("Ich kann Excel unterrichten", Kind.FOREIGN, None),
    ("Quero aprender Python", Kind.FOREIGN, None),
    ("Я хочу изучать Python", Kind.FOREIGN, None),
    ("<@U123ABC>", Kind.MENTION, ""),
    ("x " * 400, Kind.TOO_LONG, ""),
]


def _matches(text: str, kind: Kind, topic: str | None) -> bool:
    found = read(text)
    return found.kind is kind and (topic is None or found.topic == topic)


@pytest.mark.parametrize(("text", "kind", "topic"), TUNED)
def test_tuned_phrasings(text: str, kind: Kind, topic: str) -> None:
    assert read(text) == Intent(kind, topic)


def test_held_out_phrasings_are_read_right_nine_times_in_ten() -> None:
    misses = [text for text, kind, topic in HELD_OUT if not _matches(text, kind, topic)]
    print(f"held out: {len(HELD_OUT) - len(misses)}/{len(HELD_OUT)}; missed: {misses}")
    assert len(misses) <= len(HELD_OUT) // 10, misses


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", Kind.GREETING),
        ("Hello there!", Kind.GREETING),
        ("good morning team", Kind.GREETING),
        ("help", Kind.HELP),
        ("help?", Kind.HELP),
        ("hi, what can you do?", Kind.HELP),
        ("thanks!", Kind.THANKS),
        ("ok", Kind.THANKS),
        ("cheers", Kind.THANKS),
        ("```def f():\n    return 1```", Kind.CODE),
        ("can someone explain this? ```x = 1```", Kind.CODE),  # code is never read as a topic
        ("<https://example.com|the docs>", Kind.LINK),
        ("https://a.example https://b.example", Kind.LINK),
        (":tada:", Kind.EMOJI),
        ("👍", Kind.EMOJI),
        ("<@U123> <#C456|general>", Kind.MENTION),
        ("who knows <@UPRIYA>?", Kind.MENTION),  # a person, not a topic
        ("Hola, quiero aprender kubernetes", Kind.FOREIGN),
        ("日本語を勉強したいです", Kind.FOREIGN),
        ("Русский язык", Kind.FOREIGN),
        ("???", Kind.EMPTY),
        ("x" * (MAX_CHARS + 1), Kind.TOO_LONG),
    ],
)
def test_what_is_no_ask(text: str, kind: Kind) -> None:
    assert read(text).kind is kind


def test_slack_encoded_text_is_read_as_typed() -> None:
    assert read("I can teach R&amp;D &lt;fast&gt;") == Intent(TEACH, "R&D")
    assert read("who knows c++") == Intent(LEARN, "c++")


@pytest.mark.parametrize(
    ("said", "listed"),
    [
        ("Python and SQL", "Python, SQL"),
        ("Python, SQL and Excel", "Python, SQL, Excel"),
        ("Python, SQL, and Excel", "Python, SQL, Excel"),
        ("Docker & Kubernetes", "Docker, Kubernetes"),
        ("P&L", "P&L"),
        ("kubernetes", "kubernetes"),
    ],
)
def test_a_list_said_in_words(said: str, listed: str) -> None:
    assert as_list(said) == listed


def test_words_from_a_message_are_always_a_topic_never_a_subcommand() -> None:
    assert learn_ask("done deals") == Learn("done deals")
    assert teach_offer("pause") == Teach(("pause",))
    assert teach_offer("python level: expert -- ask me") == Teach(("python",), Level.EXPERT, "ask me", "python")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("I don't want to learn java", "java"),
        ("I can't teach python", "python"),
        ("I won't teach SQL", "SQL"),
        ("I'm not interested in golf", "golf"),
        ("not interested in golf", "golf"),
        ("I'd rather not learn java", "java"),
        ("no need to learn java", "java"),
        ("I don't need help with Excel", "Excel"),
    ],
)
def test_a_negated_ask_is_no_ask(text: str, topic: str) -> None:
    assert read(text) == Intent(Kind.NEGATED, topic)


def test_not_knowing_is_still_an_ask_to_learn() -> None:
    assert read("I don't know anything about kafka") == Intent(LEARN, "kafka")
    assert read("I don't really understand kubernetes") == Intent(LEARN, "kubernetes")


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes!",
        "no",
        "nope",
        "sure",
        "maybe",
        "15:00",
        "3pm",
        "tomorrow at 3?",
        "next monday",
        "not now",
        "that works for me",
        "2024-05-01",
        "friday 10:30",
        "lol",
    ],
)
def test_replies_meant_for_a_conversation_are_no_topic(text: str) -> None:
    assert read(text) == Intent(Kind.REPLY)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("how do we deploy to production", "deploy to production"),
        ("who knows where the printer is?", "where the printer is"),
        ("any tips on the coffee machine?", "coffee machine"),
    ],
)
def test_a_question_is_learning_only_if_its_words_name_a_known_topic(text: str, topic: str) -> None:
    assert read(text) == Intent(Kind.QUESTION, topic)  # the service decides, knowing the catalog


def test_two_asks_in_one_message_are_both_read() -> None:
    said = read("I want to learn kubernetes and I can teach Excel")
    assert said == Intent(LEARN, "kubernetes", also=(Intent(TEACH, "Excel"),))
    assert read("I can teach Go. I'd like to learn Rust").also == (Intent(LEARN, "Rust"),)
    assert read("Hi! I want to learn Go. Any pointers?") == Intent(LEARN, "Go")  # a topic-less afterthought adds none
