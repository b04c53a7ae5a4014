"""Group slots ask one host at a time, and only someone who can host: an invitation nobody answered says so when
it is finally clicked, one whose expert paused or opted out since cannot be used, and learners who took a seat in
a slot do not bring a second host once it starts. Through signed requests and the scheduler's real jobs."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import InviteStatus
from bot.scheduler import Scheduler
from store.models import LearningSession, SlotInvite
from tests.bot.jobs.test_slots import CHANNEL, LEARNERS, invitation, slot_form, wanted
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import said

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def invites(deps: Deps) -> list[tuple[str, InviteStatus]]:
    with deps.db() as session:
        found = session.scalars(select(SlotInvite).order_by(SlotInvite.id)).all()
        return [(i.expert.user_id, i.status) for i in found]


def invited_alice(slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler) -> str:
    """Three learners wait for Rust; Alice, its only teacher, is invited; then Eve teaches it too."""
    wanted(slack, deps, fake_slack)
    assert scheduler.run_all()["slot-invitations"] == 1
    fake_slack.add_user("UEVE", "Eve", tz="Europe/Paris")
    slack.command("/teach", "rust", user="UEVE")
    return invitation(fake_slack)


def latest_update(fake: FakeSlack) -> str:
    return json.dumps(fake.calls_to("chat.update")[-1].args["blocks"])


def test_an_invitation_nobody_answered_says_it_expired_and_only_then_is_the_next_host_asked(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    invite = invited_alice(slack, deps, fake_slack, scheduler)
    with time_machine.travel(NOW + timedelta(hours=47), tick=False):
        assert scheduler.run_all()["slot-invitations"] == 0  # Alice still has the topic: one host at a time
    with time_machine.travel(NOW + timedelta(hours=48, minutes=5), tick=False):
        assert scheduler.run_all()["slot-invitations"] == 1
        assert invites(deps) == [("UALICE", InviteStatus.EXPIRED), ("UEVE", InviteStatus.INVITED)]

        slack.click("UALICE", ids.SLOT_NOT_NOW, invite, channel="DALICE", ts="3.3")
        closed = latest_update(fake_slack)
        assert "waited 48 hours without an answer" in closed and "already answered" not in closed
        assert ids.SLOT_HOST not in closed  # its buttons are gone
        slack.click("UALICE", ids.SLOT_HOST, invite, channel="DALICE", ts="3.3")
        assert fake_slack.calls_to("views.open") == []  # no slot form from an expired invitation
        assert invites(deps) == [("UALICE", InviteStatus.EXPIRED), ("UEVE", InviteStatus.INVITED)]


def test_someone_who_opted_out_cannot_host_from_an_old_invitation_and_the_next_host_is_asked(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    invite = invited_alice(slack, deps, fake_slack, scheduler)
    slack.click("UALICE", ids.SLOT_HOST, invite)  # she opens the form first…
    slack.click("UALICE", ids.HOME_OPT_OUT, "out")  # …then opts out of peerlearn

    refused = slack.submit("UALICE", ids.SLOT_MODAL, invite, slot_form())
    assert "paused or opted out" in refused.json["errors"]["date"]
    slack.click("UALICE", ids.SLOT_HOST, invite, channel="DALICE", ts="3.3")
    assert "paused or opted out" in latest_update(fake_slack)
    with deps.db() as session:
        assert session.scalars(select(LearningSession)).all() == []

    assert scheduler.run_all()["slot-invitations"] == 1  # asked at once, not after 48 hours
    assert invites(deps) == [("UALICE", InviteStatus.EXPIRED), ("UEVE", InviteStatus.INVITED)]


def test_a_paused_expert_gives_the_topic_to_the_next_host_and_is_never_invited_again(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    invited_alice(slack, deps, fake_slack, scheduler)
    slack.click("UEVE", ids.HOME_PAUSE, "pause")  # Eve pauses before anyone asks her
    slack.click("UALICE", ids.HOME_PAUSE, "pause")
    assert scheduler.run_all()["slot-invitations"] == 0  # nobody left who can host
    assert invites(deps) == [("UALICE", InviteStatus.EXPIRED)]
    slack.click("UEVE", ids.HOME_PAUSE, "resume")
    assert scheduler.run_all()["slot-invitations"] == 1
    assert invites(deps) == [("UALICE", InviteStatus.EXPIRED), ("UEVE", InviteStatus.INVITED)]


def test_learners_with_a_seat_do_not_bring_a_second_host_when_the_slot_starts(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    invite = invited_alice(slack, deps, fake_slack, scheduler)
    slack.submit("UALICE", ids.SLOT_MODAL, invite, slot_form(seats="3"))
    with deps.db() as session:
        slot = session.scalars(select(LearningSession)).one()
    assert slot.starts_at is not None
    for learner in LEARNERS:
        slack.click(learner, ids.SLOT_JOIN, str(slot.id), channel=CHANNEL)
        assert "You're in" in said(fake_slack)

    with time_machine.travel(slot.starts_at + timedelta(minutes=5), tick=False):
        assert scheduler.run_all()["slot-invitations"] == 0  # the same learners: no second host
    assert invites(deps) == [("UALICE", InviteStatus.HOSTED)]
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UEVE"]
