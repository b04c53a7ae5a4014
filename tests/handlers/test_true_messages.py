"""Every message true in every state: opted out, paused, deleted, teaching it yourself, near-commands, long lists."""

import json
from datetime import UTC, datetime

import time_machine
from sqlalchemy import func, select

from bot import ids
from bot.deps import Deps
from store.models import Need, Offer
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, confirm_time, last_dm, proposal, said


def home_of(fake: FakeSlack, user: str) -> str:
    view = [c for c in fake.calls_to("views.publish") if c.args["user_id"] == user][-1].args["view"]
    return json.dumps(view, ensure_ascii=False)


def count(deps: Deps, model: type) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_opted_out_member_is_told_so_on_teach_and_home(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    slack.click("UALICE", ids.HOME_OPT_OUT, "out")
    reply = slack.command("/teach", "sql", user="UALICE")
    assert "You are opted out, so nobody is matched with you" in reply.text
    assert "you'll be matched when someone asks" not in reply.text
    home = home_of(fake_slack, "UALICE")
    assert "You are opted out: nobody is matched with you" in home
    assert "You can be matched" not in home and ids.HOME_PAUSE not in home  # no Pause beside "opted out"


def test_paused_teachers_are_away_not_missing_and_their_return_pings_the_waiting(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "terraform", user="UALICE")
    slack.command("/teach", "pause", user="UALICE")
    reply = slack.command("/learn", "terraform", user="UBOB")
    assert "The colleague who teaches *Terraform* can't take a request right now" in reply.text
    assert "Nobody teaches" not in reply.text
    slack.click("UALICE", ids.HOME_PAUSE, "resume")
    back = last_dm(fake_slack, "UBOB").args
    assert "<@UALICE> is back and can teach *Terraform*" in json.dumps(back["blocks"])
    assert ids.ASK in buttons(back["blocks"])
    slack.command("/teach", "resume", user="UALICE")  # already back: nobody is pinged twice
    assert len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UBOB"]) == 1


def test_resuming_with_teach_resume_pings_the_waiting_too(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    slack.command("/teach", "go", user="UALICE")
    slack.command("/teach", "pause", user="UALICE")
    slack.command("/learn", "golang", user="UBOB")
    slack.command("/teach", "resume", user="UALICE")
    assert "is back and can teach *Go*" in json.dumps(last_dm(fake_slack, "UBOB").args["blocks"])


def test_asking_for_what_you_teach_yourself(slack: SlackDriver) -> None:
    slack.command("/teach", "pandas", user="UBOB")
    reply = slack.command("/learn", "pandas", user="UBOB")
    assert "You teach *pandas* yourself, and nobody else here does yet" in reply.text


def test_near_commands_are_asked_about_and_save_nothing(slack: SlackDriver, deps: Deps) -> None:
    cases = [
        ("/teach", "delete python", "/teach remove python"),
        ("/learn", "remove foo", "/learn cancel foo"),
        ("/learn", "cancle python", "/learn cancel python"),
        ("/teach", "puase", "/teach pause"),
    ]
    for command, text, meant in cases:
        reply = slack.command(command, text, user="UBOB")
        assert reply.json["response_type"] == "ephemeral"
        assert f"Did you mean `{meant}`? Nothing was saved." in reply.text
    assert count(deps, Need) == 0 and count(deps, Offer) == 0
    slack.command("/teach", '"delete python"', user="UBOB")  # in quotes it is a topic
    assert count(deps, Offer) == 1


def test_plain_at_names_and_channels_are_refused_like_mentions(slack: SlackDriver, deps: Deps) -> None:
    for text in ("@priya", "#general", "with @priya"):
        reply = slack.command("/learn", text, user="UBOB")
        assert "looks like a mention of a person or channel" in reply.text
    assert "C#" in slack.command("/learn", "c# basics", user="UBOB").text  # a # inside a name is fine
    assert ":warning:" not in slack.command("/learn", "pairing with @priya", user="UBOB").text  # set aside
    assert count(deps, Need) == 2


def test_home_says_how_many_more_needs_and_topics_there_are(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    topics = [f"topic number {i}" for i in range(20)]
    slack.command("/teach", ", ".join(topics[:10]), user="UBOB")
    slack.command("/teach", ", ".join(topics[10:]), user="UBOB")
    for topic in topics:
        slack.command("/learn", f"learning thing {topic}", user="UBOB")
    slack.event({"type": "app_home_opened", "user": "UBOB", "channel": "D0HOME", "tab": "home"})
    home = home_of(fake_slack, "UBOB")
    assert "…and 5 more: `/learn` lists them all." in home
    assert "…and 5 more: `/teach` lists them all." in home


@time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=False)
def test_deleting_your_data_tells_the_colleague_who_loses_a_session(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal())
    confirm_time(slack, fake_slack, "UBOB")
    slack.click("UBOB", ids.HOME_DELETE_DATA, "delete")
    told = json.dumps(last_dm(fake_slack, "UALICE").args)
    assert "<@UBOB> deleted their peerlearn data, so your session on *SQL*" in told and "is off" in told


def test_deleting_your_data_withdraws_a_request_waiting_for_a_colleague(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    request = last_dm(fake_slack, "UALICE")
    slack.click("UBOB", ids.HOME_DELETE_DATA, "delete")
    updated = [c for c in fake_slack.calls_to("chat.update") if c.args["ts"] == request.response["ts"]]
    assert updated and ids.ACCEPT not in json.dumps(updated[-1].args)  # its buttons are gone
    assert "so their request about *SQL* is closed" in json.dumps(last_dm(fake_slack, "UALICE").args)
    slack.click("UALICE", ids.ACCEPT, buttons(request.args["blocks"])[ids.ACCEPT][0])
    assert "nothing left to do" in said(fake_slack)
