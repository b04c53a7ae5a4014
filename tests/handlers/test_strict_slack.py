"""Ask → accept → proposed times → confirm, through signed requests and a fake Slack as strict as Slack: every
message and view on the way is one Slack accepts, and the time the learner presses is the one booked."""

import json
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from store.models import LearningSession
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, last_dm, proposal

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def action_ids(blocks: list[dict]) -> list[list[str]]:
    """The action_ids of each block's elements (an actions block's, a section's accessory)."""
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        found.append([e["action_id"] for e in elements if "action_id" in e])
    return found


@time_machine.travel(MONDAY, tick=False)
def test_a_proposal_reaches_the_learner_and_the_button_pressed_books_its_time(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    view = fake_slack.calls_to("views.open")[-1].args["view"]
    free = [o["value"] for b in view["blocks"] if b.get("block_id") == "when" for o in b["element"]["options"]]
    slack.submit("UALICE", ids.PROPOSE_MODAL, view["private_metadata"], proposal(slot=free[0]))

    # The proposal reached Bob: Slack accepted it (before, its buttons shared one action_id and Slack refused it).
    asked = last_dm(fake_slack, "UBOB")
    assert asked.response["ok"] is True
    [times] = [row for row in action_ids(asked.args["blocks"]) if row]
    assert len(times) >= 2 and len(set(times)) == len(times)
    assert all(ids.kind(action_id) == ids.CONFIRM_TIME for action_id in times)

    # Bob presses the second time, by the action_id Slack would send for that very button.
    second = [e for b in asked.args["blocks"] if b["type"] == "actions" for e in b["elements"]][1]
    slack.click("UBOB", second["action_id"], second["value"], channel="DBOB", ts=asked.response["ts"])

    intro = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"].startswith("G")][-1]
    assert intro.response["ok"] is True and "<@UBOB>" in json.dumps(intro.args["blocks"])
    with deps.db() as session:
        booked = session.scalars(select(LearningSession)).one()
    assert booked.starts_at is not None and int(booked.starts_at.timestamp()) == int(second["value"].split(":")[1])

    # Every call Slack received on the way was accepted, and every ack was one Slack takes.
    assert [c.method for c in fake_slack.calls if c.response.get("ok") is False] == []
    assert fake_slack.violations == []


def test_teach_remove_answers_with_something_slack_shows(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    # The one /teach reply no other test sent through the strict fake: its ack is checked like every other.
    slack.command("/teach", "python", user="UALICE")
    reply = slack.command("/teach", "remove python, cobol", user="UALICE")
    assert reply.json["text"] == "You no longer teach *Python*. You didn't teach “cobol”."
    assert fake_slack.violations == []
