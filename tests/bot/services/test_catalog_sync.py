"""Two replicas, one database: a topic taught and an alias learned through one are found through the other."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.grammar import Teach
from bot.matcher import key
from bot.services import teaching
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from store.db import make_sessions
from store.repos import Repos


def test_a_replica_finds_what_another_one_added(engine: Engine) -> None:
    sessions = make_sessions(engine)
    first, second = Catalog(sync_every=0), Catalog(sync_every=3600, miss_recheck=3600)
    with sessions.begin() as session:
        assert second.topic_id(Repos(session), "T1", "billing api") is None  # loaded: nothing taught yet

    with sessions.begin() as session:
        repos = Repos(session)
        command = Teach(("our billing API",), None, None)
        teaching.offer_topics(Scope("T1", "UA", datetime.now(UTC), repos, first), command=command)
        topic = repos.topics.by_name("T1", key("billing API"))
        assert topic is not None
        for chooser in (repos.members.ensure("T1", "UB"), repos.members.ensure("T1", "UC")):  # two agree
            first.learn_alias(repos, "T1", "invoices service", topic, chooser.id)

    with sessions() as session:
        assert second.resolve(Repos(session), "T1", "billing api").best is None  # it looks every hour only
    second.sync_every = 0
    with sessions() as session:
        repos = Repos(session)
        assert second.topic_id(repos, "T1", topic.name) == topic.id
        found = second.resolve(repos, "T1", "invoices service")  # the alias another replica learned
        assert found.best is not None and found.best.topic == topic.name


def test_an_ask_naming_nothing_known_looks_for_new_topics_at_once(engine: Engine) -> None:
    """A worker answering /learn a moment after another took the /teach must not say "nobody teaches"."""
    sessions = make_sessions(engine)
    first, second = Catalog(sync_every=0), Catalog(sync_every=3600, miss_recheck=0)
    with sessions.begin() as session:
        assert second.topic_id(Repos(session), "T1", key("billing api")) is None

    with sessions.begin() as session:
        command = Teach(("our billing API",), None, None)
        teaching.offer_topics(Scope("T1", "UA", datetime.now(UTC), Repos(session), first), command=command)

    with sessions() as session:
        repos = Repos(session)
        found = second.resolve(repos, "T1", "billing api")  # a miss here: looked up at once
        assert found.best is not None and found.best.topic == key("billing api")
        assert second.topic_id(repos, "T1", key("billing api")) is not None


def test_a_topic_or_alias_of_a_transaction_that_rolls_back_is_never_found(engine: Engine) -> None:
    sessions = make_sessions(engine)
    catalog = Catalog()

    def teach_then_fail() -> None:
        with sessions.begin() as session:
            command = Teach(("Bookbinding",), None, None)
            teaching.offer_topics(Scope("T1", "UA", datetime.now(UTC), Repos(session), catalog), command=command)
            raise RuntimeError("the transaction fails after the topic was added")

    with pytest.raises(RuntimeError):
        teach_then_fail()
    with sessions() as session:
        repos = Repos(session)
        assert catalog.topic_id(repos, "T1", key("Bookbinding")) is None
        assert catalog.resolve(repos, "T1", "bookbinding").best is None
    with sessions.begin() as session:  # the same words, saved this time, are found at once
        teaching.offer_topics(
            Scope("T1", "UA", datetime.now(UTC), Repos(session), catalog), command=Teach(("Bookbinding",), None, None)
        )
    with sessions() as session:
        found = catalog.resolve(Repos(session), "T1", "bookbinding").best
        assert found is not None and found.topic == key("Bookbinding")
