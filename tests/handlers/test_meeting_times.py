"""Meeting times that fit both people: free times from Slack's timezones, do-not-disturb and vacation statuses,
the other person's yes, a calendar file, reschedule and cancel, through signed requests and the fake Slack."""

import json
from datetime import UTC, datetime

import time_machine
from icalendar import Calendar
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.domain import MatchStatus, NeedStatus
from bot.scheduler import Scheduler
from store.models import LearningSession, Match, Member, Need
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, last_dm, proposal, said

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def accept(slack: SlackDriver, fake: FakeSlack, expert: str, learner: str, topic: str) -> str:
    """`learner` asks `expert` (who teaches `topic`), the expert accepts: the meeting-time modal opens."""
    slack.command("/teach", topic, user=expert)
    ask_first_expert(slack, learner, topic)
    match_id = buttons(last_dm(fake, expert).args["blocks"])[ids.ACCEPT][0]
    slack.click(expert, ids.ACCEPT, match_id)
    return match_id


def modal(fake: FakeSlack) -> dict:
    return fake.calls_to("views.open")[-1].args["view"]


def offered(view: dict) -> list[datetime]:
    """The free times a meeting-time modal offers, in UTC."""
    when = next(b for b in view["blocks"] if b.get("block_id") == "when")
    values = [o["value"] for o in when["element"]["options"]]
    return [datetime.fromtimestamp(int(v), UTC) for v in values if v.isdigit()]


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def confirm_buttons(fake: FakeSlack) -> tuple[str, list[str], dict]:
    asked = [c for c in fake.calls_to("chat.postMessage") if ids.CONFIRM_TIME in json.dumps(c.args.get("blocks"))][-1]
    return asked.args["channel"], buttons(asked.args["blocks"])[ids.CONFIRM_TIME], asked.args


def group_dm(fake: FakeSlack) -> list[dict]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"].startswith("G")]


def calendar(fake: FakeSlack, nth: int = -1) -> Calendar:
    parsed = Calendar.from_ical(fake.uploads[nth].content.decode())
    assert isinstance(parsed, Calendar)
    return parsed


def booked_session(deps: Deps) -> LearningSession:
    with deps.db() as session:
        return session.scalars(select(LearningSession)).one()


@time_machine.travel(MONDAY, tick=False)
def test_free_times_fit_both_working_days_and_the_yes_books_with_a_calendar_file(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    match_id = accept(slack, fake_slack, "UALICE", "UBOB", "sql")  # Berlin and New York
    view = modal(fake_slack)
    # Both work 09:00–17:00: Berlin's afternoon is New York's morning, 14:00–16:00 UTC.
    assert offered(view) == [utc(23, 14), utc(23, 14, 30), utc(23, 15)]
    assert "Mon 23 Nov, 15:00 · 09:00 for Bob" in json.dumps(view, ensure_ascii=False)
    assert "do-not-disturb" not in json.dumps(view)  # Slack answered dnd.info: nothing to apologise for

    first = str(int(utc(23, 14).timestamp()))
    slack.submit("UALICE", ids.PROPOSE_MODAL, view["private_metadata"], proposal(slot=first, minutes="45"))
    assert fake_slack.calls_to("conversations.open") == []
    channel, values, asked = confirm_buttons(fake_slack)
    assert channel == "UBOB" and values[0] == f"{match_id}:{first}"
    assert "Yes, Mon 23 Nov, 09:00" in json.dumps(asked)  # Bob's buttons speak New York time
    assert len(values) == 3  # or one of the other two free times

    slack.click("UBOB", ids.CONFIRM_TIME, values[0], channel="DBOB", ts="5.5")
    [intro] = group_dm(fake_slack)
    text = json.dumps(intro["blocks"], ensure_ascii=False)
    assert "*Mon 23 Nov, 15:00–15:45* for <@UALICE> (Europe/Berlin)" in text
    assert "*Mon 23 Nov, 09:00–09:45* for <@UBOB> (America/New_York)" in text
    actions = buttons(intro["blocks"])
    assert set(actions) >= {ids.RESCHEDULE, ids.CANCEL_SESSION}
    assert "calendar.google.com" in text and "dates=20261123T140000Z/20261123T144500Z" in text

    event = calendar(fake_slack).walk("VEVENT")[0]
    assert calendar(fake_slack)["METHOD"] == "REQUEST" and calendar(fake_slack).walk("VTIMEZONE")
    assert event.decoded("DTSTART") == utc(23, 14) and event.decoded("DTEND") == utc(23, 14, 45)
    assert str(event["SUMMARY"]) == "SQL: Alice and Bob" and int(event["SEQUENCE"]) == 0
    assert fake_slack.uploads[-1].channel_id == intro["channel"]

    booked = booked_session(deps)
    assert (booked.starts_at, booked.duration_min, booked.sequence) == (utc(23, 14), 45, 0)
    slack.click("UBOB", ids.CONFIRM_TIME, values[0])  # a second click
    assert "already made" in said(fake_slack) and len(group_dm(fake_slack)) == 1


@time_machine.travel(datetime(2026, 10, 30, 14, 45, tzinfo=UTC), tick=False)
def test_times_follow_each_persons_clock_across_a_dst_change(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    # Friday 30 October: Berlin is back on winter time, New York not until Sunday. Friday's shared hours are
    # gone; on Monday New York is an hour later in UTC, so the day starts at 14:00 UTC, not 13:00.
    accept(slack, fake_slack, "UALICE", "UBOB", "go")
    assert offered(modal(fake_slack)) == [utc(2, 14, month=11), utc(2, 14, 30, month=11), utc(2, 15, month=11)]


@time_machine.travel(MONDAY, tick=False)
def test_no_shared_hours_offers_the_closest_times_and_says_so(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    accept(slack, fake_slack, "UCARA", "UBOB", "rust")  # Tokyo and New York: no working hour in common
    view = json.dumps(modal(fake_slack))
    assert "No time inside both your working hours is free" in view and "closest to both" in view
    assert len(offered(modal(fake_slack))) == 3
    assert "Just chat in a group DM" in view


@time_machine.travel(MONDAY, tick=False)
def test_do_not_disturb_and_a_vacation_keep_times_out(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    fake_slack.set_dnd("UALICE", utc(23, 13).timestamp(), utc(23, 15).timestamp())
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    assert offered(modal(fake_slack))[0] == utc(23, 15)

    fake_slack.users["UCARA"].tz = "Europe/Berlin"
    fake_slack.users["UCARA"].status_emoji = ":palm_tree:"  # no expiry: away for a week
    accept(slack, fake_slack, "UALICE", "UCARA", "terraform")
    assert offered(modal(fake_slack))[0] >= utc(30, 9)


@time_machine.travel(MONDAY, tick=False)
def test_a_vacation_status_with_an_end_keeps_times_out_until_then(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    fake_slack.users["UBOB"].status_text = "On vacation"
    fake_slack.users["UBOB"].status_expiration = int(utc(25, 0).timestamp())  # back on Wednesday
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    assert offered(modal(fake_slack))[0] == utc(25, 14)


@time_machine.travel(MONDAY, tick=False)
def test_a_failing_dnd_lookup_falls_back_and_says_so(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    fake_slack.fail("dnd.info", status=429, retry_after=30, times=5)
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    view = json.dumps(modal(fake_slack))
    assert "do-not-disturb hours couldn't be read" in view
    assert offered(modal(fake_slack))[0] == utc(23, 14)  # working hours still apply


@time_machine.travel(MONDAY, tick=False)
def test_a_time_taken_meanwhile_is_refused_with_the_next_ones(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    bob_view = modal(fake_slack)
    first = str(int(utc(23, 14).timestamp()))
    slack.submit("UALICE", ids.PROPOSE_MODAL, bob_view["private_metadata"], proposal(slot=first, minutes="30"))
    _, to_bob, _ = confirm_buttons(fake_slack)

    # Meanwhile Cara asks Alice too, and takes the same hour first.
    fake_slack.users["UCARA"].tz = "Europe/London"
    accept(slack, fake_slack, "UALICE", "UCARA", "python")
    slack.submit("UALICE", ids.PROPOSE_MODAL, modal(fake_slack)["private_metadata"], proposal(slot=first))
    _, to_cara, _ = confirm_buttons(fake_slack)
    slack.click("UCARA", ids.CONFIRM_TIME, to_cara[0])

    slack.click("UBOB", ids.CONFIRM_TIME, to_bob[0], channel="DBOB", ts="9.9")
    refused = fake_slack.calls_to("chat.update")[-1].args
    assert "isn't free any more" in json.dumps(refused)
    fresh = buttons(refused["blocks"])[ids.CONFIRM_TIME]
    assert fresh and to_bob[0] not in fresh
    slack.click("UBOB", ids.CONFIRM_TIME, fresh[0])
    with deps.db() as session:
        starts = sorted(s.starts_at for s in session.scalars(select(LearningSession)) if s.starts_at)
    assert starts[0] == utc(23, 14) and starts[1] >= utc(23, 14, 30)


def book(slack: SlackDriver, fake: FakeSlack) -> str:
    """Alice and Bob agree on Monday 14:00 UTC; returns the session id from the intro's buttons."""
    accept(slack, fake, "UALICE", "UBOB", "sql")
    first = str(int(utc(23, 14).timestamp()))
    slack.submit("UALICE", ids.PROPOSE_MODAL, modal(fake)["private_metadata"], proposal(slot=first, minutes="30"))
    _, values, _ = confirm_buttons(fake)
    slack.click("UBOB", ids.CONFIRM_TIME, values[0])
    return buttons(group_dm(fake)[0]["blocks"])[ids.RESCHEDULE][0]


@time_machine.travel(MONDAY, tick=False)
def test_either_person_reschedules_and_the_other_confirms(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    session_id = book(slack, fake_slack)
    intro = group_dm(fake_slack)[0]
    slack.click("UBOB", ids.RESCHEDULE, session_id, channel=intro["channel"], ts="1.0")
    view = modal(fake_slack)
    assert view["title"]["text"] == "Move the session" and "Just chat" not in json.dumps(view)
    assert offered(view)[0] == utc(23, 14, 30)  # not its own time again
    later = str(int(utc(24, 15).timestamp()))
    slack.submit("UBOB", ids.PROPOSE_MODAL, view["private_metadata"], proposal(slot=later, minutes="30"))
    channel, values, asked = confirm_buttons(fake_slack)
    assert channel == intro["channel"]  # asked in the group DM: both see it
    assert "would like to move your session" in json.dumps(asked) and "<@UALICE>, does it suit you?" in json.dumps(
        asked
    )

    slack.click("UBOB", ids.CONFIRM_TIME, values[0])  # the one who asked cannot say yes for the other
    assert "for someone else" in said(fake_slack)
    slack.click("UALICE", ids.CONFIRM_TIME, values[0])
    booked = booked_session(deps)
    assert (booked.starts_at, booked.sequence, booked.reminder_sent_at) == (utc(24, 15), 1, None)
    moved = json.dumps(group_dm(fake_slack)[-1]["blocks"], ensure_ascii=False)
    assert "Moved:" in moved and "*Tue 24 Nov, 16:00–16:30* for <@UALICE>" in moved
    updated_intro = [c.args for c in fake_slack.calls_to("chat.update") if c.args["channel"] == intro["channel"]][-1]
    assert "Tue 24 Nov, 16:00" in json.dumps(updated_intro, ensure_ascii=False)
    first, second = calendar(fake_slack, 0).walk("VEVENT")[0], calendar(fake_slack, -1).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"]) and int(second["SEQUENCE"]) == 1
    assert second.decoded("DTSTART") == utc(24, 15)


@time_machine.travel(MONDAY, tick=False)
def test_cancel_tells_the_other_sends_a_cancellation_and_reopens_the_need(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    session_id = book(slack, fake_slack)
    slack.click("UALICE", ids.CANCEL_SESSION, session_id)
    assert modal(fake_slack)["callback_id"] == ids.CANCEL_MODAL
    reason = {"reason": {"value": {"type": "plain_text_input", "value": "Sick today, sorry"}}}
    assert slack.submit("UALICE", ids.CANCEL_MODAL, session_id, reason).status == 200

    told = json.dumps(group_dm(fake_slack)[-1]["blocks"])
    assert "<@UALICE> cancelled the session" in told and "Sick today, sorry" in told
    # Both people's times and zones, as every other group-DM message gives them.
    assert "*Mon 23 Nov, 15:00\\u201315:30* for <@UALICE> (Europe/Berlin)" in told
    assert "*Mon 23 Nov, 09:00\\u201309:30* for <@UBOB> (America/New_York)" in told
    assert "<@UBOB>, your need is open again" in told
    cancelled = calendar(fake_slack)
    assert cancelled["METHOD"] == "CANCEL" and str(cancelled.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert int(cancelled.walk("VEVENT")[0]["SEQUENCE"]) == 1
    with deps.db() as session:
        assert session.scalars(select(Match.status)).one() == MatchStatus.CANCELLED
        assert session.scalars(select(Need.status)).one() == NeedStatus.OPEN
        assert session.scalars(select(LearningSession.cancel_reason)).one() == "Sick today, sorry"

    again = slack.submit("UBOB", ids.CANCEL_MODAL, session_id, {})
    assert again.json["errors"]["reason"] == "This session is already cancelled."
    slack.click("UBOB", ids.RESCHEDULE, session_id)
    assert "was cancelled" in said(fake_slack)
    with time_machine.travel(utc(23, 13, 55), tick=False):  # five minutes before: no reminder for it
        scheduler.run_all()
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if "starts in" in json.dumps(c.args)]


@time_machine.travel(MONDAY, tick=False)
def test_just_chat_books_at_once_and_a_failed_calendar_upload_does_not_block(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    slack.submit("UALICE", ids.PROPOSE_MODAL, modal(fake_slack)["private_metadata"], proposal(chat=True))
    [intro] = group_dm(fake_slack)
    assert "No fixed time" in json.dumps(intro["blocks"]) and fake_slack.uploads == []
    assert buttons(intro["blocks"])[ids.RESCHEDULE]  # "Pick a time" later
    assert "Pick a time" in json.dumps(intro["blocks"])

    fake_slack.fail("files.getUploadURLExternal", error="missing_scope")
    accept(slack, fake_slack, "UCARA", "UBOB", "python")
    slack.submit(
        "UCARA",
        ids.PROPOSE_MODAL,
        modal(fake_slack)["private_metadata"],
        proposal(slot=None, day="2026-11-25", clock="08:00"),
    )
    _, values, _ = confirm_buttons(fake_slack)
    slack.click("UBOB", ids.CONFIRM_TIME, values[0])
    assert len(group_dm(fake_slack)) == 2 and fake_slack.uploads == []  # introduced, without the file


@time_machine.travel(MONDAY, tick=False)
def test_working_hours_people_set_shape_the_times(slack: SlackDriver, deps: Deps, fake_slack: FakeSlack) -> None:
    slack.command("/teach", "sql", user="UALICE")
    with deps.db.begin() as session:
        alice = session.scalars(select(Member).where(Member.user_id == "UALICE")).one()
        alice.working_hours = "mon-fri 15:30-17:00"  # Berlin: 14:30–16:00 UTC
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    assert offered(modal(fake_slack)) == [utc(23, 14, 30), utc(23, 15), utc(23, 15, 30)]


@time_machine.travel(MONDAY, tick=False)
def test_a_time_for_a_just_chat_is_picked_not_moved_and_its_invitation_is_new(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack
) -> None:
    accept(slack, fake_slack, "UALICE", "UBOB", "sql")
    slack.submit("UALICE", ids.PROPOSE_MODAL, modal(fake_slack)["private_metadata"], proposal(chat=True))
    [intro] = group_dm(fake_slack)
    session_id = buttons(intro["blocks"])[ids.RESCHEDULE][0]
    slack.click("UBOB", ids.RESCHEDULE, session_id, channel=intro["channel"], ts="1.0")
    view = modal(fake_slack)
    assert view["title"]["text"] == "Pick a time" and "Move" not in json.dumps(view)
    assert "Just chat" not in json.dumps(view)  # it is a chat already
    later = str(int(utc(24, 15).timestamp()))
    slack.submit("UBOB", ids.PROPOSE_MODAL, view["private_metadata"], proposal(slot=later, minutes="30"))
    _, values, asked = confirm_buttons(fake_slack)
    assert "proposes a time for your chat" in json.dumps(asked) and "move" not in json.dumps(asked)
    slack.click("UALICE", ids.CONFIRM_TIME, values[0])
    told = json.dumps(group_dm(fake_slack)[-1]["blocks"], ensure_ascii=False)
    assert "Set:" in told and "Moved" not in told and "updated" not in told
    invitation = calendar(fake_slack)
    assert invitation["METHOD"] == "REQUEST" and int(invitation.walk("VEVENT")[0]["SEQUENCE"]) == 0
    assert booked_session(deps).sequence == 0
