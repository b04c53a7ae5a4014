"""Two replicas, one database: a topic taught and an alias learned through one are found through the other."""

from sqlalchemy import Engine

from bot.grammar import Teach
from bot.services import learning
from bot.services.catalog import Catalog
from store.db import make_sessions
from store.repos import Repos


def test_a_replica_finds_what_another_one_added(engine: Engine) -> None:
    sessions = make_sessions(engine)
    first, second = Catalog(sync_every=0), Catalog(sync_every=3600)
    with sessions.begin() as session:
        assert second.search(Repos(session), "T1", "terraform") == []  # loaded, and nothing is taught yet

    with sessions.begin() as session:
        repos = Repos(session)
        learning.offer_topics(repos, first, team_id="T1", user_id="UA", command=Teach(("terraform",), None, None))
        topic = repos.topics.by_name("T1", "terraform")
        assert topic is not None
        first.learn_alias(repos, "T1", "tf stacks", topic)

    with sessions() as session:
        assert second.search(Repos(session), "T1", "terraform") == []  # this replica looks every hour only
    second.sync_every = 0
    with sessions() as session:
        hits = second.search(Repos(session), "T1", "terraform")
        assert [hit.topic_id for hit in hits][:1] == [topic.id]
        assert second.normalise("tf stacks", "T1") == "terraform"  # the alias another replica learned
