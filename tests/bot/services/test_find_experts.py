"""/learn as a plain service on a real database: the need goes under the topic the ask names, with its experts."""

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from bot.grammar import Teach
from bot.services import learning, teaching
from bot.services.catalog import Catalog
from bot.services.learning import AS_TYPED, DidYouMean, LearnResult, NotATopic
from bot.services.scope import Scope
from store.db import make_sessions
from store.models import Need, Topic, TopicAlias
from store.repos import Repos

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def teach(engine: Engine, catalog: Catalog, user: str, *topics: str) -> None:
    with make_sessions(engine).begin() as session:
        teaching.offer_topics(
            Scope("T1", user, datetime.now(UTC), Repos(session), catalog), command=Teach(topics, None, None)
        )


def learn(engine: Engine, catalog: Catalog, learner: str, text: str, choice: str | None = None) -> object:
    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        return learning.declare_need(
            Scope("T1", learner, NOW, repos, catalog), text=text, choice=choice, confirm_alias=True
        )


def test_a_phrasing_a_typo_and_an_alias_find_the_same_topic_and_need(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "k8s")
    for text in ("intro to kubernetes", "kubernets", "Kubernetes basics please"):
        result = learn(engine, catalog, "UBOB", text)
        assert isinstance(result, LearnResult)
        assert (result.topic, [card.user_id for card in result.experts]) == ("Kubernetes", ["UALICE"])
    with make_sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Need)) == 1  # one need per topic
        assert session.scalars(select(Topic.label)).all() == ["Kubernetes"]
        assert session.scalars(select(Need.raw_text)).one() == "intro to kubernetes"


def test_an_ask_naming_two_topics_takes_the_one_taught_and_says_so(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "data analysis")
    result = learn(engine, catalog, "UBOB", "python for data analysis")
    assert isinstance(result, LearnResult)
    assert result.topic == "Data analysis" and [c.label for c in result.also] == ["Python"]


def test_did_you_mean_saves_nothing_until_a_pick_which_teaches_the_alias(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "qmake")
    teach(engine, catalog, "UCAROL", "quake")
    asked = learn(engine, catalog, "UBOB", "qake")
    assert isinstance(asked, DidYouMean)
    assert {c.label for c in asked.choices} >= {"QMake", "Quake"}
    with make_sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Need)) == 0
    picked = learn(engine, catalog, "UBOB", "qake", choice="quake")
    assert isinstance(picked, LearnResult) and [c.user_id for c in picked.experts] == ["UCAROL"]
    mine = learn(engine, catalog, "UBOB", "qake")  # Bob's click taught Bob at once…
    assert isinstance(mine, LearnResult) and mine.topic == "Quake"
    assert isinstance(learn(engine, catalog, "UDAN", "qake"), DidYouMean)  # …but not yet the workspace
    with make_sessions(engine)() as session:
        assert session.scalars(select(TopicAlias.alias)).all() == []
    learn(engine, catalog, "UDAN", "qake", choice="quake")  # a second person, the same choice: agreed
    with make_sessions(engine)() as session:
        assert session.scalars(select(TopicAlias.alias)).all() == ["qake"]
    again = learn(engine, catalog, "UEVE", "qake")  # the workspace has learned what "qake" means here
    assert isinstance(again, LearnResult) and again.topic == "Quake"


def test_a_contested_choice_never_becomes_the_workspaces_alias(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "qmake")
    teach(engine, catalog, "UCAROL", "quake")
    learn(engine, catalog, "UBOB", "qake", choice="quake")
    learn(engine, catalog, "UDAN", "qake", choice="qmake")
    learn(engine, catalog, "UEVE", "qake", choice="quake")
    with make_sessions(engine)() as session:
        assert session.scalars(select(TopicAlias.alias)).all() == []
    assert isinstance(learn(engine, catalog, "UFAY", "qake"), DidYouMean)
    mine = learn(engine, catalog, "UDAN", "qake")
    assert isinstance(mine, LearnResult) and mine.topic == "QMake"


def test_none_of_these_keeps_the_persons_words_as_a_topic(engine: Engine) -> None:
    catalog = Catalog()
    result = learn(engine, catalog, "UBOB", "intro to our billing API", choice=AS_TYPED)
    assert isinstance(result, LearnResult) and result.topic == "billing API" and result.experts == []


def test_nothing_close_saves_the_topic_words_and_offers_related_topics_taught_here(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "kubernetes")
    result = learn(engine, catalog, "UBOB", "helm charts for beginners")
    assert isinstance(result, LearnResult)
    assert (result.topic, result.experts) == ("Helm", [])
    assert [c.label for c in result.related] == ["Kubernetes"]


def test_only_the_way_of_asking_saves_nothing(engine: Engine) -> None:
    result = learn(engine, Catalog(), "UBOB", "intro to")
    assert isinstance(result, NotATopic)
    with make_sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Need)) == 0


def test_teach_saves_every_topic_at_once_and_offers_what_an_unsure_one_may_be(engine: Engine) -> None:
    catalog = Catalog()
    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        command = Teach(("js", "K8S", "terraf", "Bookbinding", "Bass"), None, None)
        result = teaching.offer_topics(Scope("T1", "UA", datetime.now(UTC), repos, catalog), command=command)
        assert not isinstance(result, NotATopic)
        # Sure matches go under their one name; the rest are saved as typed, never stopped by a question.
        assert result.saved == ["JavaScript", "Kubernetes", "terraf", "Bookbinding", "Bass"]
        assert ("js", "JavaScript") in result.understood
        # Only the start of a name is offered afterwards; a word of its own ("Bass") is not questioned.
        assert [(u.asked, u.saved_as, [c.label for c in u.choices]) for u in result.uncertain] == [
            ("terraf", "terraf", ["Terraform"])
        ]


def test_related_topics_include_what_its_paused_teachers_teach(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "billing service", "go")
    with make_sessions(engine).begin() as session:
        teaching.set_paused(Scope("T1", "UALICE", datetime.now(UTC), Repos(session), catalog), paused=True)
    teach(engine, catalog, "UCARA", "go")  # Alice is paused; Cara teaches Go and can be asked
    result = learn(engine, catalog, "UBOB", "billing service")
    assert isinstance(result, LearnResult) and result.experts == []
    assert [c.label for c in result.related] == ["Go"]
