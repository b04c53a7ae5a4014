"""Which teachers /learn shows: the narrow top-band search first, the wide fuzzy one only when it is short."""

from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.grammar import Teach
from bot.services import learning
from bot.services.catalog import Catalog
from store.db import make_sessions
from store.repos import Repos

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _teach(repos: Repos, catalog: Catalog, user: str, topic: str) -> None:
    learning.offer_topics(repos, catalog, team_id="T1", user_id=user, command=Teach((topic,), None, None))


def _shown(engine: Engine, catalog: Catalog, learner: str, topic: str) -> list[str]:
    with make_sessions(engine).begin() as session:
        result = learning.declare_need(Repos(session), catalog, team_id="T1", user_id=learner, topic=topic, now=NOW)
        return [card.user_id for card in result.experts]


def test_a_topic_level_with_the_exact_one_competes_on_fairness(engine: Engine) -> None:
    catalog = Catalog()
    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        for user in ("U1", "U2", "U3"):
            _teach(repos, catalog, user, "data pipeline")
        _teach(repos, catalog, "U4", "pipeline data")  # the same words: scores 100, like the exact topic
        need = learning.declare_need(repos, catalog, team_id="T1", user_id="UX", topic="data pipeline", now=NOW)
        for user in ("U1", "U2", "U3"):  # each exact-topic teacher already has an open ask
            expert = repos.members.get("T1", user)
            stored = repos.needs.get("T1", need.need_id)
            assert expert is not None and stored is not None
            repos.matches.propose(stored, expert, None, by_expert=False)
    # The three exact teachers fill the top band on their own, but U4, as close and not busy, ranks first.
    assert _shown(engine, catalog, "UL", "data pipeline")[0] == "U4"


def test_the_wide_search_fills_in_only_when_the_top_band_is_short(engine: Engine) -> None:
    catalog = Catalog()
    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        _teach(repos, catalog, "U1", "kubernetes")
        _teach(repos, catalog, "U9", "kubernete")  # a typo'd topic: scores 95, the band below
    assert _shown(engine, catalog, "UL", "kubernetes") == ["U1", "U9"]

    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        for user in ("U2", "U3"):
            _teach(repos, catalog, user, "kubernetes")
    assert sorted(_shown(engine, catalog, "UM", "kubernetes")) == ["U1", "U2", "U3"]
