"""Words and people: teachers never see a learner's name before the learner accepts their help; every message
about a deletion, a cancellation or a decline is worded for whoever reads it; an admin stays an admin after
deleting their data. Through signed requests, on SQLite and PostgreSQL."""

import json
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import NeedStatus
from store.models import Member, Need
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, confirm_time, last_dm, proposal, said

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def home_of(slack: SlackDriver, user: str) -> str:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"])


def dm_text(fake: FakeSlack, user: str) -> str:
    return json.dumps(last_dm(fake, user).args, ensure_ascii=False)


def offer(slack: SlackDriver, fake: FakeSlack) -> str:
    """Nina (Bob here) wants Go; Alice teaches it and offers help from the list /teach shows her."""
    slack.command("/learn", "go", user="UBOB")
    taught = slack.command("/teach", "go", user="UALICE")
    need_id = buttons(taught.json["blocks"])[ids.OFFER_HELP][0]
    slack.click("UALICE", ids.OFFER_HELP, need_id)
    return need_id


def test_offering_help_twice_or_after_a_decline_never_names_the_learner(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    need_id = offer(slack, fake_slack)
    slack.click("UALICE", ids.OFFER_HELP, need_id)
    assert said(fake_slack) == "You already offered to help with *Go*; they haven't answered yet."

    slack.click("UBOB", ids.DECLINE, buttons(last_dm(fake_slack, "UBOB").args["blocks"])[ids.DECLINE][0])
    thanks = dm_text(fake_slack, "UALICE")
    assert "Thanks a lot for offering" in thanks and "UBOB" not in thanks
    slack.click("UALICE", ids.OFFER_HELP, need_id)
    assert "UBOB" not in said(fake_slack) and "Thanks for offering" in said(fake_slack)


def test_a_learner_who_deletes_their_data_leaves_the_teacher_a_teachers_message(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    offer(slack, fake_slack)  # an offer Bob never accepted: Alice must not learn who it was for
    slack.command("/teach", "sql", user="UCARA")
    ask_first_expert(slack, "UBOB", "sql")  # a request Bob made himself: Cara knows who asked
    slack.click("UBOB", ids.HOME_DELETE_DATA, "delete")

    to_alice = dm_text(fake_slack, "UALICE")
    assert "UBOB" not in to_alice and "your offer is closed" in to_alice and "Nothing for you to do" in to_alice
    assert "/learn" not in to_alice  # the teacher is not told to find a teacher
    to_cara = dm_text(fake_slack, "UCARA")
    assert "<@UBOB> deleted their peerlearn data, so their request about *SQL* is closed" in to_cara
    assert "/learn" not in to_cara and "`/teach` shows who else wants to learn" in to_cara


@time_machine.travel(MONDAY, tick=False)
def test_a_teacher_who_deletes_their_data_leaves_the_learner_a_learners_message_and_an_open_need(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal())
    confirm_time(slack, fake_slack, "UBOB")
    slack.click("UALICE", ids.HOME_DELETE_DATA, "delete")

    to_bob = dm_text(fake_slack, "UBOB")
    assert "<@UALICE> deleted their peerlearn data, so your session on *SQL*" in to_bob and "is off" in to_bob
    assert "`/learn SQL` shows who else teaches it" in to_bob and "/teach" not in to_bob
    with deps.db() as session:
        assert session.scalars(select(Need.status)).one() == NeedStatus.OPEN  # not "matched" with nobody

    # A teacher who offered help and then left: the learner's waiting Accept/Decline says so, as an offer.
    offer(slack, fake_slack)  # Alice is back (her /teach) and offers Go to Bob
    waiting = last_dm(fake_slack, "UBOB")
    slack.click("UALICE", ids.HOME_DELETE_DATA, "delete")
    updated = [c.args for c in fake_slack.calls_to("chat.update") if c.args["ts"] == waiting.response["ts"]][-1]
    assert "<@UALICE> offered to help you learn *Go*, but has left peerlearn." in json.dumps(updated["blocks"])
    assert "their offer to help you with *Go* is closed" in dm_text(fake_slack, "UBOB")


@time_machine.travel(MONDAY, tick=False)
def test_a_cancellation_by_the_learner_is_worded_for_each_of_them(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal())
    confirm_time(slack, fake_slack, "UBOB")
    group = [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"].startswith("G")][-1]
    session_id = buttons(group["blocks"])[ids.CANCEL_SESSION][0]

    slack.click("UBOB", ids.CANCEL_SESSION, session_id)
    slack.submit("UBOB", ids.CANCEL_MODAL, session_id, {})
    told = json.dumps(fake_slack.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "<@UBOB> cancelled the session" in told
    assert "<@UALICE>, nothing for you to do." in told and "<@UBOB>, your need stays open" in told
    assert "open again" not in told  # not told to the one who cancelled as if it happened to them


def test_an_admin_who_deletes_their_data_still_administers_the_workspace(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user("UADA", "Ada", is_admin=True)
    slack.command("/teach", "python", user="UADA")
    assert "Workspace settings" in home_of(slack, "UADA")

    slack.click("UADA", ids.HOME_DELETE_DATA, "delete")
    with deps.db() as session:
        assert session.scalars(select(Member).where(Member.user_id == "UADA")).all() == []  # no trace left

    assert "Workspace settings" in home_of(slack, "UADA")  # Slack still says she is an admin
    slack.click("UADA", ids.HOME_EDIT_SETTINGS, "edit")
    assert fake_slack.calls_to("views.open")[-1].args["view"]["callback_id"] == ids.SETTINGS_MODAL
