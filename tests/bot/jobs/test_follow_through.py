"""Reminders, follow-ups and re-routing: the scheduler's jobs over sessions booked through the real app."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import MatchStatus, NeedStatus
from bot.scheduler import Scheduler
from store.models import LearningSession, Match, Need
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, confirm_time, last_dm, proposal, said

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(scheduler: Scheduler, when: datetime) -> dict[str, int]:
    with time_machine.travel(when, tick=False):
        return scheduler.run_all()


def dms_to(fake: FakeSlack, user: str) -> list[str]:
    return [json.dumps(c.args.get("blocks")) for c in fake.calls_to("chat.postMessage") if c.args["channel"] == user]


def book(slack: SlackDriver, deps: Deps) -> int:
    """Bob asks Alice about sql; she accepts and proposes Tuesday 10:00 Berlin time (09:00 UTC) for 45 minutes."""
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(slack.fake, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day="2026-11-24", clock="10:00", minutes="45"))
    confirm_time(slack, slack.fake, "UBOB")
    with deps.db() as session:
        return session.scalars(select(LearningSession.id)).one()


def test_reminder_ten_minutes_before_in_each_persons_timezone(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    book(slack, deps)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    at(scheduler, start - timedelta(minutes=11))
    assert not any("starts in" in dm for dm in dms_to(fake_slack, "UALICE"))
    at(scheduler, start - timedelta(minutes=10))
    at(scheduler, start - timedelta(minutes=9))  # reminded once, not every minute
    [alice] = [dm for dm in dms_to(fake_slack, "UALICE") if "starts in" in dm]
    [bob] = [dm for dm in dms_to(fake_slack, "UBOB") if "starts in" in dm]
    assert "10:00\\u201310:45* your time (Europe/Berlin)" in alice and "<@UBOB>" in alice
    assert "04:00\\u201304:45* your time (America/New_York)" in bob and "<@UALICE>" in bob
    assert "starts in 10 minutes" in bob


def test_a_reminder_says_the_minutes_left_rounded_up_as_promised(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    book(slack, deps)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    at(scheduler, start - timedelta(minutes=9, seconds=20))  # the scheduler's first tick inside the ten minutes
    [bob] = [dm for dm in dms_to(fake_slack, "UBOB") if "starts in" in dm]
    assert "starts in 10 minutes" in bob


def test_follow_up_an_hour_after_with_kudos_and_mark_done(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    session_id = book(slack, deps)
    end = datetime(2026, 11, 24, 9, 45, tzinfo=UTC)
    at(scheduler, end + timedelta(minutes=59))
    assert not any("Did it help" in dm for dm in dms_to(fake_slack, "UBOB"))
    at(scheduler, end + timedelta(hours=1))
    at(scheduler, end + timedelta(hours=2))
    [follow_up] = [c for c in fake_slack.calls_to("chat.postMessage") if "Did it help" in json.dumps(c.args)]
    assert follow_up.args["channel"] == "UBOB"  # the learner, not the host
    found = buttons(follow_up.args["blocks"])
    assert found[ids.GIVE_KUDOS] == found[ids.MARK_DONE] == [str(session_id)]

    slack.click("UALICE", ids.MARK_DONE, str(session_id))
    assert "isn't yours" in said(fake_slack)
    slack.click("UBOB", ids.MARK_DONE, str(session_id))
    assert "Marked done" in said(fake_slack)
    slack.click("UBOB", ids.MARK_DONE, str(session_id))
    assert "already done" in said(fake_slack)
    with deps.db() as session:
        assert session.scalars(select(Need.status)).one() is NeedStatus.CLOSED
        assert session.scalars(select(Match.status)).one() is MatchStatus.DONE
    slack.click("UBOB", ids.GIVE_KUDOS, str(session_id))
    assert "Kudos sent to <@UALICE>" in said(fake_slack)


def test_a_just_chat_session_is_followed_up_too(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(chat=True))
    assert at(scheduler, NOW + timedelta(minutes=89))["follow-ups"] == 0
    assert at(scheduler, NOW + timedelta(minutes=90))["follow-ups"] == 1  # 30 minutes standing in, then an hour


def test_an_unanswered_ask_goes_to_the_next_expert_after_48_hours(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    slack.command("/teach", "sql", user="UCARA")
    _, value = ask_first_expert(slack, "UBOB", "sql")
    first = value.split(":")[1]
    second = ({"UALICE", "UCARA"} - {first}).pop()
    assert at(scheduler, NOW + timedelta(hours=47))["re-routing"] == 0
    assert at(scheduler, NOW + timedelta(hours=48))["re-routing"] == 1
    assert at(scheduler, NOW + timedelta(hours=49))["re-routing"] == 0
    assert ids.ACCEPT in buttons(last_dm(fake_slack, second).args["blocks"])
    told = json.dumps(last_dm(fake_slack, "UBOB").args["blocks"])
    assert f"<@{first}> hasn't answered" in told and f"So I asked <@{second}>" in told
    [expired] = [c for c in fake_slack.calls_to("chat.update") if "48 hours" in json.dumps(c.args)]
    assert ids.ACCEPT not in buttons(expired.args["blocks"])  # the silent expert's buttons are gone
    with deps.db() as session:
        statuses = {m.expert.user_id: m.status for m in session.scalars(select(Match))}
    assert statuses == {first: MatchStatus.EXPIRED, second: MatchStatus.PROPOSED}
    # The late expert clicks Accept on the old message after all: nothing changes.
    slack.click(first, ids.ACCEPT, str(session_match_id(deps, first)))
    assert said(fake_slack) == "This request went unanswered for 48 hours and expired, so nothing changed."


def session_match_id(deps: Deps, expert: str) -> int:
    with deps.db() as session:
        return next(m.id for m in session.scalars(select(Match)) if m.expert.user_id == expert)


def test_with_nobody_else_the_learner_is_told_and_the_need_stays_open(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    at(scheduler, NOW + timedelta(hours=48))
    assert "Nobody else teaches it yet" in json.dumps(last_dm(fake_slack, "UBOB").args["blocks"])
    [expired] = [json.dumps(c.args) for c in fake_slack.calls_to("chat.update") if "48 hours" in json.dumps(c.args)]
    assert "another colleague" not in expired and "Nobody else teaches it yet" in expired  # the teacher's truth too
    with deps.db() as session:
        assert session.scalars(select(Need.status)).one() is NeedStatus.OPEN


def test_an_answered_ask_is_left_alone(
    slack: SlackDriver, deps: Deps, scheduler: Scheduler, fake_slack: FakeSlack
) -> None:
    book(slack, deps)
    assert at(scheduler, NOW + timedelta(days=3))["re-routing"] == 0
