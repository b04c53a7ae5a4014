"""Topics saved before a vocabulary release are put under the one name they have today, once."""

from sqlalchemy import Engine, select

from bot.domain import NeedStatus
from bot.services.catalog import Catalog
from bot.services.reconcile import reconcile_all
from store.db import make_sessions
from store.models import Need, Offer, Topic, TopicAlias, Workspace
from store.repos import Repos
from tests import factories as make


def seed(engine: Engine) -> None:
    """What an older release saved: a typo as its own topic, a label as first typed, a name from the old table."""
    with make_sessions(engine).begin() as session:
        repos = Repos(session)
        alice, bob = make.member(repos, "UALICE"), make.member(repos, "UBOB")
        typo = make.topic(repos, "kubernets")
        k8s = make.topic(repos, "kubernetes", "k8s")
        aws = make.topic(repos, "amazon web services")
        ours = make.topic(repos, "billing api", "billing API")
        make.offer(repos, alice, k8s)
        make.offer(repos, alice, typo, note="the same thing, typed twice")
        make.offer(repos, alice, aws)
        make.offer(repos, bob, ours)
        make.need(repos, bob, typo, "kubernets")
        make.need(repos, bob, k8s, "k8s")


def test_old_topics_move_under_todays_names_once(engine: Engine) -> None:
    seed(engine)
    sessions = make_sessions(engine)
    assert reconcile_all(sessions, Catalog()) == 3
    with sessions() as session:
        topics = {t.name: t.label for t in session.scalars(select(Topic))}
        assert topics == {"kubernetes": "Kubernetes", "aws": "AWS", "billing api": "billing API"}
        offers = session.scalars(select(Offer)).all()
        assert sorted((o.member.user_id, o.topic.label) for o in offers) == [
            ("UALICE", "AWS"),
            ("UALICE", "Kubernetes"),  # once, though Alice offered it under two names
            ("UBOB", "billing API"),
        ]
        needs = sorted((n.raw_text, n.topic.label, n.status) for n in session.scalars(select(Need)))
        assert needs == [("k8s", "Kubernetes", NeedStatus.OPEN), ("kubernets", "Kubernetes", NeedStatus.CANCELLED)]
        assert session.scalars(select(TopicAlias.alias)).all() == ["kubernets"]
        assert {w.vocabulary for w in session.scalars(select(Workspace))} != {None}
    assert reconcile_all(sessions, Catalog()) == 0  # done for this release: the next start does nothing
