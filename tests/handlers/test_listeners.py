"""Listeners are plain functions: called directly, with a request context of their own, no Bolt app needed."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.context import Ctx
from bot.deps import Deps
from handlers.learn import on_learn
from tests.fakes.slack_api import FakeSlack


def test_on_learn_called_directly_saves_the_need_and_lists_it(deps: Deps, fake_slack: FakeSlack) -> None:
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.api_url)
    context = BoltContext({"team_id": fake_slack.team_id, "user_id": "UALICE", "client": client})
    ctx = Ctx.of(deps, context)

    declared = Ack()
    on_learn(declared, {"user_id": "UALICE", "text": "rust"}, ctx)
    listed = Ack()
    on_learn(listed, {"user_id": "UALICE", "text": ""}, ctx)

    assert declared.response is not None and declared.response.status == 200
    assert listed.response is not None and "Rust" in (listed.response.body or "")
    deps.background.wait_idle()
    assert fake_slack.calls_to("users.info")  # the directory refreshed Alice after the ack
