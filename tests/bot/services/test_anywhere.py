"""bot/services/anywhere.py on a real database: what plain words name, before /learn and /teach take over."""

from sqlalchemy import Engine

from bot.services import anywhere
from tests.bot.services.world import World


def test_the_topics_a_message_names_surest_first_links_set_aside(engine: Engine) -> None:
    world = World(engine)
    world.teach("UALICE", "kubernetes", "helm")
    found = world.run(
        lambda r: anywhere.topics_in(
            world.scope(r),
            text="move billing to k8s with helm, see <https://x.io|go>",
        )
    )
    assert set(found) == {"Kubernetes", "Helm"}
    assert world.run(lambda r: anywhere.topics_in(world.scope(r), text="lunch at noon?")) == []
    assert world.run(lambda r: anywhere.topics_in(world.scope(r), text="<https://x.io>")) == []


def test_words_without_a_verb_may_be_a_topic_a_sentence_is_not(engine: Engine) -> None:
    world = World(engine)

    def names(words: str) -> bool:
        return world.run(lambda r: anywhere.names_a_topic(world.scope(r), words=words))

    assert names("kubernetes") and names("sashiko stitching")  # known, or short enough to be a name of its own
    assert not names("meeting moved to 3pm tomorrow in the big room")
    assert not names("please")


def test_a_list_said_in_words_is_several_topics_when_a_part_is_surely_one(engine: Engine) -> None:
    world = World(engine)

    def offered(words: str) -> str:
        return world.run(lambda r: anywhere.teach_text(world.scope(r), words=words))

    assert offered("Python and SQL") == "Python, SQL"
    assert (
        offered("React, Vue and Svelte -- happy to pair and review") == "React, Vue, Svelte -- happy to pair and review"
    )
    assert offered("Python and SQL level: expert") == "Python, SQL level: expert"
    assert offered("research and development") == "research and development"  # no part is surely a topic
    assert offered("kubernetes") == "kubernetes"


def test_a_message_is_claimed_once_by_its_channel_and_ts(engine: Engine) -> None:
    world = World(engine)

    def claim(channel: str, ts: str) -> bool:
        return world.run(lambda r: anywhere.first_time(world.scope(r, "UALICE"), channel=channel, ts=ts))

    assert claim("D1", "1.1")
    assert not claim("D1", "1.1")  # the same message delivered again, under another event id
    assert claim("D1", "1.2") and claim("C9", "1.1")
