"""Answers to plain words (a direct message, an @mention) and the shortcuts' modal.

What the words ask for is answered by the /learn and /teach replies themselves (bot/views/learning.py,
teaching.py); this module says everything else: the guide, which of learning or teaching was meant, and a short
word on what could not be read.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.intent import Kind
from bot.views.common import button, clip, context, escape, modal, section
from bot.wire import WordsValue

LEARN, TEACH = "learn", "teach"  # the modal's two choices
EXAMPLES = "“I want to learn kubernetes” · “who knows terraform?” · “I can teach Excel” · “happy to help with React”"
NOTHING_SAVED = "Nothing was saved."

_REFUSALS = {
    Kind.CODE: "I can't read code, but I can find someone who knows it: name the language or tool in words, "
    "like “who knows SQL?”.",
    Kind.LINK: "I can't open links. Tell me the topic in words, like “I want to learn kubernetes”.",
    Kind.MENTION: "That names a person or a channel, not a topic. Tell me what you'd like to learn, like "
    "“who knows terraform?”, and I'll show who teaches it.",
    Kind.EMOJI: ":slightly_smiling_face: Tell me in words what you'd like to learn or can teach, like "
    "“I want to learn kubernetes”.",
    Kind.TOO_LONG: "That's a long message. Tell me in one line what you'd like to learn or can teach, like "
    "“I want to learn kubernetes”.",
    Kind.FOREIGN: "I only understand English so far. Tell me like “I want to learn kubernetes” or “I can teach Excel”.",
}


def as_message(payload: dict[str, Any]) -> dict[str, Any]:
    """A reply made for a slash command (text and blocks), as a message posted in a conversation."""
    return {key: value for key, value in payload.items() if key in ("text", "blocks")}


def guide() -> dict[str, Any]:
    """Hello, help, or nothing readable: what peerlearn does and how to ask it, in a few lines."""
    text = "Hi! Tell me in your own words what you'd like to learn or what you can teach."
    blocks = [
        section(f":wave: {text}"),
        section(
            "• *To learn:* “I want to learn kubernetes”, “who knows terraform?” — I show colleagues who teach it, "
            "with an *Ask* button each.\n"
            "• *To teach:* “I can teach Excel”, “happy to help with React” — I save it and show who is waiting."
        ),
        context(
            "What you want to learn stays private. `/learn` and `/teach` work anywhere too, and in a channel "
            "you can mention @peerlearn: only you see my answer."
        ),
    ]
    return _reply(text, blocks)


def mention_hint() -> dict[str, Any]:
    """A mention that names no topic: one line."""
    text = "Mention me with a topic, like “@peerlearn who knows terraform?”: only you will see my answer."
    return _reply(text, [context(text)])


def thanks() -> dict[str, Any]:
    text = "Anytime! Tell me whenever you'd like to learn or teach something."
    return _reply(text, [section(f":slightly_smiling_face: {text}")])


def refused(kind: Kind) -> dict[str, Any]:
    """Something that is no ask (code, a link, emoji, a mention, another language, a long text): why, in short."""
    text = _REFUSALS.get(kind) or f"I didn't catch a topic in that. Try {EXAMPLES}."
    return _reply(f"{text} {NOTHING_SAVED}", [section(text), context(NOTHING_SAVED)])


TOPIC_TOO_LONG = "That's too long for a topic: say it in a few words, like “kubernetes” or “public speaking”."


def topic_too_long() -> dict[str, Any]:
    """An ask whose topic runs too long to be one: no count (the person typed more than the topic's words)."""
    return _reply(f"{TOPIC_TOO_LONG} {NOTHING_SAVED}", [section(f":warning: {TOPIC_TOO_LONG}"), context(NOTHING_SAVED)])


def negated(topic: str) -> dict[str, Any]:
    """ "I don't want to learn java": nothing to do, and nothing done."""
    about = f" about *{escape(clip(topic, 60))}*" if topic and topic.lower() not in ("it", "that", "this") else ""
    text = f"Got it, I won't save anything{about}. Tell me whenever there's something you'd like to learn or teach."
    return _reply(text.replace("*", ""), [section(f":ok_hand: {text}")])


def reply_hint() -> dict[str, Any]:
    """ "yes", "15:00": an answer meant for a conversation, which peerlearn does not follow."""
    text = "I can't follow a conversation yet: to answer one of my questions, use its buttons."
    return _reply(
        f"{text} {NOTHING_SAVED}", [section(f":speech_balloon: {text}"), context(f"To ask me, try {EXAMPLES}.")]
    )


def not_understood() -> dict[str, Any]:
    """A sentence that says neither learning nor teaching, and names no topic."""
    text = "I didn't catch what you'd like to learn or teach."
    return _reply(f"{text} {NOTHING_SAVED}", [section(f":thinking_face: {text}"), context(f"Try {EXAMPLES}.")])


def no_topic(kind: Kind) -> dict[str, Any]:
    """ "I want to learn", with no topic: which one?"""
    if kind is Kind.TEACH:
        text, example = "What can you teach?", "“I can teach Excel, SQL”"
    else:
        text, example = "What would you like to learn?", "“I want to learn kubernetes”"
    return _reply(text, [section(f":thinking_face: {text} Tell me like {example}.")])


def invalid(reason: str) -> dict[str, Any]:
    """Words the /learn and /teach grammar refuses (too long, only punctuation): its reason, and how to ask."""
    return _reply(f"{reason} {NOTHING_SAVED}", [section(f":warning: {escape(reason)}"), context(f"Try {EXAMPLES}.")])


def which_one(words: str, foreign: bool = False) -> dict[str, Any]:
    """Words that may be a topic, said without "learn" or "teach": two buttons ask which."""
    shown = f"*{escape(clip(words, 100))}*"
    text = f"Would you like to learn {shown}, or can you teach it?"
    value = WordsValue(words).value
    blocks: list[Block] = []
    if foreign:
        blocks.append(context(_REFUSALS[Kind.FOREIGN]))
    blocks += [
        section(f":thinking_face: {text}"),
        ActionsBlock(
            elements=[
                button("I want to learn it", ids.LEARN_IT, value, primary=True),
                button("I can teach it", ids.TEACH_IT, value),
            ]
        ),
        context("Nothing is saved until you pick."),
    ]
    return _reply(f"Would you like to learn {escape(clip(words, 100))}, or can you teach it?", blocks)


def learn_or_teach_modal(topics: str = "", message: str | None = None) -> View:
    """Both shortcuts' form: learn or teach, and the topic. From a message shortcut, `message` is its text and
    `topics` what the matcher found in it, for the person to keep, pick from or change."""
    learn = Option(value=LEARN, label="I want to learn it")
    teach = Option(value=TEACH, label="I can teach it")
    blocks: list[Block] = []
    if message is not None:
        quoted = escape(clip(" ".join(message.split()), 150)) or "(no text)"
        found = "" if topics else " I didn't find a topic in it: type one below."
        blocks.append(context(f"From the message: “{quoted}”.{found}"))
    blocks += [
        InputBlock(
            block_id=ids.Field.CHOICE,
            label=PlainTextObject(text="What would you like to do?"),
            element=RadioButtonsElement(
                action_id=ids.INPUT, options=[learn, teach], initial_option=learn if message is not None else None
            ),
        ),
        InputBlock(
            block_id=ids.Field.TOPIC,
            label=PlainTextObject(text="Topic"),
            hint=PlainTextObject(
                # Neutral: the choice above can change after the hint is drawn, and commas mean several either way.
                text="For several topics, separate them with commas. Teaching? A note for learners goes after ` -- `."
            ),
            element=PlainTextInputElement(
                action_id=ids.INPUT,
                initial_value=clip(topics, 150) or None,
                placeholder="kubernetes · public speaking · our billing API",
                max_length=300,
            ),
        ),
        context("What you want to learn stays private. I'll answer in your DM with peerlearn."),
    ]
    title, submit = ("Find a colleague", "Find") if message is not None else ("Learn or teach", "Go")
    return modal(ids.ANYWHERE_MODAL, title, submit, blocks)


def _reply(text: str, blocks: list[Block]) -> dict[str, Any]:
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}
