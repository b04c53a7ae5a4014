"""Replies to /teach: what was saved under which name, who is waiting for it, and "did you mean…?"."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot import ids
from bot.grammar import TEACH_USAGE
from bot.services.learning import Changed, NotATopic
from bot.services.teaching import MyTopics, TeachResult
from bot.views.common import button, clip, context, ephemeral, escape, section
from bot.views.learning import Offer, choice_buttons, either
from bot.wire import NeedValue

NOT_A_TOPIC = "That says how you'd teach, but not what. Name a topic, like `/teach kubernetes`."


def teach_reply(result: TeachResult | NotATopic) -> dict[str, Any]:
    """Confirm the saved topics under their names, ask about the unsure ones, and show who is waiting."""
    if isinstance(result, NotATopic):
        text = f"“{clip(result.asked, 60)}”: {NOT_A_TOPIC}"
        return ephemeral(text, [section(f":thinking_face: {escape(text)}"), context(TEACH_USAGE)])
    blocks: list[Block] = []
    if result.saved:
        saved = ", ".join(f"*{escape(t)}*" for t in result.saved)
        blocks.append(section(f":white_check_mark: You teach {saved}. Thank you!"))
    if result.understood:
        read = "; ".join(f"“{escape(clip(typed, 60))}” as *{escape(label)}*" for typed, label in result.understood)
        blocks.append(context(f"I read {read}."))
    for unsure in result.uncertain[:5]:
        offer = Offer(result.level, unsure.note)  # a note belongs to the topic it was typed with
        names = either([f"*{escape(c.label)}*" for c in unsure.choices])
        asked = f"“{escape(clip(unsure.asked, 60))}”"
        blocks.append(
            section(f":mag: Saved as you wrote it. By {asked}, did you mean {names}? A click moves it there.")
        )
        blocks.append(choice_buttons(unsure.choices, unsure.asked, ids.TEACH_PICK, offer=offer))
    if result.waiting:
        blocks.append(DividerBlock())
        # Up to 5 topics and 5 needs each keeps the reply far below Slack's 50 blocks.
        for wait in result.waiting[:5]:
            people = "person wants" if len(wait.needs) == 1 else "people want"
            blocks.append(section(f"*{len(wait.needs)} {people} to learn {escape(wait.topic)}*"))
            for need in wait.needs[:5]:
                line = f"“{escape(clip(need.text, 200))}” · waiting since {need.since:%b %d}"
                blocks.append(section(line, button("Offer help", ids.OFFER_HELP, NeedValue(need.need_id).value)))
    elif result.saved and not (result.opted_out or result.paused):
        blocks.append(context("Nobody is waiting for these yet; you'll be matched when someone asks."))
    if result.opted_out:
        blocks.append(context(":no_entry: You are opted out, so nobody is matched with you. Opt back in on App Home."))
    elif result.paused:
        blocks.append(context(":double_vertical_bar: You are paused, so nobody is matched with you. `/teach resume`"))
    if result.saved:
        return ephemeral(f"You teach {', '.join(result.saved)}.", blocks)
    return ephemeral("Which topic did you mean?", blocks)


def not_a_topic(result: NotATopic) -> str:
    """A form's error for a topic field that names no topic."""
    return f"“{clip(result.asked, 60)}”: {NOT_A_TOPIC}"


def topics_list(mine: MyTopics) -> dict[str, Any]:
    """`/teach` alone: the caller's topics, then the usage."""
    if not mine.offers:
        return ephemeral(
            "You don't teach anything yet.", [section("You don't teach anything yet."), context(TEACH_USAGE)]
        )
    lines = []
    for offer in mine.offers:
        line = f"• *{escape(offer.topic)}*" + (f" ({offer.level.value})" if offer.level else "")
        if offer.note:
            line += f" — {escape(clip(offer.note, 200))}"
        lines.append(line)
    state = "\n:double_vertical_bar: Paused: nobody is matched with you." if mine.paused else ""
    body = "*Your topics*\n" + "\n".join(lines) + state
    count = len(mine.offers)
    return ephemeral(f"You teach {count} topic{'s' if count != 1 else ''}.", [section(body), context(TEACH_USAGE)])


def topics_removed(result: Changed) -> dict[str, Any]:
    parts = []
    if result.changed:
        parts.append("You no longer teach " + ", ".join(f"*{escape(t)}*" for t in result.changed) + ".")
    if result.missing:
        parts.append("You didn't teach " + ", ".join(f"“{escape(t)}”" for t in result.missing) + ".")
    return ephemeral(" ".join(parts))


def pause_reply(paused: bool, changed: bool) -> dict[str, Any]:
    if paused:
        text = "Paused: nobody will be matched with you until `/teach resume`."
    else:
        text = "Welcome back: you can be matched again."
    return ephemeral(text if changed else f"Already so. {text}")
