"""Kudos for a session endorse the expert for its topic: given from the follow-up or as a reaction in the
session's group DM. The limits count them like any kudos, and removing the reaction takes the endorsement back."""

import csv
import io
import json

from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.ops.export import export
from store.models import Kudos, LearningSession
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_kudos import reaction
from tests.handlers.test_matching_flow import ask_first_expert, buttons, last_dm, proposal
from tests.handlers.test_workspace_settings import home_of


def session_with(slack: SlackDriver, deps: Deps, expert: str, learner: str, topic: str) -> tuple[str, str]:
    """`learner` and `expert` meet about `topic` ("just chat"); (session id, its group DM)."""
    slack.command("/teach", topic, user=expert)
    ask_first_expert(slack, learner, topic)
    match_id = buttons(last_dm(slack.fake, expert).args["blocks"])[ids.ACCEPT][0]
    slack.click(expert, ids.ACCEPT, match_id)
    slack.submit(expert, ids.PROPOSE_MODAL, match_id, proposal(chat=True))
    with deps.db() as session:
        booked = session.scalars(select(LearningSession).order_by(LearningSession.id.desc())).first()
        assert booked is not None and booked.channel_id
        return str(booked.id), booked.channel_id


def endorsements(deps: Deps) -> list[tuple[str, int | None]]:
    with deps.db() as session:
        return sorted((k.message_ts, k.topic_id) for k in session.scalars(select(Kudos)))


def test_kudos_from_the_follow_up_or_the_group_dm_endorse_for_the_topic(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    session_id, group = session_with(slack, deps, "UALICE", "UBOB", "kubernetes")
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)  # the follow-up's button
    with deps.db() as session:
        topic = session.scalars(select(LearningSession.topic_id)).one()
    assert endorsements(deps) == [(f"session-{session_id}", topic)]

    # Cara thanks Alice in the group DM of her own session on SQL: an endorsement for SQL.
    _, cara_group = session_with(slack, deps, "UALICE", "UCARA", "sql")
    slack.event(
        reaction("reaction_added", "UCARA", "UALICE", ts="7.7")
        | {"item": {"type": "message", "channel": cara_group, "ts": "7.7"}}
    )
    # A thank-you anywhere else is a kudos, not an endorsement.
    slack.event(reaction("reaction_added", "UCARA", "UALICE", ts="8.8"))
    given = endorsements(deps)
    assert len(given) == 3 and sum(1 for _, topic_id in given if topic_id is None) == 1

    home = home_of(slack, "UALICE")
    assert "Endorsed for *Kubernetes* by 1 colleague" in home and "*SQL* by 1 colleague" in home

    out = io.StringIO()
    export(deps.db, fake_slack.team_id, out)
    rows = {
        (r["user_id"], r["topic"]): r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["kind"] == "teaches"
    }
    assert rows[("UALICE", "Kubernetes")]["endorsed_by"] == "1" and rows[("UALICE", "SQL")]["endorsed_by"] == "1"

    # Taking the reaction back takes the endorsement with it.
    slack.event(
        reaction("reaction_removed", "UCARA", "UALICE", ts="7.7")
        | {"item": {"type": "message", "channel": cara_group, "ts": "7.7"}}
    )
    assert "*SQL* by" not in home_of(slack, "UALICE")
    assert group  # the first session's group DM exists too


def test_a_reaction_in_a_group_dm_by_someone_not_in_the_session_endorses_nothing(
    slack: SlackDriver, deps: Deps
) -> None:
    _, group = session_with(slack, deps, "UALICE", "UBOB", "kubernetes")
    slack.event(
        reaction("reaction_added", "UCARA", "UALICE", ts="3.3")
        | {"item": {"type": "message", "channel": group, "ts": "3.3"}}
    )
    assert [topic for _, topic in endorsements(deps)] == [None]


def test_an_endorsement_for_the_asked_topic_ranks_ahead_of_general_kudos_and_shows_on_the_card(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    for user, name in (("UDAN", "Dan"), ("UERIN", "Erin"), ("UFRED", "Fred"), ("UGUS", "Gus")):
        fake_slack.add_user(user, name, tz="Europe/Berlin")
    # Alice and Dan each held one session, so fairness sees them alike: Alice's on Kubernetes, Dan's on SQL.
    alice_session, _ = session_with(slack, deps, "UALICE", "UBOB", "kubernetes")
    session_with(slack, deps, "UDAN", "UCARA", "sql")
    slack.command("/teach", "kubernetes", user="UDAN")
    slack.click("UBOB", ids.GIVE_KUDOS, alice_session)  # one endorsement for Kubernetes
    for giver, ts in (("UFRED", "5.1"), ("UGUS", "5.2")):  # two general thank-yous for Dan
        slack.event(reaction("reaction_added", giver, "UDAN", ts=ts))

    cards = json.dumps(slack.command("/learn", "kubernetes", user="UERIN").json["blocks"])
    assert cards.index("<@UALICE>") < cards.index("<@UDAN>")
    assert "endorsed for *Kubernetes* by 1 colleague" in cards
    assert cards.count("endorsed for") == 1  # Dan's kudos were for nothing in particular
