"""The shortcuts, end to end: "Find who knows this" on a message and "Learn or teach something" from the menu open
one modal; its submission saves as /learn and /teach do and answers in the person's DM."""

import json
from typing import Any

from slack_bolt import BoltRequest
from sqlalchemy import func, select

from bot import ids
from bot.deps import Deps
from bot.slack.payloads import direct_message, event_body, global_shortcut, message_shortcut, sign
from store.models import Need, Offer
from tests.conftest import SECRET
from tests.fakes.slack_requests import SlackDriver


def find(slack: SlackDriver, user: str, text: str) -> dict[str, Any]:
    """`user` picks "Find who knows this" on a message saying `text`; the modal Slack was asked to open."""
    payload = message_shortcut(
        team_id=slack.team_id,
        user_id=user,
        callback_id=ids.FIND_COLLEAGUE,
        channel="C0GENERAL",
        message={"user": "UCARA", "ts": "1700000000.000001", "text": text},
        trigger_id="trigger.find",
        response_url=slack.fake.response_url(),
    )
    reply = slack.interaction(payload)
    assert (reply.status, reply.body) == (200, "")
    call = slack.fake.calls_to("views.open")[-1]
    assert call.args["trigger_id"] == "trigger.find"
    return dict(call.args["view"])


def submit(slack: SlackDriver, user: str, choice: str | None, topic: str) -> dict[str, Any]:
    values = {
        "choice": {"value": {"type": "radio_buttons", "selected_option": {"value": choice} if choice else None}},
        "topic": {"value": {"type": "plain_text_input", "value": topic}},
    }
    return slack.submit(user, ids.ANYWHERE_MODAL, "", values).json


def field(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(dict(b["element"]) for b in view["blocks"] if b.get("block_id") == block_id)


def count(deps: Deps, model: type) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def dms_to(slack: SlackDriver, user: str) -> list[str]:
    return [
        call.args["text"] + json.dumps(call.args.get("blocks", []))
        for call in slack.fake.calls_to("chat.postMessage")
        if call.args["channel"] == user
    ]


def test_the_message_shortcut_finds_the_topics_and_its_form_asks(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes, helm", user="UALICE")
    view = find(slack, "UBOB", "We should move the billing service to k8s next quarter, see <https://k8s.io>")
    assert view["callback_id"] == ids.ANYWHERE_MODAL
    assert field(view, "topic")["initial_value"] == "Kubernetes"
    assert field(view, "choice")["initial_option"]["value"] == "learn"
    assert count(deps, Need) == 0  # nothing is saved by opening the form

    assert submit(slack, "UBOB", "learn", "Kubernetes") == {}  # the modal closes
    [answer] = dms_to(slack, "UBOB")
    assert "<@UALICE>" in answer and ids.ASK in answer  # the teachers, with their Ask buttons, in Bob's DM
    with deps.db() as session:
        need = session.scalars(select(Need)).one()
        assert (need.member.user_id, need.topic.name) == ("UBOB", "kubernetes")


def test_a_message_naming_no_topic_opens_an_empty_form(slack: SlackDriver) -> None:
    view = find(slack, "UBOB", "lunch at noon?")
    assert "initial_value" not in field(view, "topic")
    assert "didn't find a topic" in json.dumps(view)


def test_the_form_can_teach_too_and_tells_who_waits(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/learn", "helm", user="UBOB")
    find(slack, "UALICE", "who here knows helm charts?")
    assert submit(slack, "UALICE", "teach", "Helm, Terraform -- happy to pair") == {}
    [answer] = dms_to(slack, "UALICE")
    assert "You teach *Helm*, *Terraform*" in answer and ids.OFFER_HELP in answer
    assert count(deps, Offer) == 2
    assert any("<@UALICE>" in dm for dm in dms_to(slack, "UBOB"))  # Bob hears someone now teaches Helm


def test_every_topic_picked_to_learn_is_a_need_of_its_own(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "helm", user="UALICE")
    find(slack, "UBOB", "we should move to helm and terraform")
    assert submit(slack, "UBOB", "learn", "Helm, Terraform") == {}
    helm, terraform = dms_to(slack, "UBOB")  # one answer each, as two /learn commands give
    assert "<@UALICE>" in helm and "Nobody teaches *Terraform* yet" in terraform
    with deps.db() as session:
        assert sorted(session.scalars(select(Need.raw_text))) == ["Helm", "Terraform"]


def test_the_forms_hint_fits_learning_and_teaching(slack: SlackDriver) -> None:
    view = find(slack, "UBOB", "who here knows helm charts?")
    hint = next(b for b in view["blocks"] if b.get("block_id") == "topic")["hint"]["text"]
    assert "To teach several" not in hint and "several topics" in hint


def test_the_form_says_what_to_fix_and_saves_nothing(slack: SlackDriver, deps: Deps) -> None:
    assert submit(slack, "UBOB", None, "") == {
        "response_action": "errors",
        "errors": {"choice": "Pick one: learn it or teach it.", "topic": "Tell me the topic."},
    }
    assert "couldn't find a topic" in submit(slack, "UBOB", "learn", ":tada:")["errors"]["topic"]
    assert "how you'd like to learn, but not what" in submit(slack, "UBOB", "learn", "basics")["errors"]["topic"]
    assert "link" in submit(slack, "UBOB", "teach", "https://example.com")["errors"]["topic"]
    assert count(deps, Need) == count(deps, Offer) == 0
    assert not slack.fake.calls_to("chat.postMessage")


def test_the_global_shortcut_opens_the_form_with_both_choices(slack: SlackDriver, deps: Deps) -> None:
    payload = global_shortcut(
        team_id=slack.team_id, user_id="UCARA", callback_id=ids.LEARN_OR_TEACH, trigger_id="trigger.menu"
    )
    assert slack.interaction(payload).status == 200
    view = slack.fake.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == ids.ANYWHERE_MODAL
    choice = field(view, "choice")
    assert [o["value"] for o in choice["options"]] == ["learn", "teach"] and "initial_option" not in choice
    assert submit(slack, "UCARA", "learn", "public speaking") == {}
    assert "Nobody teaches *Public speaking* yet" in dms_to(slack, "UCARA")[0]
    assert count(deps, Need) == 1


def test_a_message_is_acked_before_slack_is_answered(slack: SlackDriver, deps: Deps) -> None:
    """The event's HTTP answer does not wait for the reply: Slack is still being answered after it returned."""
    slack.fake.delays["chat.postMessage"] = 0.5
    event = direct_message("UBOB", "I want to learn rust", "1700000001.000001")
    signed = sign(SECRET, event_body(event, team_id=slack.team_id, event_id="EvACKFIRST"))
    response = slack.app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
    assert (response.status, response.body) == (200, "")
    assert slack.fake.wait_started("chat.postMessage")
    deps.background.wait_idle()
    assert slack.fake.calls_to("chat.postMessage")[-1].args["channel"] == "DBOB"
