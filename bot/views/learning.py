"""Replies to /learn: experts, "did you mean…?", or nobody yet with the related topics taught here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock

from bot import ids
from bot.domain import Level
from bot.grammar import LEARN_USAGE
from bot.services.experts import Choice, ExpertCard
from bot.services.learning import AS_TYPED, Changed, DidYouMean, LearnResult, NeedCard, NotATopic
from bot.views.common import (
    actions_json,
    button_json,
    clip,
    context,
    context_json,
    ephemeral,
    ephemeral_json,
    escape,
    local_time,
    section,
    section_json,
)
from bot.wire import AskValue, PickValue, TeachPickValue

KUDOS = "mortar_board"  # the default; a workspace shows its own kudos emoji
NOT_A_TOPIC = "That says how you'd like to learn, but not what. Name a topic, like `/learn intro to kubernetes`."


def learn_reply(result: LearnResult | DidYouMean | NotATopic, emoji: str = KUDOS) -> dict[str, Any]:
    """The best experts for a new need, or which topic was meant, or the promise to ping when someone teaches it."""
    # Built as dicts (see bot/views/common.py): every /learn answers with one of these.
    if isinstance(result, DidYouMean):
        return did_you_mean(result)
    if isinstance(result, NotATopic):
        return ephemeral_json(NOT_A_TOPIC, [section_json(f":thinking_face: {NOT_A_TOPIC}"), context_json(LEARN_USAGE)])
    topic = escape(result.topic)
    saved = "Saved" if result.created else "You already asked for this, so nothing new was saved"
    notes = _understood(result)
    if not result.experts:
        text = _nobody(result, topic)
        blocks = [section_json(f":seedling: {text}")]
        if result.related:
            blocks.append(section_json("Colleagues here teach related topics:"))
            blocks.append(actions_json(choice_elements(result.related, "", ids.LEARN_PICK, own=False)))
        blocks.append(context_json(" ".join([*notes, f"{saved}. See your needs with `/learn`."])))
        return ephemeral_json(text, blocks)
    blocks = [section_json(f":books: Colleagues who can teach you *{topic}*:")]
    blocks += [
        section_json(
            expert_line(card, result.now, emoji),
            button_json("Ask", ids.ASK, AskValue(result.need_id, card.user_id).value, primary=True),
        )
        for card in result.experts
    ]
    footer = f"{saved}. See your needs with `/learn`, close one with `/learn done {topic}`."
    blocks.append(context_json(" ".join([*notes, footer])))
    names = ", ".join(card.display_name for card in result.experts)
    return ephemeral_json(f"Colleagues who can teach you {result.topic}: {names}", blocks)


def _nobody(result: LearnResult, topic: str) -> str:
    """Why no expert is shown: you are the one who teaches it, those who do are unavailable, or nobody does."""
    if result.yourself and not result.away:
        return f"You teach *{topic}* yourself, and nobody else here does yet — you'll be pinged when someone does."
    if result.away:
        people = "colleague who teaches" if result.away == 1 else f"{result.away} colleagues who teach"
        return (
            f"The {people} *{topic}* can't take a request right now (paused, away or busy) — "
            "you'll be pinged when one is back."
        )
    return f"Nobody teaches *{topic}* yet — you'll be pinged as soon as someone offers it."


def _understood(result: LearnResult) -> list[str]:
    """What the ask was taken to mean, when it was not simply the topic's name, and the other topics it named."""
    notes = []
    if result.asked:
        notes.append(f"From “{escape(clip(result.asked, 150))}” I understood *{escape(result.topic)}*.")
    if result.also:
        others = either([f"*{escape(c.label)}*" for c in result.also], "and")
        asks = " or ".join(f"`/learn {escape(c.label)}`" for c in result.also[:3])
        it = "it" if len(result.also) == 1 else "them"
        notes.append(f"You also mentioned {others}: ask for {it} with {asks}.")
    return notes


def did_you_mean(result: DidYouMean) -> dict[str, Any]:
    """An ask close to several topics, or not close enough to one: a button per topic, and one for its own words."""
    text = f"Did you mean {either([f'*{escape(c.label)}*' for c in result.choices])}?"
    counts = " · ".join(f"{escape(c.label)}: {_teachers(c.teachers)}" for c in result.choices)
    blocks = [
        section_json(f":mag: {text}"),
        actions_json(choice_elements(result.choices, result.asked, ids.LEARN_PICK)),
        context_json(f"{counts}. Nothing is saved until you pick. You asked: “{escape(clip(result.asked, 150))}”."),
    ]
    return ephemeral_json(f"Did you mean {either([c.label for c in result.choices])}?", blocks)


def either(names: Sequence[str], word: str = "or") -> str:
    """ "A", "A or B", "A, B or C" (or with another `word`: "A, B and C")."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


@dataclass(frozen=True)
class Offer:
    """What a topic was offered with after /teach, for its "did you mean…?" buttons to keep."""

    level: Level | None
    note: str | None


def choice_buttons(
    choices: Sequence[Choice], asked: str, action_id: str, *, own: bool = True, offer: Offer | None = None
) -> ActionsBlock:
    """One button per topic. With `own`, they answer "did you mean…?" about `asked` (and teach the clicker an
    alias), and "none of these" keeps the person's own words as a topic; without, each asks for its topic."""
    return ActionsBlock(elements=choice_elements(choices, asked, action_id, own=own, offer=offer))


def choice_elements(
    choices: Sequence[Choice], asked: str, action_id: str, *, own: bool = True, offer: Offer | None = None
) -> list[dict[str, Any]]:
    """The buttons of `choice_buttons`, as dicts; their action_ids are numbered, as Slack wants them unique in a
    block. With an `offer` (after /teach), each carries the level and note the topic was offered with."""

    def value(key: str, words: str) -> str:
        alias = own and bool(key)
        if offer is None:
            return PickValue(key, words, alias).value
        return TeachPickValue(key, words, alias, offer.level, offer.note).value

    buttons = [
        button_json(
            clip(c.label, 70), ids.numbered(action_id, i), value(c.key, asked if own else c.label), primary=i == 0
        )
        for i, c in enumerate(choices[:4])
    ]
    # Two buttons never mean the same topic: "keep my words" is left out when they are one of the topics' names.
    if own and not any(c.label.casefold() == asked.strip().casefold() for c in choices[:4]):
        keep = ids.numbered(action_id, len(buttons))
        buttons.append(button_json(f"No: keep “{clip(asked, 40)}”", keep, value(AS_TYPED, asked)))
    return buttons


def _teachers(count: int) -> str:
    if not count:
        return "nobody teaches it here yet"
    return "1 colleague teaches it" if count == 1 else f"{count} colleagues teach it"


def expert_line(card: ExpertCard, now: datetime, emoji: str = KUDOS) -> str:
    """One expert: mention, topic, level, their local time, kudos and endorsements, and their note."""
    parts = [f"*<@{card.user_id}>* · {escape(card.topic)}"]
    if card.level:
        parts.append(card.level.value)
    clock = local_time(now, card.tz)
    if clock:
        parts.append(f"{clock} their time")
    parts.append(f":{emoji}: {card.kudos} kudos")
    if card.endorsements:
        by = "1 colleague" if card.endorsements == 1 else f"{card.endorsements} colleagues"
        parts.append(f"endorsed for *{escape(card.topic)}* by {by}")
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
