"""The fake Slack refuses what Slack refuses: each broken Block Kit shape, through the real client, answered as
Slack answers it (`invalid_blocks` for a message, `invalid_arguments` for a view, HTTP 400 on a response_url)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.trial import blockkit
from bot.trial.fakeslack import NO_FALLBACK
from tests.fakes.slack_api import FakeSlack

GOLDEN = Path(__file__).resolve().parents[2] / "golden"


def text(words: str, kind: str = "plain_text") -> dict[str, Any]:
    return {"type": kind, "text": words}


def button(action_id: str, label: str = "Go", value: str = "1") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": text(label), "value": value}


def section(words: str = "Hello", **fields: Any) -> dict[str, Any]:
    return {"type": "section", "text": text(words, "mrkdwn"), **fields}


def options(count: int) -> list[dict[str, Any]]:
    return [{"text": text(f"Option {i}"), "value": str(i)} for i in range(count)]


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


# Each shape Slack refuses (DESIGN §8), and the words that say why.
BROKEN: dict[str, tuple[list[Any], str]] = {
    "duplicate action_id in a block": (
        [actions(button("confirm_time"), button("confirm_time"))],
        "duplicate action_id 'confirm_time' [json-pointer:/blocks/0/elements/1/action_id]",
    ),
    "duplicate block_id in a message": (
        [section(block_id="intro"), section(block_id="intro")],
        "duplicate block_id 'intro' [json-pointer:/blocks/1/block_id]",
    ),
    "51 blocks": ([{"type": "divider"}] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
    "26 elements in an actions block": (
        [actions(*(button(f"b{i}") for i in range(26)))],
        "elements attribute cannot exceed 25 elements",
    ),
    "section text over 3000": ([section("x" * 3001)], "text attribute cannot exceed 3000 characters"),
    "button text over 75": ([actions(button("b", label="x" * 76))], "text attribute cannot exceed 75 characters"),
    "button value over 2000": ([actions(button("b", value="v" * 2001))], "value attribute cannot exceed 2000"),
    "action_id over 255": ([actions(button("a" * 256))], "action_id attribute cannot exceed 255 characters"),
    "block_id over 255": ([section(block_id="b" * 256)], "block_id cannot exceed 255 characters"),
    "101 options in a static select": (
        [actions({"type": "static_select", "action_id": "s", "placeholder": text("Pick"), "options": options(101)})],
        "options attribute cannot exceed 100 elements",
    ),
    "overflow with 6 options": (
        [actions({"type": "overflow", "action_id": "o", "options": options(6)})],
        "options attribute must have between 1 and 5 items",
    ),
    "unknown block type": ([{"type": "sektion", "text": text("Hi")}], "unknown block type 'sektion'"),
    "unknown key": ([section(colour="red")], "invalid additional property or value [json-pointer:/blocks/0/colour]"),
    "unknown element": ([actions({"type": "slider", "action_id": "s"})], "[json-pointer:/blocks/0/elements/0]"),
    "not an object": (["a section"], "must provide an object with a type [json-pointer:/blocks/0]"),
    "empty text": ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
}


def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


@pytest.mark.parametrize("shape", list(BROKEN))
def test_chat_post_message_refuses_each_broken_shape(shape: str, fake_slack: FakeSlack) -> None:
    blocks, why = BROKEN[shape]
    with pytest.raises(SlackApiError) as refused:
        client(fake_slack).chat_postMessage(channel="C0LEARNING", text="Fallback", blocks=blocks)
    answer = refused.value.response.data
    assert isinstance(answer, dict) and answer["error"] == "invalid_blocks"
    assert any(why in error for error in answer["errors"]), answer["errors"]
    assert answer["response_metadata"]["messages"] == [f"[ERROR] {error}" for error in answer["errors"]]
    assert fake_slack.history.get("C0LEARNING") is None  # nothing was posted
    [violation] = fake_slack.take_violations()
    assert (violation.method, violation.errors) == ("chat.postMessage", answer["errors"])


@pytest.mark.parametrize(
    ("method", "where"),
    [
        ("chat_update", {"ts": "1.1"}),
        ("chat_postEphemeral", {"user": "UBOB"}),
        ("chat_scheduleMessage", {"post_at": 2}),
    ],
)
def test_every_chat_method_checks_its_blocks(method: str, where: dict[str, Any], fake_slack: FakeSlack) -> None:
    blocks, _ = BROKEN["duplicate action_id in a block"]
    with pytest.raises(SlackApiError) as refused:
        getattr(client(fake_slack), method)(channel="C0LEARNING", text="Fallback", blocks=blocks, **where)
    assert refused.value.response["error"] == "invalid_blocks"
    assert len(fake_slack.take_violations()) == 1


def test_a_view_with_101_blocks_is_refused_as_slack_refuses_views(fake_slack: FakeSlack) -> None:
    view = {"type": "modal", "title": text("Too long"), "blocks": [section(f"Line {i}") for i in range(101)]}
    with pytest.raises(SlackApiError) as refused:
        client(fake_slack).views_open(trigger_id="trigger.1", view=view)
    answer = refused.value.response.data
    assert isinstance(answer, dict) and answer["error"] == "invalid_arguments" and "errors" not in answer
    messages = answer["response_metadata"]["messages"]
    assert messages[0] == "[ERROR] failed to match all allowed schemas [json-pointer:/view]"
    assert "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]" in messages
    assert [v.method for v in fake_slack.take_violations()] == ["views.open"]


@pytest.mark.parametrize(
    ("method", "where"),
    [
        ("views_publish", {"user_id": "UBOB"}),
        ("views_update", {"view_id": "V1"}),
        ("views_push", {"trigger_id": "t.1"}),
    ],
)
def test_every_views_method_checks_its_view(method: str, where: dict[str, Any], fake_slack: FakeSlack) -> None:
    view = {"type": "home", "blocks": [section(block_id="same"), section(block_id="same")]}
    with pytest.raises(SlackApiError) as refused:
        getattr(client(fake_slack), method)(view=view, **where)
    assert refused.value.response["error"] == "invalid_arguments"
    assert len(fake_slack.take_violations()) == 1


def test_a_modal_with_inputs_needs_a_title_and_a_submit_button() -> None:
    field = {"type": "input", "label": text("Topic"), "element": {"type": "plain_text_input", "action_id": "v"}}
    errors = blockkit.view_errors({"type": "modal", "blocks": [field]})
    assert "missing required field: title [json-pointer:/view/title]" in errors
    assert any("[json-pointer:/view/submit]" in error for error in errors)


def test_a_response_url_refuses_with_http_400_and_the_bare_error(fake_slack: FakeSlack) -> None:
    blocks, _ = BROKEN["duplicate action_id in a block"]
    answer = WebhookClient(fake_slack.response_url()).send(text="Fallback", blocks=blocks)
    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert [v.method for v in fake_slack.take_violations()] == ["response_url"]
    assert WebhookClient(fake_slack.response_url()).send(text="Fine", blocks=[section()]).status_code == 200
    assert WebhookClient(fake_slack.response_url()).send_dict({"delete_original": True}).status_code == 200


def test_a_message_with_nothing_to_say_is_refused_no_text(fake_slack: FakeSlack) -> None:
    with pytest.warns(UserWarning, match="text"), pytest.raises(SlackApiError) as refused:
        client(fake_slack).chat_postMessage(channel="C0LEARNING")
    assert refused.value.response["error"] == "no_text"
    assert [v.errors for v in fake_slack.take_violations()] == [["no_text"]]


def test_blocks_without_a_text_fallback_are_delivered_but_break_our_rule(fake_slack: FakeSlack) -> None:
    with pytest.warns(
        UserWarning, match="text"
    ):  # slack_sdk warns too: notifications and screen readers read only `text`
        assert client(fake_slack).chat_postMessage(channel="C0LEARNING", blocks=[section()])["ok"]
    [violation] = fake_slack.take_violations()
    assert "text fallback" in violation.errors[0]


def test_acks_are_checked_like_what_they_carry(fake_slack: FakeSlack) -> None:
    broken, _ = BROKEN["duplicate action_id in a block"]
    modal = {"type": "modal", "title": text("Pick"), "blocks": broken}
    assert fake_slack.check_ack("") == [] and fake_slack.check_ack(json.dumps({"text": "Saved."})) == []
    assert fake_slack.check_ack(json.dumps({"response_action": "errors", "errors": {"date": "Pick a date"}})) == []
    assert fake_slack.check_ack(json.dumps({"response_type": "ephemeral", "text": "Hi", "blocks": broken}))
    assert fake_slack.check_ack(json.dumps({"response_action": "update", "view": modal}))
    assert fake_slack.check_ack(json.dumps({"response_action": "errors", "errors": {}}))
    assert fake_slack.check_ack(json.dumps({"response_action": "close"}))
    assert fake_slack.check_ack(json.dumps({"response_type": "ephemeral", "blocks": [section()]})) == [NO_FALLBACK]
    assert [v.method for v in fake_slack.take_violations()] == ["ack"] * 5


def test_well_formed_blocks_pass_unchanged(fake_slack: FakeSlack) -> None:
    blocks = [
        section("Pick one", block_id="a", accessory=button("more")),
        actions(button("pick.0"), button("pick.1"), {"type": "overflow", "action_id": "o", "options": options(5)}),
        {"type": "context", "elements": [text("Only you can see this", "mrkdwn")]},
    ]
    assert client(fake_slack).chat_postMessage(channel="C0LEARNING", text="Pick one", blocks=blocks)["ok"]
    assert fake_slack.violations == []


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda path: path.stem)
def test_every_golden_view_is_one_slack_accepts(golden: Path) -> None:
    rendered = json.loads(golden.read_text())
    if rendered.get("type") in ("modal", "home"):
        assert blockkit.view_errors(rendered) == []
    else:
        assert blockkit.message_errors(rendered) == [] and blockkit.has_text(rendered)
