"""Asking from anywhere, end to end: signed `message.im` and `app_mention` events and the buttons on their answers,
through the real app, the strict fake Slack and a real database (SQLite and PostgreSQL)."""

import itertools
import json
import re
from typing import Any

from sqlalchemy import func, select

from bot import ids
from bot.deps import Deps
from bot.slack.payloads import app_mention, direct_message
from store.models import Need, Offer
from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import SlackDriver

BOT = "UPEERBOT"  # the fake Slack's bot user
_ts = itertools.count(1)


def new_ts() -> str:
    return f"1700000000.{next(_ts):06d}"


def dm(slack: SlackDriver, user: str, text: str, **fields: Any) -> list[Call]:
    """`user` writes `text` to peerlearn; the messages peerlearn posted back."""
    before = len(slack.fake.calls_to("chat.postMessage"))
    event = direct_message(user, text, new_ts(), **fields)
    reply = slack.event(event)
    assert (reply.status, reply.body) == (200, "")  # acked, with the answer sent after
    return [c for c in slack.fake.calls_to("chat.postMessage")[before:] if c.args["channel"] == event["channel"]]


def mention(slack: SlackDriver, user: str, text: str, *, thread_ts: str | None = None) -> list[Call]:
    """`user` writes `@peerlearn text` in #general; the ephemeral messages peerlearn posted back."""
    before = len(slack.fake.calls_to("chat.postEphemeral"))
    reply = slack.event(app_mention(user, "C0GENERAL", f"<@{BOT}> {text}", new_ts(), thread_ts=thread_ts))
    assert (reply.status, reply.body) == (200, "")
    return slack.fake.calls_to("chat.postEphemeral")[before:]


def shown(call: Call) -> str:
    return str(call.args.get("text", "")) + json.dumps(call.args.get("blocks", []), ensure_ascii=False)


def buttons(call: Call) -> dict[str, str]:
    """action_id → value of every button in a message."""
    found = {}
    for block in call.args.get("blocks", []):
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                found[element["action_id"]] = element["value"]
    return found


def count(deps: Deps, model: type) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def without_values(blocks: list[dict[str, Any]]) -> str:
    """Blocks as a person sees them: the ids a button carries (the need's) left out."""
    return json.dumps(blocks).replace('"value": ', "").split("ask_expert")[0]


def test_a_direct_message_to_learn_gets_the_commands_answer_in_the_same_dm(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes level: expert -- happy to pair", user="UALICE")
    [answer] = dm(slack, "UBOB", "I want to learn kubernetes")
    assert answer.args["channel"] == "DBOB"  # the DM it was written in
    assert "<@UALICE>" in shown(answer) and "happy to pair" in shown(answer)
    assert buttons(answer)[ids.ASK].endswith(":UALICE")
    with deps.db() as session:
        need = session.scalars(select(Need)).one()
        assert (need.member.user_id, need.topic.name, need.raw_text) == ("UBOB", "kubernetes", "kubernetes")
    # The same blocks and buttons as the command gives.
    command = slack.command("/learn", "kubernetes", user="UCARA")
    assert without_values(answer.args["blocks"]) == without_values(command.json["blocks"])
    # …and its Ask button works from the DM as from the command's reply.
    slack.click("UBOB", ids.ASK, buttons(answer)[ids.ASK], channel="DBOB")
    assert any(call.args["channel"] == "UALICE" for call in slack.fake.calls_to("chat.postMessage"))


def test_a_direct_message_to_teach_saves_the_topics_and_tells_who_waits(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/learn", "react", user="UBOB")
    [answer] = dm(slack, "UALICE", "happy to help with React and SQL")
    assert "You teach *React*, *SQL*" in shown(answer)
    assert ids.OFFER_HELP in buttons(answer)  # Bob's need, without Bob's name
    assert "UBOB" not in shown(answer)
    assert count(deps, Offer) == 2
    told = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "UBOB"]
    assert told and "<@UALICE>" in shown(told[-1])  # Bob hears someone now teaches React


def test_an_unclear_message_asks_which_and_both_buttons_answer(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes", user="UALICE")
    [question] = dm(slack, "UBOB", "kubernetes")
    assert set(buttons(question)) == {ids.LEARN_IT, ids.TEACH_IT}
    assert count(deps, Need) == count(deps, Offer) - 1 == 0  # nothing saved until a click

    slack.click("UBOB", ids.LEARN_IT, buttons(question)[ids.LEARN_IT], channel="DBOB")
    learned = slack.fake.calls_to("response_url")[-1]
    assert learned.args["replace_original"] is True  # the answer takes the question's place
    assert "<@UALICE>" in shown(learned) and ids.ASK in buttons(learned)
    assert count(deps, Need) == 1

    [question] = dm(slack, "UCARA", "sashiko stitching")  # a topic nobody here named yet is still a topic
    slack.click("UCARA", ids.TEACH_IT, buttons(question)[ids.TEACH_IT], channel="DCARA")
    assert "You teach *sashiko stitching*" in shown(slack.fake.calls_to("response_url")[-1])
    assert count(deps, Offer) == 2


def test_greetings_help_and_thanks_get_a_short_answer(slack: SlackDriver, deps: Deps) -> None:
    for text in ("hi!", "help", "what can you do?"):
        [guide] = dm(slack, "UBOB", text)
        assert "I want to learn kubernetes" in shown(guide) and "I can teach Excel" in shown(guide)
    [thanks] = dm(slack, "UBOB", "thanks!")
    assert "Anytime" in shown(thanks)
    [which] = dm(slack, "UBOB", "I want to learn")
    assert "What would you like to learn?" in shown(which)
    [lost] = dm(slack, "UBOB", "the meeting moved to 3pm tomorrow in the big room")
    assert "didn't catch" in shown(lost)
    assert count(deps, Need) == count(deps, Offer) == 0


def test_a_mention_answers_only_the_asker_in_the_channel(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "terraform", user="UALICE")
    [answer] = mention(slack, "UBOB", "who knows terraform?")
    assert (answer.args["channel"], answer.args["user"]) == ("C0GENERAL", "UBOB")
    assert "thread_ts" not in answer.args
    assert "<@UALICE>" in shown(answer) and ids.ASK in buttons(answer)
    assert not slack.fake.calls_to("chat.postMessage")  # nothing the channel sees
    with deps.db() as session:
        need = session.scalars(select(Need)).one()
        assert (need.member.user_id, need.topic.name) == ("UBOB", "terraform")  # Bob's own, private need


def test_a_mention_in_a_thread_answers_in_that_thread(slack: SlackDriver) -> None:
    slack.command("/teach", "helm", user="UALICE")
    [answer] = mention(slack, "UCARA", "can someone teach me helm", thread_ts="1699999999.000001")
    assert answer.args["thread_ts"] == "1699999999.000001" and "<@UALICE>" in shown(answer)


def test_a_mention_without_a_topic_gets_one_line(slack: SlackDriver, deps: Deps) -> None:
    for text in ("", "hi", "help"):
        [hint] = mention(slack, "UBOB", text)
        assert len(hint.args["blocks"]) == 1 and "@peerlearn who knows terraform?" in hint.args["text"]
    assert count(deps, Need) == 0


def test_a_mention_peerlearn_cannot_show_there_reaches_the_dm(slack: SlackDriver) -> None:
    slack.fake.fail("chat.postEphemeral", error="channel_not_found")
    slack.event(app_mention("UBOB", "C0GONE", f"<@{BOT}> who knows go?", new_ts()))
    assert slack.fake.calls_to("chat.postMessage")[-1].args["channel"] == "UBOB"


def test_retries_edits_deletions_and_bots_are_answered_never_or_once(slack: SlackDriver, deps: Deps) -> None:
    ts = new_ts()
    event = direct_message("UBOB", "I want to learn rust", ts)
    slack.event(event, event_id="EvRETRY1")
    slack.event(event, event_id="EvRETRY1", retry=1)  # Slack's retry: the same event id
    slack.event(event, event_id="EvOTHER2")  # the same message delivered again under another id
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert count(deps, Need) == 1

    ignored = [
        direct_message(BOT, "I want to learn go", new_ts()),  # peerlearn's own message in the DM
        direct_message("UCARA", "I want to learn go", new_ts(), bot_id="BOTHER", subtype="bot_message"),
        direct_message("UCARA", "I want to learn go", new_ts(), bot_id="BOTHER"),  # a bot posting as an app
        direct_message("UBOB", "", new_ts(), subtype="message_changed", message={"text": "I want to learn go"}),
        direct_message("UBOB", "", new_ts(), subtype="message_deleted"),
        direct_message("UBOB", "I want to learn go", new_ts(), channel_type="channel", channel="C0GENERAL"),
    ]
    for other in ignored:
        assert slack.event(other).status == 200
    mentioned = app_mention("UCARA", "C0GENERAL", f"<@{BOT}> who knows go?", new_ts()) | {"bot_id": "BOTHER"}
    slack.event(mentioned)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert not slack.fake.calls_to("chat.postEphemeral")
    assert count(deps, Need) == 1


def test_a_burst_gets_one_answer_per_message_in_order_through_rate_limits(slack: SlackDriver, deps: Deps) -> None:
    slack.fake.fail("chat.postMessage", status=429, retry_after=0, times=2)  # Slack slows the first two down
    topics = ["rust", "go", "sql", "helm", "excel"]
    for topic in topics:
        slack.event(direct_message("UBOB", f"I want to learn {topic}", new_ts()))
    delivered = [c for c in slack.fake.calls_to("chat.postMessage") if c.response.get("ok")]
    answered = [re.search(r"Nobody teaches \*(\w+)\*", c.args["text"]) for c in delivered]
    assert [found[1].casefold() for found in answered if found] == topics
    assert len(slack.fake.calls_to("chat.postMessage")) == len(topics) + 2  # the two refused, then retried
    assert count(deps, Need) == len(topics)


def test_what_is_no_ask_gets_a_short_answer_and_saves_nothing(slack: SlackDriver, deps: Deps) -> None:
    cases = {
        "```SELECT * FROM users```": "can't read code",
        "https://example.com/docs": "can't open links",
        "<https://example.com|the docs>": "can't open links",
        ":tada: :tada:": "Tell me in words",
        "🎉": "Tell me in words",
        "<@UALICE>": "names a person",
        "who knows <@UALICE>?": "names a person",
        "Je voudrais apprendre le piano et le violon": "only understand English",
        "please " * 60: "long message",
    }
    for text, said in cases.items():
        [answer] = dm(slack, "UBOB", text)
        assert said in shown(answer), text
        assert len(answer.args["text"]) < 200
        [private] = mention(slack, "UBOB", text)
        assert said in shown(private), text
    # Another language naming a known topic: it says so, and asks before saving anything.
    [asked] = dm(slack, "UBOB", "Hola, quiero aprender kubernetes")
    assert "only understand English" in shown(asked) and "*Kubernetes*" in shown(asked)
    assert set(buttons(asked)) == {ids.LEARN_IT, ids.TEACH_IT}
    assert count(deps, Need) == count(deps, Offer) == 0
