"""Ask → accept → propose a time → introduction, and the offer-help path, through signed requests."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import MatchStatus, NeedStatus
from store.models import LearningSession, Match, Need, SessionParticipant
from tests.fakes.slack_api import Call, FakeSlack
from tests.fakes.slack_requests import Reply, SlackDriver

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=True):
        yield


def buttons(blocks: list[dict]) -> dict[str, list[str]]:
    """Kind of button (its action_id without a number, bot/ids.py) → values of every such button in these blocks."""
    found: dict[str, list[str]] = {}
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        for element in elements:
            if element.get("type") == "button":
                found.setdefault(ids.kind(element["action_id"]), []).append(
                    element.get("value") or element.get("url", "")
                )
    return found


def last_dm(fake: FakeSlack, user: str) -> Call:
    return [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == user][-1]


def said(fake: FakeSlack) -> str:
    """The last ephemeral line sent back through a response_url."""
    return fake.calls_to("response_url")[-1].args["text"]


def proposal(
    day: str | None = "2026-11-24",
    clock: str | None = "10:00",
    minutes: str = "45",
    chat: bool = False,
    slot: str | None = None,
):
    """The meeting-time modal's state: a free time offered (`slot`), another date and time, or just chat.

    The time field starts empty, so Slack sends a time only when one was typed: with a free time or just chat,
    none unless the test types one."""
    when = "just_chat" if chat else slot or "other"
    if when != "other" and clock == "10:00":
        clock = None
    return {
        "when": {"value": {"type": "radio_buttons", "selected_option": {"value": when}}},
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": clock}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": minutes}}},
    }


def confirm_time(slack: SlackDriver, fake: FakeSlack, user: str, choice: int = 0) -> Reply:
    """`user` takes one of the times proposed to them (the first: the one picked for them)."""
    asked = [c for c in fake.calls_to("chat.postMessage") if ids.CONFIRM_TIME in json.dumps(c.args.get("blocks"))][-1]
    value = buttons(asked.args["blocks"])[ids.CONFIRM_TIME][choice]
    return slack.click(user, ids.CONFIRM_TIME, value, channel=asked.args["channel"], ts="222.2")


def ask_first_expert(slack: SlackDriver, learner: str, topic: str) -> tuple[Reply, str]:
    reply = slack.command("/learn", topic, user=learner)
    value = buttons(reply.json["blocks"])[ids.ASK][0]
    slack.click(learner, ids.ASK, value)
    return reply, value


def test_ask_accept_propose_introduces_both_in_their_timezones(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "kubernetes level: expert", user="UALICE")
    _, value = ask_first_expert(slack, "UBOB", "k8s")
    assert value.endswith(":UALICE")

    asked = last_dm(fake_slack, "UALICE")
    assert "<@UBOB>* would like to learn *Kubernetes*" in json.dumps(asked.args["blocks"])
    assert ">k8s" in json.dumps(asked.args["blocks"])  # the learner's own words
    assert "Asked <@UALICE>" in said(fake_slack)
    match_id = buttons(asked.args["blocks"])[ids.ACCEPT][0]

    slack.click("UALICE", ids.ACCEPT, match_id, channel="DALICE", ts="111.1")
    modal = fake_slack.calls_to("views.open")[-1].args["view"]
    assert modal["callback_id"] == ids.PROPOSE_MODAL
    assert modal["private_metadata"].split("|")[0] == match_id
    assert "Europe/Berlin" in json.dumps(modal)
    updated = fake_slack.calls_to("chat.update")[-1].args
    assert (updated["channel"], updated["ts"]) == ("DALICE", "111.1")
    assert "You accepted" in json.dumps(updated["blocks"])

    assert slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal()).status == 200
    assert not fake_slack.calls_to("conversations.open")  # not before Bob says yes
    asked = last_dm(fake_slack, "UBOB")
    assert "<@UALICE> proposes to meet about *Kubernetes* (45 min)" in json.dumps(asked.args["blocks"])
    confirm_time(slack, fake_slack, "UBOB")
    opened = fake_slack.calls_to("conversations.open")[-1].args
    assert opened["users"] == "UALICE,UBOB"
    intro = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"].startswith("G")][-1].args
    text = json.dumps(intro["blocks"], ensure_ascii=False)
    assert "<@UALICE>, meet <@UBOB>!" in text
    # 10:00 in Berlin is 09:00 UTC, which is 04:00 in New York.
    assert "*Tue 24 Nov, 10:00–10:45* for <@UALICE> (Europe/Berlin)" in text
    assert "*Tue 24 Nov, 04:00–04:45* for <@UBOB> (America/New_York)" in text

    with deps.db() as session:
        match = session.scalars(select(Match)).one()
        assert match.status == MatchStatus.ACCEPTED
        assert session.scalars(select(Need.status)).one() == NeedStatus.MATCHED
        booked = session.scalars(select(LearningSession)).one()
        assert booked.starts_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
        assert (booked.duration_min, booked.channel_id) == (45, intro["channel"])
        assert session.scalars(select(SessionParticipant.member_id)).one() == match.need.member_id


def test_second_clicks_and_double_submits_change_nothing(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    _, value = ask_first_expert(slack, "UBOB", "sql")
    slack.click("UBOB", ids.ASK, value)
    assert said(fake_slack) == "You already asked <@UALICE>; they haven't answered yet."
    assert len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"]) == 1

    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.click("UALICE", ids.ACCEPT, match_id)
    assert said(fake_slack) == "You already accepted."
    slack.click("UALICE", ids.DECLINE, match_id)
    assert said(fake_slack) == "You already accepted."
    slack.click("UBOB", ids.ASK, value)
    assert said(fake_slack) == "<@UALICE> already accepted: look for your group DM."
    assert len(fake_slack.calls_to("views.open")) == 1

    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal())
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal())
    confirm_time(slack, fake_slack, "UBOB")
    confirm_time(slack, fake_slack, "UBOB")
    assert len(fake_slack.calls_to("conversations.open")) == 1
    # Once introduced, the request message keeps no "Propose a time" to press again.
    request = fake_slack.calls_to("chat.update")[-1].args
    assert "Propose a time" not in json.dumps(request) and "introduced in a group DM" in json.dumps(request)
    slack.click("UALICE", ids.PROPOSE, match_id)  # an old copy of the button
    assert said(fake_slack) == "You already proposed a time: it's in your group DM with <@UBOB>."
    with deps.db() as session:
        assert len(session.scalars(select(LearningSession)).all()) == 1
        assert session.scalars(select(Match.status)).one() == MatchStatus.ACCEPTED


def test_only_the_asked_person_can_decide(slack: SlackDriver, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UCARA", ids.ACCEPT, match_id)
    assert "for someone else" in said(fake_slack)
    slack.click("UBOB", ids.ACCEPT, match_id)
    assert "for someone else" in said(fake_slack)
    assert fake_slack.calls_to("views.open") == []


def test_decline_tells_the_learner_kindly_and_offers_the_next_best(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "python", user="UALICE")
    slack.command("/teach", "python", user="UCARA")
    _, value = ask_first_expert(slack, "UBOB", "python")
    first = value.split(":")[1]
    other = "UCARA" if first == "UALICE" else "UALICE"
    match_id = buttons(last_dm(fake_slack, first).args["blocks"])[ids.DECLINE][0]

    slack.click(first, ids.DECLINE, match_id)
    told = last_dm(fake_slack, "UBOB").args
    text = json.dumps(told["blocks"])
    assert f"<@{first}> can't help with *Python* right now" in text
    assert buttons(told["blocks"])[ids.ASK] == [f"{value.split(':')[0]}:{other}"]
    assert "You declined" in json.dumps(fake_slack.calls_to("chat.update")[-1].args["blocks"])

    # The next-best expert declines too: nobody is left, and the learner is told they'll be pinged.
    slack.click("UBOB", ids.ASK, buttons(told["blocks"])[ids.ASK][0])
    second = buttons(last_dm(fake_slack, other).args["blocks"])[ids.DECLINE][0]
    slack.click(other, ids.DECLINE, second)
    assert "Nobody else teaches it yet" in json.dumps(last_dm(fake_slack, "UBOB").args["blocks"])
    with deps.db() as session:
        assert set(session.scalars(select(Match.status))) == {MatchStatus.DECLINED}
        assert session.scalars(select(Need.status)).one() == NeedStatus.OPEN


def test_offer_help_from_teach_works_from_the_other_side(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/learn", "rust", user="UBOB")
    taught = slack.command("/teach", "Rust", user="UALICE")
    # Bob, waiting on rust, hears that Alice now teaches it.
    waiting = last_dm(fake_slack, "UBOB").args
    assert "now teaches *Rust*" in json.dumps(waiting["blocks"])
    assert buttons(waiting["blocks"])[ids.ASK][0].endswith(":UALICE")

    need_id = buttons(taught.json["blocks"])[ids.OFFER_HELP][0]
    slack.click("UALICE", ids.OFFER_HELP, need_id)
    offer = last_dm(fake_slack, "UBOB").args
    assert "<@UALICE>* offers to help you learn *Rust*" in json.dumps(offer["blocks"])
    assert "Offered your help" in said(fake_slack)
    match_id = buttons(offer["blocks"])[ids.ACCEPT][0]

    slack.click("UBOB", ids.ACCEPT, match_id)
    prompt = last_dm(fake_slack, "UALICE").args
    assert buttons(prompt["blocks"])[ids.PROPOSE] == [match_id]
    assert fake_slack.calls_to("views.open") == []  # the learner is not asked to schedule

    slack.click("UALICE", ids.PROPOSE, match_id)
    assert fake_slack.calls_to("views.open")[-1].args["view"]["private_metadata"].split("|")[0] == match_id
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day=None, clock=None, chat=True))
    intro = json.dumps(fake_slack.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "No fixed time" in intro
    with deps.db() as session:
        booked = session.scalars(select(LearningSession)).one()
        assert booked.starts_at is None


def test_declined_offer_thanks_the_expert(slack: SlackDriver, fake_slack) -> None:
    slack.command("/learn", "go", user="UBOB")
    taught = slack.command("/teach", "go", user="UALICE")
    slack.click("UALICE", ids.OFFER_HELP, buttons(taught.json["blocks"])[ids.OFFER_HELP][0])
    match_id = buttons(last_dm(fake_slack, "UBOB").args["blocks"])[ids.DECLINE][0]
    slack.click("UBOB", ids.DECLINE, match_id)
    assert "Thanks a lot for offering" in json.dumps(last_dm(fake_slack, "UALICE").args["blocks"])


def test_the_modal_shows_errors_inline(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)

    missing = slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day=None))
    expected = "Pick a date, or choose one of the free times above."
    assert missing.json == {"response_action": "errors", "errors": {"date": expected}}
    past = slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day="2026-11-22"))
    assert set(past.json["errors"]) == {"date"}  # no time on a day gone by would do: the date is what to change
    assert past.json["errors"]["date"].startswith("That date has passed")
    earlier = slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day="2026-11-23", clock="00:30"))
    assert set(earlier.json["errors"]) == {"time"}  # today, an hour already gone: the time is what to change
    with deps.db() as session:
        assert session.scalars(select(LearningSession)).all() == []
    assert fake_slack.calls_to("conversations.open") == []


def test_undeliverable_ask_can_be_tried_again(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    fake_slack.fail("chat.postMessage", error="channel_not_found")
    _, value = ask_first_expert(slack, "UBOB", "sql")
    assert "try again" in said(fake_slack)
    with deps.db() as session:
        assert session.scalars(select(Match)).all() == []
    slack.click("UBOB", ids.ASK, value)
    assert "Asked <@UALICE>" in said(fake_slack)


def test_an_expert_at_capacity_is_not_shown(slack: SlackDriver, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    for learner in ("UL1", "UL2", "UL3"):
        ask_first_expert(slack, learner, "sql")
    reply = slack.command("/learn", "sql", user="UBOB")
    assert "The colleague who teaches *SQL* can't take a request right now" in reply.text  # not "nobody"
    assert "<@UALICE>" not in reply.text


def test_stale_or_tampered_button_values_change_nothing(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    reply = slack.command("/learn", "sql", user="UBOB")
    need_id = buttons(reply.json["blocks"])[ids.ASK][0].split(":")[0]
    assert slack.click("UCARA", ids.ASK, f"{need_id}:UALICE").status == 200  # not Cara's need
    assert "for someone else" in said(fake_slack)
    assert slack.click("UBOB", ids.ASK, "garbage").status == 200
    assert slack.click("UBOB", ids.ACCEPT, "999").status == 200
    assert slack.click("UBOB", ids.ACCEPT, "x").status == 200
    with deps.db() as session:
        assert session.scalars(select(Match)).all() == []
