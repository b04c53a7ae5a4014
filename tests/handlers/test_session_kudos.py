"""The "Give kudos" button of a session follow-up counts like a reaction and obeys the same limits."""

import json

from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from store.models import Kudos, LearningSession, Member
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_kudos import workspace_chose
from tests.handlers.test_matching_flow import ask_first_expert, buttons, last_dm, proposal, said


def booked_session(slack: SlackDriver, deps: Deps) -> str:
    slack.command("/teach", "sql", user="UALICE")
    ask_first_expert(slack, "UBOB", "sql")
    match_id = buttons(last_dm(slack.fake, "UALICE").args["blocks"])[ids.ACCEPT][0]
    slack.click("UALICE", ids.ACCEPT, match_id)
    slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(chat=True))
    with deps.db() as session:
        return str(session.scalars(select(LearningSession.id)).one())


def test_give_kudos_after_a_session_counts_once(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    session_id = booked_session(slack, deps)
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    assert "Kudos sent to <@UALICE>" in said(fake_slack)
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    assert "already thanked <@UALICE> for this session" in said(fake_slack)
    slack.click("UALICE", ids.GIVE_KUDOS, session_id)  # the host cannot thank themselves
    assert "isn't yours" in said(fake_slack)
    with deps.db() as session:
        assert [k.message_ts for k in session.scalars(select(Kudos))] == [f"session-{session_id}"]


def test_give_kudos_obeys_the_daily_limit(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    session_id = booked_session(slack, deps)
    for i in range(5):
        fake_slack.add_user(f"UR{i}", f"R{i}")
        slack.event(
            {
                "type": "reaction_added",
                "user": "UBOB",
                "reaction": "mortar_board",
                "item_user": f"UR{i}",
                "item": {"type": "message", "channel": "C1", "ts": f"9.{i}"},
            }
        )
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    assert "all your kudos for today" in said(fake_slack)


def test_kudos_dms_can_be_switched_off_in_home(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "go", user="UALICE")
    slack.click("UALICE", ids.HOME_KUDOS_DM, "off")
    assert "Kudos DMs are off" in json.dumps(fake_slack.calls_to("views.publish")[-1].args["view"])
    with deps.db() as session:
        assert session.scalars(select(Member.kudos_dm).where(Member.user_id == "UALICE")).one() is False
    slack.event(
        {
            "type": "reaction_added",
            "user": "UBOB",
            "reaction": "mortar_board",
            "item_user": "UALICE",
            "item": {"type": "message", "channel": "C1", "ts": "1.1"},
        }
    )
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    assert [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"] == []


def test_the_button_reply_shows_the_workspace_emoji_and_limit(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    session_id = booked_session(slack, deps)
    workspace_chose(slack, fake_slack, emoji="clap", pair_limit="1")
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    assert said(fake_slack) == ":clap: Kudos sent to <@UALICE>. Thank you for saying thanks!"
    slack.event(
        {
            "type": "reaction_added",
            "user": "UBOB",
            "reaction": "clap",
            "item_user": "UALICE",
            "item": {"type": "message", "channel": "C1", "ts": "2.1"},
        }
    )
    told = last_dm(fake_slack, "UBOB").args["text"]  # the reaction after the button: over this workspace's limit
    assert "already thanked <@UALICE> once this week, so that :clap: didn't count" in told


def test_the_teacher_is_told_which_session_the_kudos_is_for(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    session_id = booked_session(slack, deps)
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    dm = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"][-1]
    text = json.dumps(dm.args["blocks"])
    assert "<@UBOB> for your session on *SQL*" in text and "this message" not in text


def test_kudos_for_a_session_cancelled_since_name_no_message(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    session_id = booked_session(slack, deps)
    slack.click("UALICE", ids.CANCEL_SESSION, session_id)
    slack.submit("UALICE", ids.CANCEL_MODAL, session_id, {})
    slack.click("UBOB", ids.GIVE_KUDOS, session_id)
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    dm = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UALICE"][-1]
    text = json.dumps(dm.args["blocks"])
    assert "<@UBOB> for your session" in text and "this message" not in text
