"""Kudos reactions through signed events."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from store.models import Kudos, Member
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_workspace_settings import form as settings_form
from tests.handlers.test_workspace_settings import home_of


def reaction(kind: str, giver: str, author: str | None, emoji: str = "mortar_board", ts: str = "1700.0001") -> dict:
    event = {"type": kind, "user": giver, "reaction": emoji, "item": {"type": "message", "channel": "C1", "ts": ts}}
    if author:
        event["item_user"] = author
    return event


def kudos_rows(deps: Deps) -> list[tuple[str, str]]:
    with deps.db() as session:
        return [(k.channel_id, k.emoji) for k in session.scalars(select(Kudos))]


def test_kudos_given_once_even_when_slack_retries(slack: SlackDriver, deps: Deps) -> None:
    event = reaction("reaction_added", "UBOB", "UALICE")
    assert slack.event(event, event_id="EvK1").status == 200
    assert slack.event(event, event_id="EvK1", retry=1).status == 200
    assert slack.event(event, event_id="EvK1", retry=2).status == 200
    assert kudos_rows(deps) == [("C1", "mortar_board")]


def test_removing_the_reaction_takes_it_back(slack: SlackDriver, deps: Deps) -> None:
    slack.event(reaction("reaction_added", "UBOB", "UALICE"))
    slack.event(reaction("reaction_removed", "UBOB", "UALICE"))
    slack.event(reaction("reaction_removed", "UBOB", "UALICE"))  # nothing left to remove: quiet
    assert kudos_rows(deps) == []


def test_self_kudos_bots_and_other_emoji_do_not_count(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    fake_slack.add_user("UROBOT", "Deploy Bot", is_bot=True)
    slack.event(reaction("reaction_added", "UALICE", "UALICE"))
    slack.event(reaction("reaction_added", "UBOB", "UROBOT"))
    slack.event(reaction("reaction_added", "UBOB", fake_slack.bot_user_id))
    slack.event(reaction("reaction_added", "UBOB", None))
    slack.event(reaction("reaction_added", "UBOB", "UALICE", emoji="thumbsup"))
    assert kudos_rows(deps) == []
    slack.event(reaction("reaction_added", "UBOB", "UALICE", emoji="mortar_board::skin-tone-3"))
    assert kudos_rows(deps) == [("C1", "mortar_board")]


def test_kudos_count_shows_next_to_the_expert(slack: SlackDriver) -> None:
    slack.command("/teach", "sql", user="UALICE")
    slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="1.1"))
    slack.event(reaction("reaction_added", "UCARA", "UALICE", ts="1.2"))
    assert ":mortar_board: 2 kudos" in slack.command("/learn", "sql", user="UCARA").text


def test_a_retried_event_is_handled_once(slack: SlackDriver, deps: Deps) -> None:
    """Give, take back, then Slack redelivers the first event: the kudos must stay taken back."""
    added = reaction("reaction_added", "UBOB", "UALICE")
    slack.event(added, event_id="EvOnce1")
    slack.event(reaction("reaction_removed", "UBOB", "UALICE"), event_id="EvOnce2")
    assert slack.event(added, event_id="EvOnce1", retry=1).status == 200
    assert kudos_rows(deps) == []


def limit_dms(fake_slack) -> list[str]:
    return [c.args["text"] for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UBOB"]


def test_daily_limit_in_the_workspace_day_tells_the_giver_once(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    receivers = ["UALICE", "UCARA"] * 4
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=True) as clock:
        for i, receiver in enumerate(receivers[:7]):
            slack.event(reaction("reaction_added", "UBOB", receiver, ts=f"2.{i}"))
        assert len(kudos_rows(deps)) == 5  # PEERLEARN_KUDOS_DAILY_LIMIT defaults to 5
        assert len(limit_dms(fake_slack)) == 1
        assert "all your kudos for today" in limit_dms(fake_slack)[0]
        clock.move_to(datetime(2026, 11, 24, 0, 30, tzinfo=UTC))  # a new day in UTC, the workspace timezone
        slack.event(reaction("reaction_added", "UBOB", "UCARA", ts="3.0"))
    assert len(kudos_rows(deps)) == 6


def test_pair_limit_per_week(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=True) as clock:
        for i in range(3):
            slack.event(reaction("reaction_added", "UBOB", "UALICE", ts=f"4.{i}"))
        clock.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # same ISO week, another day
        slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="4.9"))
        assert len(kudos_rows(deps)) == 3
        assert "already thanked <@UALICE> 3 times this week" in limit_dms(fake_slack)[0]
        slack.event(reaction("reaction_added", "UBOB", "UCARA", ts="5.0"))  # someone else is fine
        assert len(kudos_rows(deps)) == 4
        clock.move_to(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # next Monday
        slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="6.0"))
    assert len(kudos_rows(deps)) == 5


def test_the_daily_limit_holds_under_parallel_events(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    """Slack delivers events in parallel: ten at once from one giver still store exactly five."""
    for i in range(10):
        fake_slack.add_user(f"UR{i}", f"Receiver {i}")
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda i: slack.event(reaction("reaction_added", "UBOB", f"UR{i}", ts=f"8.{i}")), range(10)))
    deps.background.wait_idle()
    assert len(kudos_rows(deps)) == 5


def dms_to(fake_slack, user: str) -> list[dict]:
    return [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == user]


def test_the_receiver_gets_one_dm_per_burst_with_links(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="1700000001.000200"))
    slack.event(reaction("reaction_added", "UCARA", "UALICE", ts="1700000002.000300"))
    assert dms_to(fake_slack, "UALICE") == []  # batched: nothing until the minute is up
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    [dm] = dms_to(fake_slack, "UALICE")
    text = json.dumps(dm["blocks"])
    assert "You got 2 kudos!" in text
    assert "<@UBOB> for <https://slack.com/archives/C1/p1700000001000200|this message>" in text
    assert "<@UCARA>" in text

    slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="1700000003.000400"))
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    latest = dms_to(fake_slack, "UALICE")[-1]
    assert "You got kudos!" in json.dumps(latest["blocks"])
    assert "UCARA" not in json.dumps(latest["blocks"])  # only what is new


def test_no_kudos_dm_when_switched_off(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/learn", "go", user="UALICE")  # Alice exists
    with deps.db.begin() as session:
        session.scalars(select(Member).where(Member.user_id == "UALICE")).one().kudos_dm = False
    slack.event(reaction("reaction_added", "UBOB", "UALICE"))
    deps.kudos_batch.flush()
    deps.background.wait_idle()
    assert dms_to(fake_slack, "UALICE") == []
    with deps.db() as session:
        assert session.scalars(select(Kudos.notified_at)).one() is not None


def workspace_chose(slack: SlackDriver, fake_slack, *, emoji: str, pair_limit: str) -> None:
    """An admin saves the workspace's kudos emoji and weekly pair limit in App Home's settings."""
    fake_slack.add_user("UADA", "Ada", is_admin=True)
    home_of(slack, "UADA")
    reply = slack.submit(
        "UADA",
        ids.SETTINGS_MODAL,
        "",
        settings_form(timezone="UTC", kudos_emoji=emoji, kudos_daily_limit="10", kudos_pair_weekly_limit=pair_limit),
    )
    assert reply.status == 200 and not (reply.json or {}).get("errors")


def test_kudos_messages_say_the_workspace_limit_and_emoji(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    workspace_chose(slack, fake_slack, emoji="clap, tada", pair_limit="2")
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=True):
        for i in range(3):
            slack.event(reaction("reaction_added", "UBOB", "UALICE", emoji="tada", ts=f"7.{i}"))
    assert len(kudos_rows(deps)) == 2
    [told] = limit_dms(fake_slack)
    assert "already thanked <@UALICE> 2 times this week, so that :clap: didn't count" in told
    assert "mortar_board" not in told

    deps.kudos_batch.flush()
    deps.background.wait_idle()
    [dm] = dms_to(fake_slack, "UALICE")
    assert dm["text"] == "You got 2 kudos!"
    assert ":clap: You got 2 kudos!" in json.dumps(dm["blocks"])
    assert "mortar_board" not in json.dumps(dm)


def test_a_weekly_limit_of_one_reads_once(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    workspace_chose(slack, fake_slack, emoji="mortar_board", pair_limit="1")
    slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="7.0"))
    slack.event(reaction("reaction_added", "UBOB", "UALICE", ts="7.1"))
    assert len(kudos_rows(deps)) == 1
    assert "already thanked <@UALICE> once this week, so that :mortar_board:" in limit_dms(fake_slack)[0]
