"""Group slots: three learners wait → an expert is invited → the slot is announced → Join / Leave with a live
count, capacity respected, participants recorded, reminded like any session."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import SessionKind
from bot.scheduler import Scheduler
from store.models import LearningSession, Member, SessionParticipant, SlotInvite
from store.repos import Repos
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import buttons, last_dm, said

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHANNEL = "CLEARN"
LEARNERS = ("UBOB", "UCARA", "UDAN")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def slot_form(day: str = "2026-11-25", clock: str = "15:00", minutes: str = "60", seats: str = "2") -> dict:
    return {
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": clock}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": minutes}}},
        "capacity": {"value": {"type": "number_input", "value": seats}},
    }


def wanted(slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, learners: tuple[str, ...] = LEARNERS) -> None:
    fake_slack.add_user("UDAN", "Dan", tz="Europe/London")
    with deps.db.begin() as session:
        Repos(session).workspaces.ensure("T0PEERLRN").learning_channel = CHANNEL
    slack.command("/teach", "rust", user="UALICE")
    for learner in learners:
        slack.command("/learn", "rust", user=learner)


def invitation(fake_slack: FakeSlack) -> str:
    return buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.SLOT_HOST][0]


def announcement(fake_slack: FakeSlack) -> str:
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    updates = [c for c in fake_slack.calls_to("chat.update") if c.args["channel"] == CHANNEL]
    return json.dumps((updates or posts)[-1].args["blocks"])


def test_three_waiting_learners_bring_an_invitation_and_a_joinable_slot(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    wanted(slack, deps, fake_slack)
    assert scheduler.run_all()["slot-invitations"] == 1
    assert scheduler.run_all()["slot-invitations"] == 0  # waiting for her answer
    invite = invitation(fake_slack)
    assert "3 people" in json.dumps(last_dm(fake_slack, "UALICE").args["blocks"])

    slack.click("UALICE", ids.SLOT_HOST, invite)
    modal = fake_slack.calls_to("views.open")[-1].args["view"]
    assert modal["callback_id"] == ids.SLOT_MODAL and modal["private_metadata"] == invite

    bad = slack.submit("UALICE", ids.SLOT_MODAL, invite, slot_form(day="2026-11-20", seats="0"))
    assert set(bad.json["errors"]) == {"date", "capacity"}  # a day gone by: the date is what to change
    slack.submit("UALICE", ids.SLOT_MODAL, invite, slot_form())
    slack.submit("UALICE", ids.SLOT_MODAL, invite, slot_form())  # a double submit opens one slot
    with deps.db() as session:
        [slot] = session.scalars(select(LearningSession)).all()
    assert slot.kind is SessionKind.SLOT and slot.capacity == 2
    assert slot.starts_at == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 15:00 in Alice's Berlin
    assert "*0* going" in announcement(fake_slack) and "<!date^" in announcement(fake_slack)
    for learner in LEARNERS:  # each waiting learner hears of it, with a Join button of their own
        assert buttons(last_dm(fake_slack, learner).args["blocks"])[ids.SLOT_JOIN] == [str(slot.id)]

    value = str(slot.id)
    slack.click("UBOB", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "You're in" in said(fake_slack)
    slack.click("UBOB", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "already joined" in said(fake_slack)
    slack.click("UCARA", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "full" in announcement(fake_slack)
    slack.click("UDAN", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "is full" in said(fake_slack)
    slack.click("UALICE", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "You host" in said(fake_slack)
    slack.click("UBOB", ids.SLOT_LEAVE, value, channel=CHANNEL)
    assert "*1* going" in announcement(fake_slack)
    slack.click("UDAN", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "*2* going" in announcement(fake_slack)
    with deps.db() as session:
        joined = session.scalars(
            select(Member.user_id).join(SessionParticipant, SessionParticipant.member_id == Member.id)
        ).all()
    assert sorted(joined) == ["UCARA", "UDAN"]
    assert scheduler.run_all()["slot-invitations"] == 0  # a slot is coming: no second invitation

    with time_machine.travel(slot.starts_at - timedelta(minutes=10), tick=False):
        scheduler.run_all()
    reminded = {c.args["channel"] for c in fake_slack.calls_to("chat.postMessage") if "Starting in" in c.args["text"]}
    assert reminded == {"UALICE", "UCARA", "UDAN"}
    dan = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UDAN"][-1]
    assert "14:00\\u201315:00* your time (Europe/London)" in json.dumps(dan.args["blocks"])
    slack.click("UBOB", ids.SLOT_JOIN, value, channel=CHANNEL)
    assert "full" in said(fake_slack)
    with time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False):
        slack.click("UCARA", ids.SLOT_LEAVE, value, channel=CHANNEL)
    assert "already started" in said(fake_slack)


def test_not_now_moves_on_to_the_next_expert_and_two_learners_are_not_enough(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    wanted(slack, deps, fake_slack, learners=("UBOB", "UCARA"))
    assert scheduler.run_all()["slot-invitations"] == 0
    fake_slack.add_user("UEVE", "Eve")
    slack.command("/learn", "rust", user="UDAN")
    slack.command("/teach", "rust", user="UEVE")
    scheduler.run_all()
    with deps.db() as session:
        [first] = session.scalars(select(SlotInvite)).all()
    expert = first.expert.user_id
    slack.click(expert, ids.SLOT_NOT_NOW, str(first.id))
    assert "No group slot" in json.dumps(fake_slack.calls_to("chat.update")[-1].args["blocks"])
    slack.click(expert, ids.SLOT_HOST, str(first.id))
    assert said(fake_slack) == "You already answered that invitation: nothing changed."
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        scheduler.run_all()
    with deps.db() as session:
        experts = sorted(i.expert.user_id for i in session.scalars(select(SlotInvite)))
    assert experts == ["UALICE", "UEVE"]


def test_no_learning_channel_no_invitation(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user("UDAN", "Dan")
    slack.command("/teach", "rust", user="UALICE")
    for learner in LEARNERS:
        slack.command("/learn", "rust", user=learner)
    assert scheduler.run_all()["slot-invitations"] == 0


def test_the_host_form_never_starts_on_a_weekend(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    wanted(slack, deps, fake_slack)
    scheduler.run_all()
    # A Thursday: two days on is a Saturday, so the form starts on the Monday after.
    with time_machine.travel(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), tick=False):
        slack.click("UALICE", ids.SLOT_HOST, invitation(fake_slack))
    blocks = fake_slack.calls_to("views.open")[-1].args["view"]["blocks"]
    assert next(b for b in blocks if b.get("block_id") == "date")["element"]["initial_date"] == "2026-11-30"
