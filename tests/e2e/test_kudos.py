"""Kudos reactions through signed events."""

from sqlalchemy import select

from bot.deps import Deps
from store.models import Kudos
from tests.fakes.slack_requests import SlackDriver


def reaction(kind: str, giver: str, author: str | None, emoji: str = "mortar_board", ts: str = "1700.0001") -> dict:
    event = {"type": kind, "user": giver, "reaction": emoji, "item": {"type": "message", "channel": "C1", "ts": ts}}
    if author:
        event["item_user"] = author
    return event


def kudos_rows(deps: Deps) -> list[tuple[str, str]]:
    with deps.sessions() as session:
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
