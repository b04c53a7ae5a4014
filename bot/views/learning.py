"""Replies to /learn and /teach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot.grammar import LEARN_USAGE, TEACH_USAGE
from bot.services.learning import Changed, ExpertCard, LearnResult, MyTopics, NeedCard, TeachResult
from bot.views.common import button, clip, context, ephemeral, escape, local_time, section
from handlers import ids

KUDOS = ":mortar_board:"


def learn_reply(result: LearnResult) -> dict[str, Any]:
    """The best experts for a new need, or the promise to ping when someone teaches it."""
    topic = escape(result.topic)
    saved = "Saved" if result.created else "You already asked for this, so nothing new was saved"
    if not result.experts:
        text = f"Nobody teaches *{topic}* yet — you'll be pinged as soon as someone offers it."
        return ephemeral(text, [section(f":seedling: {text}"), context(f"{saved}. See your needs with `/learn`.")])
    blocks: list[Block] = [section(f":books: Colleagues who can teach you *{topic}*:")]
    blocks += [
        section(expert_line(card, result.now), button("Ask", ids.ASK, f"{result.need_id}:{card.user_id}", primary=True))
        for card in result.experts
    ]
    blocks.append(context(f"{saved}. See your needs with `/learn`, close one with `/learn done {topic}`."))
    names = ", ".join(card.display_name for card in result.experts)
    return ephemeral(f"Colleagues who can teach you {result.topic}: {names}", blocks)


def expert_line(card: ExpertCard, now: datetime) -> str:
    """One expert: mention, topic, level, their local time, kudos, and their note."""
    parts = [f"*<@{card.user_id}>* · {escape(card.topic)}"]
    if card.level:
        parts.append(card.level.value)
    clock = local_time(now, card.tz)
    if clock:
        parts.append(f"{clock} their time")
    parts.append(f"{KUDOS} {card.kudos} kudos")
    line = " · ".join(parts)
    if card.note:
        line += f"\n>{escape(clip(card.note, 300))}"
    return line


def needs_list(needs: Sequence[NeedCard]) -> dict[str, Any]:
    """`/learn` alone: the caller's open needs, then the usage."""
    if not needs:
        return ephemeral("You have no open needs.", [section("You have no open needs."), context(LEARN_USAGE)])
    lines = "\n".join(f"• *{escape(n.topic)}* — {n.status.value} since {n.since:%b %d}" for n in needs)
    return ephemeral(f"Your open needs: {len(needs)}", [section(f"*Your open needs*\n{lines}"), context(LEARN_USAGE)])


def need_closed(result: Changed, done: bool) -> dict[str, Any]:
    if not result.changed:
        text = f"You have no open need for “{escape(result.missing[0])}”. See them with `/learn`."
        return ephemeral(text)
    verb = "Marked *{}* as done. Nice work! :tada:" if done else "Cancelled your need for *{}*."
    return ephemeral(verb.format(escape(result.changed[0])))


def teach_reply(result: TeachResult) -> dict[str, Any]:
    """Confirm the saved topics and show who is waiting for them."""
    saved = ", ".join(f"*{escape(t)}*" for t in result.saved)
    blocks: list[Block] = [section(f":white_check_mark: You teach {saved}. Thank you!")]
    if result.waiting:
        blocks.append(DividerBlock())
        # Up to 5 topics and 5 needs each keeps the reply far below Slack's 50 blocks.
        for wait in result.waiting[:5]:
            people = "person wants" if len(wait.needs) == 1 else "people want"
            blocks.append(section(f"*{len(wait.needs)} {people} to learn {escape(wait.topic)}*"))
            for need in wait.needs[:5]:
                line = f"“{escape(clip(need.text, 200))}” · waiting since {need.since:%b %d}"
                blocks.append(section(line, button("Offer help", ids.OFFER_HELP, str(need.need_id))))
    else:
        blocks.append(context("Nobody is waiting for these yet; you'll be matched when someone asks."))
    if result.paused:
        blocks.append(context(":double_vertical_bar: You are paused, so nobody is matched with you. `/teach resume`"))
    return ephemeral(f"You teach {', '.join(result.saved)}.", blocks)


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
