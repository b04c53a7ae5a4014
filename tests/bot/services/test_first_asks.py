"""/learn from someone asking for the first time (their member row is written last, with their need), and answers
remembered only while a workspace's topics stay as they were."""

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from bot.grammar import Teach
from bot.services import learning, teaching
from bot.services.catalog import Catalog
from bot.services.learning import DidYouMean, LearnResult, NotATopic
from bot.services.scope import Scope
from store.db import make_sessions
from store.models import Member, Need
from store.repos import Repos

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def teach(engine: Engine, catalog: Catalog, user: str, *topics: str) -> None:
    with make_sessions(engine).begin() as session:
        teaching.offer_topics(
            Scope("T1", user, datetime.now(UTC), Repos(session), catalog), command=Teach(topics, None, None)
        )


def learn(engine: Engine, catalog: Catalog, learner: str, text: str) -> object:
    with make_sessions(engine).begin() as session:
        return learning.declare_need(Scope("T1", learner, NOW, Repos(session), catalog), text=text)


def members(engine: Engine) -> list[str]:
    with make_sessions(engine)() as session:
        return sorted(session.scalars(select(Member.user_id)))


def test_a_first_ask_creates_the_member_with_the_need_and_finds_the_same_experts(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "kubernetes")
    first = learn(engine, catalog, "UBOB", "intro to kubernetes")
    again = learn(engine, catalog, "UBOB", "kubernetes")
    assert isinstance(first, LearnResult) and isinstance(again, LearnResult)
    assert [c.user_id for c in first.experts] == [c.user_id for c in again.experts] == ["UALICE"]
    assert (first.created, again.created, first.need_id) == (True, False, again.need_id)
    assert members(engine) == ["UALICE", "UBOB"]
    with make_sessions(engine)() as session:
        need = session.scalars(select(Need)).one()
        assert (need.member.user_id, need.raw_text) == ("UBOB", "intro to kubernetes")


def test_a_first_ask_that_saves_nothing_still_creates_the_member(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "terraform", "hcl")
    assert isinstance(learn(engine, catalog, "UCARA", "basics"), NotATopic)
    assert isinstance(learn(engine, catalog, "UDAN", "terafrom"), DidYouMean)
    assert members(engine) == ["UALICE", "UCARA", "UDAN"]


def test_a_first_ask_for_a_topic_nobody_teaches_is_saved_under_it(engine: Engine) -> None:
    catalog = Catalog()
    result = learn(engine, catalog, "UBOB", "intro to our billing API")
    assert isinstance(result, LearnResult)
    assert (result.topic, result.experts, result.yourself, result.away) == ("billing API", [], False, 0)


def test_a_remembered_answer_changes_when_the_workspace_learns_a_topic(engine: Engine) -> None:
    catalog = Catalog()
    teach(engine, catalog, "UALICE", "rust")
    with make_sessions(engine).begin() as session:
        before = catalog.resolve(Repos(session), "T1", "zorblax")
        assert catalog.resolve(Repos(session), "T1", "zorblax") is before  # remembered
    assert not before.confident
    teach(engine, catalog, "UBOB", "zorblax")  # a topic of its own, taught here from now on
    with make_sessions(engine).begin() as session:
        after = catalog.resolve(Repos(session), "T1", "zorblax")
    assert [hit.topic for hit in after.confident] == ["zorblax"]
