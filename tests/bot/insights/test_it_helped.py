"""The funnel's last step, "It helped", is the follow-up's own answer to "Did it help?": the learner's kudos from it,
or its "Mark need done". A need closed some other way, or a follow-up left unanswered, is not counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from werkzeug.test import Client

from bot import ids
from bot.deps import Deps
from bot.scheduler import Scheduler
from tests.bot.insights.dashboard import dashboard, sign_in
from tests.bot.insights.test_numbers import Tables
from tests.bot.jobs.test_follow_through import at, book
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import buttons

__all__ = ["dashboard"]

SESSION_END = datetime(2026, 11, 24, 9, 45, tzinfo=UTC)  # tests.bot.jobs.test_follow_through.book's session
pytestmark = pytest.mark.usefixtures("_clock")


@pytest.fixture
def _clock() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=False):
        yield


def funnel_after(dashboard: Client, fake: FakeSlack) -> dict[str, list[str]]:
    with time_machine.travel(SESSION_END + timedelta(days=1), tick=False):
        sign_in(dashboard, fake)
        return Tables(dashboard.get("/insights").get_data(as_text=True)).rows("funnel")


def follow_up_buttons(scheduler: Scheduler, fake: FakeSlack) -> dict[str, list[str]]:
    at(scheduler, SESSION_END + timedelta(hours=1))
    [asked] = [c for c in fake.calls_to("chat.postMessage") if "Did it help" in json.dumps(c.args)]
    return buttons(asked.args["blocks"])


@pytest.mark.parametrize("answer", [ids.GIVE_KUDOS, ids.MARK_DONE])
def test_either_answer_to_the_follow_up_counts(
    answer: str, slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack, dashboard: Client
) -> None:
    book(slack, deps)
    found = follow_up_buttons(scheduler, fake_slack)
    with_answer = found[answer][0]
    with time_machine.travel(SESSION_END + timedelta(hours=2), tick=False):
        slack.click("UBOB", answer, with_answer)
        slack.click("UBOB", answer, with_answer)  # a second click changes nothing
    funnel = funnel_after(dashboard, fake_slack)
    assert funnel["Session held"][0] == "1" and funnel["It helped"] == ["1", "100%"]


def test_an_unanswered_follow_up_or_a_need_closed_by_command_is_not_it_helped(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack, dashboard: Client
) -> None:
    book(slack, deps)
    follow_up_buttons(scheduler, fake_slack)
    with time_machine.travel(SESSION_END + timedelta(hours=2), tick=False):
        slack.command("/learn", "done sql", user="UBOB")  # closed, but not the follow-up's answer
    funnel = funnel_after(dashboard, fake_slack)
    assert funnel["Session held"][0] == "1" and funnel["It helped"][0] == "0"
