"""Every signed Slack payload gets 200, handled or not (Slack retries anything else and turns delivery off for an
app that keeps failing); a bad signature gets 401 and a signed body that is not Slack's gets 400."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.slack.payloads import interaction_body
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver

# Events Slack may deliver that no listener of ours takes (a workspace can subscribe the app to more).
UNHANDLED_EVENTS: list[dict[str, Any]] = [
    {"type": "channel_created", "channel": {"id": "C9NEW", "name": "new", "creator": "UALICE"}},
    {"type": "member_joined_channel", "channel": "C0GENERAL", "user": "UBOB"},
    {"type": "pin_added", "channel_id": "C0GENERAL", "user": "UALICE", "item": {"type": "message"}},
    {"type": "a_type_slack_adds_next_year", "user": "UALICE"},
]


@pytest.mark.parametrize("event", UNHANDLED_EVENTS, ids=lambda event: event["type"])
def test_a_signed_event_no_listener_takes_is_answered_200_and_logged_at_debug(
    slack: SlackDriver, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, event: dict[str, Any]
) -> None:
    caplog.set_level(logging.DEBUG)
    reply = slack.event(event)
    assert (reply.status, reply.body) == (200, "")
    assert f"unhandled event {event['type']}" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert not [call for call in fake_slack.calls if call.method.startswith(("chat.", "views."))]


def test_interactions_no_listener_takes_are_answered_200(slack: SlackDriver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = {"id": "UALICE"}
    modal = {"id": "V1", "type": "modal", "callback_id": "from_an_old_release", "state": {"values": {}}}
    payloads: list[dict[str, Any]] = [
        {"type": "view_submission", "user": user, "view": modal},
        {"type": "view_closed", "user": user, "view": modal, "is_cleared": False},
        {"type": "shortcut", "callback_id": "not_ours", "user": user, "trigger_id": "t.1"},
        {"type": "block_suggestion", "action_id": "pick", "block_id": "b", "user": user, "value": "py"},
        {"type": "block_actions", "user": user, "actions": [{"action_id": "retired", "value": "1", "type": "button"}]},
    ]
    for payload in payloads:
        reply = slack.interaction(payload)
        assert reply.status == 200, payload["type"]
    assert "unhandled view_submission from_an_old_release" in caplog.text
    assert "unhandled view_closed from_an_old_release" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_rate_limit_notice_from_the_events_api_is_answered_200(slack: SlackDriver) -> None:
    notice = {"token": "t", "type": "app_rate_limited", "team_id": slack.team_id, "minute_rate_limited": 1}
    assert slack.send(json.dumps(notice)).status == 200


def test_only_a_bad_signature_is_401_and_only_a_signed_body_not_from_slack_is_400(slack: SlackDriver) -> None:
    event = {"type": "channel_created", "channel": {"id": "C9NEW"}}
    assert slack.send(json.dumps({"type": "event_callback", "event": event}), secret="not-the-secret").status == 401
    assert slack.send("hello=world", secret="not-the-secret").status == 401

    for body in (
        "hello=world",
        json.dumps({"foo": "bar"}),
        json.dumps({"type": "event_callback"}),  # an envelope without its event
        json.dumps({"type": "something_else", "team_id": slack.team_id}),
        interaction_body({"type": "not_an_interaction", "user": {"id": "UALICE"}}),
        # Slack's type, without what Slack always sends with it.
        interaction_body({"type": "view_submission", "user": {"id": "UALICE"}, "view": {"id": "V1"}}),
        interaction_body({"type": "shortcut", "user": {"id": "UALICE"}}),
    ):
        reply = slack.send(body)
        assert reply.status == 400, body
        assert reply.json == {"error": "not a Slack payload"}
