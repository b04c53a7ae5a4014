from datetime import date

import pytest
import time_machine
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from bot.domain import Level, MatchStatus, NeedStatus
from store.db import make_sessions
from store.models import Kudos, Member, Need, Offer
from store.repos import Repos, UserProfile
from tests import factories as make


@pytest.fixture
def repos(engine: Engine):
    with make_sessions(engine)() as session:
        yield Repos(session)
        session.rollback()


def test_member_ensure_is_idempotent_and_profile_refreshes(repos: Repos) -> None:
    first = repos.members.ensure("T1", "U1", "u1")
    second = repos.members.ensure("T1", "U1")
    assert first.id == second.id
    profile = UserProfile("U1", "Alice", "Europe/Berlin", is_bot=False, is_admin=True, deleted=True)
    member = repos.members.upsert_profile("T1", profile)
    assert (member.display_name, member.tz, member.is_admin, member.active) == ("Alice", "Europe/Berlin", True, False)
    assert member.refreshed_at is not None and member.refreshed_at.tzinfo is not None
    assert repos.db.scalar(select(func.count()).select_from(Member)) == 1


def test_same_user_id_in_two_workspaces_are_two_members(repos: Repos) -> None:
    assert repos.members.ensure("T1", "U1").id != repos.members.ensure("T2", "U1").id


def test_needs_keep_being_saved_once_the_driver_prepares_the_statement(repos: Repos) -> None:
    """psycopg prepares a statement on its fifth run: the upsert's partial-index match must survive that."""
    member = repos.members.ensure("T1", "U1")
    for i in range(12):
        topic = repos.topics.ensure("T1", f"topic {i}", f"Topic {i}")
        assert repos.needs.declare(member, topic, f"topic {i}")[1]
        assert not repos.needs.declare(member, topic, f"topic {i} again")[1]


def test_need_is_declared_once_per_live_topic(repos: Repos) -> None:
    member = repos.members.ensure("T1", "U1")
    topic = repos.topics.ensure("T1", "kubernetes", "Kubernetes")
    need, created = repos.needs.declare(member, topic, "Kubernetes")
    again, created_again = repos.needs.declare(member, topic, "k8s")
    assert created and not created_again and need == again
    assert repos.needs.close(member, [topic.id], NeedStatus.CLOSED) == 1
    # Once closed, wanting it again is a new need.
    _, created_after_close = repos.needs.declare(member, topic, "kubernetes")
    assert created_after_close
    assert repos.db.scalar(select(func.count()).select_from(Need)) == 2


def test_offer_upsert_keeps_level_and_note_when_not_repeated(repos: Repos) -> None:
    member = repos.members.ensure("T1", "U1")
    topic = repos.topics.ensure("T1", "python", "Python")
    offer, created = repos.offers.upsert(member, topic, Level.EXPERT, "ask me")
    same, created_again = repos.offers.upsert(member, topic, None, None)
    assert created and not created_again
    assert (same.id, same.level, same.note) == (offer.id, Level.EXPERT, "ask me")
    assert repos.offers.remove(member, [topic.id]) == 1
    assert repos.db.scalar(select(func.count()).select_from(Offer)) == 0


def test_experts_for_leaves_out_paused_opted_out_and_inactive(repos: Repos) -> None:
    topic = repos.topics.ensure("T1", "sql", "SQL")
    for user, field in [("U1", None), ("U2", "paused"), ("U3", "opted_out"), ("U4", "active")]:
        member = repos.members.ensure("T1", user)
        if field == "active":
            member.active = False
        elif field:
            setattr(member, field, True)
        repos.offers.upsert(member, topic, None, None)
    experts = repos.offers.experts_for("T1", [topic.id])
    assert [offer.user_id for offer in experts] == ["U1"]
    assert repos.offers.experts_for("T2", [topic.id]) == []


def test_kudos_are_unique_per_giver_message_and_emoji(repos: Repos) -> None:
    giver, receiver = repos.members.ensure("T1", "U1"), repos.members.ensure("T1", "U2")
    day = date(2026, 11, 23)
    assert repos.kudos.add(giver, receiver, "C1", "1.1", "mortar_board", day)
    assert not repos.kudos.add(giver, receiver, "C1", "1.1", "mortar_board", day)
    assert repos.kudos.add(giver, receiver, "C1", "1.1", "clap", day)
    assert repos.stats.kudos_received(receiver.team_id, [receiver.id]) == {receiver.id: 2}
    assert repos.kudos.remove(giver, "C1", "1.1", "clap")
    assert not repos.kudos.remove(giver, "C1", "1.1", "clap")


def test_the_database_enforces_kudos_uniqueness(repos: Repos) -> None:
    """Not only the repository: a plain insert of a duplicate is refused by the constraint."""
    giver, receiver = repos.members.ensure("T1", "U1"), repos.members.ensure("T1", "U2")
    row = {
        "team_id": "T1",
        "giver_id": giver.id,
        "receiver_id": receiver.id,
        "channel_id": "C1",
        "message_ts": "1.1",
        "emoji": "mortar_board",
        "giver_day": date(2026, 11, 23),
    }
    repos.db.add(Kudos(**row))
    repos.db.flush()
    repos.db.add(Kudos(**row))
    with pytest.raises(IntegrityError):
        repos.db.flush()
    repos.db.rollback()


def test_processed_events_dedupe(repos: Repos) -> None:
    assert repos.events.first_time("T1", "Ev1")
    assert not repos.events.first_time("T1", "Ev1")


def test_a_match_keeps_the_time_of_its_first_answer(repos: Repos) -> None:
    learner, expert = make.member(repos, "U1"), make.member(repos, "U2")
    match = make.match(repos, make.need(repos, learner, make.topic(repos, "python", "Python")), expert)
    with time_machine.travel("2026-12-01 10:00Z", tick=False):
        assert repos.matches.decide(match, expected=MatchStatus.PROPOSED, to=MatchStatus.ACCEPTED)
    answered = match.decided_at
    with time_machine.travel("2026-12-03 10:00Z", tick=False):
        assert repos.matches.decide(match, expected=MatchStatus.ACCEPTED, to=MatchStatus.DONE)
    assert match.decided_at == answered and answered is not None and answered.day == 1
