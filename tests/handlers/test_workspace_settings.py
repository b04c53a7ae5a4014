"""Workspace settings: admins only, validated inline, and used everywhere instead of the environment."""

import json
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from store.models import Kudos, Workspace
from tests.fakes.slack_requests import SlackDriver


def form(**overrides: str) -> dict:
    fields = {
        "timezone": "Europe/Berlin",
        "kudos_emoji": "clap, :tada:",
        "kudos_daily_limit": "2",
        "kudos_pair_weekly_limit": "5",
    } | overrides
    values: dict[str, Any] = {
        name: {"value": {"type": "plain_text_input", "value": value}} for name, value in fields.items()
    }
    values["learning_channel"] = {"value": {"type": "conversations_select", "selected_conversation": "CLEARN"}}
    values["digest_weekday"] = {"value": {"type": "static_select", "selected_option": {"value": "fri"}}}
    values["digest_time"] = {"value": {"type": "timepicker", "selected_time": "16:30"}}
    return values


def home_of(slack: SlackDriver, user: str) -> str:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"])


def test_only_admins_see_and_change_settings(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    fake_slack.add_user("UADA", "Ada", is_admin=True)
    assert "Workspace settings" not in home_of(slack, "UBOB")
    assert "Workspace settings" in home_of(slack, "UADA")

    refused = slack.submit("UBOB", ids.SETTINGS_MODAL, "", form())
    assert refused.json["response_action"] == "errors"
    assert "Only workspace admins" in json.dumps(refused.json)
    with deps.db() as session:
        row = session.get(Workspace, fake_slack.team_id)
        assert row is None or row.kudos_emoji is None

    slack.click("UADA", ids.HOME_EDIT_SETTINGS, "edit")
    assert fake_slack.calls_to("views.open")[-1].args["view"]["callback_id"] == ids.SETTINGS_MODAL
    assert slack.submit("UADA", ids.SETTINGS_MODAL, "", form()).status == 200
    with deps.db() as session:
        row = session.get_one(Workspace, fake_slack.team_id)
        assert (row.learning_channel, row.digest_weekday, row.digest_time) == ("CLEARN", 4, "16:30")
        assert (row.timezone, row.kudos_emoji, row.kudos_daily_limit) == ("Europe/Berlin", "clap,tada", 2)
    assert "Fri 16:30 (Europe/Berlin)" in home_of(slack, "UADA")


def test_bad_settings_are_shown_next_to_their_field(slack: SlackDriver, fake_slack) -> None:
    fake_slack.add_user("UADA", "Ada", is_admin=True)
    home_of(slack, "UADA")
    reply = slack.submit(
        "UADA", ids.SETTINGS_MODAL, "", form(timezone="Mars/Base", kudos_emoji="!!", kudos_daily_limit="0")
    )
    errors = reply.json["errors"]
    assert set(errors) == {"timezone", "kudos_emoji", "kudos_daily_limit"}


def test_workspace_kudos_emoji_and_limit_replace_the_defaults(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    fake_slack.add_user("UADA", "Ada", is_admin=True)
    home_of(slack, "UADA")
    slack.submit("UADA", ids.SETTINGS_MODAL, "", form())

    def react(emoji: str, ts: str, receiver: str = "UALICE") -> None:
        slack.event(
            {
                "type": "reaction_added",
                "user": "UBOB",
                "reaction": emoji,
                "item_user": receiver,
                "item": {"type": "message", "channel": "C1", "ts": ts},
            }
        )

    react("mortar_board", "1.0")  # no longer a kudos emoji here
    react("clap", "1.1")
    react("tada", "1.2", receiver="UCARA")
    react("clap", "1.3", receiver="UCARA")  # over this workspace's daily limit of 2
    with deps.db() as session:
        assert sorted((k.message_ts, k.emoji) for k in session.scalars(select(Kudos))) == [
            ("1.1", "clap"),
            ("1.2", "tada"),
        ]
