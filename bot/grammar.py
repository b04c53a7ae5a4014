"""The slash-command grammar (README, "What it does"): text in, a typed command (or the reason it is invalid) out."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.domain import Level
from bot.markup import plain
from bot.matcher.text import words
from bot.nearmiss import slip_for

MAX_TOPIC_CHARS = 100
MAX_ASK_CHARS = 150  # a /learn ask is one topic said in a sentence: "a gentle intro to kubernetes for my team"
MAX_TOPICS = 10
MAX_NOTE_CHARS = 300

_LEVEL = re.compile(r"\blevel\s*:\s*(\S+)", re.IGNORECASE)
# The dashes people type before a note: ` -- `, ` - `, and what phones and editors make of `--` (`—`, `–`, `––`).
# A spaced dash or two or more dashes anywhere separate; an em dash always. A hyphen inside a word (`ci-cd`,
# `objective-c`) or a lone en dash between two words (`Michaelis–Menten`) does not.
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NOTE = re.compile(rf"(?:^|\s)[{_DASH}]+(?=\s|$)|[{_DASH}]{{2,}}|[\u2014\u2015]")

LEARN_USAGE = (
    "*/learn TOPIC* — say what you want to learn and see who can teach it\n"
    "*/learn* — your open needs\n"
    "*/learn done TOPIC* · */learn cancel TOPIC*\n"
    "Example: `/learn kubernetes`"
)
TEACH_USAGE = (
    "*/teach TOPIC, TOPIC…* — offer what you can teach (optional `level: beginner|intermediate|expert`, "
    "and a note after ` -- ` or `—` for the topic just before it; `/teach TOPIC --` clears it)\n"
    "*/teach* — your topics\n"
    "*/teach remove TOPIC* · */teach pause* · */teach resume*\n"
    "Example: `/teach kubernetes, helm level: expert -- happy to pair on Fridays`"
)


@dataclass(frozen=True)
class Invalid:
    """Input we cannot act on, with a short reason shown above the usage."""

    reason: str


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Learn:
    topic: str


@dataclass(frozen=True)
class LearnClose:
    topic: str
    done: bool  # True for `done`, False for `cancel`


@dataclass(frozen=True)
class Teach:
    topics: tuple[str, ...]
    level: Level | None = None
    note: str | None = None  # None keeps the note a topic has; "" clears it (`/teach python --`)
    noted: str | None = None  # the topic the note was typed after; None: every topic (a form has one note field)

    def note_for(self, topic: str) -> str | None:
        """The note to save with one of `topics`: None keeps the one it has, "" clears it."""
        return self.note if self.noted is None or topic == self.noted else None


@dataclass(frozen=True)
class TeachRemove:
    topics: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class TeachPause:
    paused: bool


@dataclass(frozen=True)
class NearCommand:
    """A word close to a subcommand ("delete", "cancle") before a topic: we ask rather than save it as a topic."""

    suggestion: str  # the command they probably meant
    literal: str  # how to say that it really is a topic


LearnCommand = Help | Learn | LearnClose | NearCommand | Invalid
TeachCommand = Help | Teach | TeachRemove | TeachPause | NearCommand | Invalid

# Other words for a subcommand: before a topic for those that take one, alone for pause and resume.
_LEARN_NEAR = {
    **dict.fromkeys(("finished", "finish", "complete", "completed", "learned", "learnt"), "done"),
    **dict.fromkeys(("remove", "delete", "del", "rm", "close", "unlearn", "forget"), "cancel"),
}
_TEACH_NEAR = {
    **dict.fromkeys(("delete", "del", "rm", "unteach", "forget", "clear"), "remove"),
    **dict.fromkeys(("stop", "snooze", "hold"), "pause"),
    **dict.fromkeys(("unpause", "unsnooze", "continue", "restart"), "resume"),
}
_MENTION_ONLY = "That looks like a mention of a person or channel. Type a topic instead."
_LINK_ONLY = "That looks like a link. Type a topic instead."


def parse_learn(text: str) -> LearnCommand:
    """Parse the text after /learn: one ask, however it is worded ("intro to kubernetes, for my team")."""
    if _quoted(text):  # "…" is a topic, whatever word it starts with
        topic = _ask(text.strip().strip("\"“”'"), MAX_ASK_CHARS)
        return topic if isinstance(topic, Invalid) else Learn(topic)
    head, rest = _head(text)
    near = slip_for(head, bool(plain(rest).text), ("done", "cancel"), (), _LEARN_NEAR)
    if near:
        return NearCommand(f"/learn {near} {rest.strip() or 'TOPIC'}", f'/learn "{text.strip()}"')
    if head in ("", "help", "list") and not rest:  # with words after them they ask: "help with python"
        return Help()
    if head in ("done", "cancel"):
        if not rest.strip():
            return Invalid(f"Which topic? Try `/learn {head} kubernetes`.")
        topic = _ask(rest, MAX_TOPIC_CHARS)
        return topic if isinstance(topic, Invalid) else LearnClose(topic, done=head == "done")
    topic = _ask(text, MAX_ASK_CHARS)
    return topic if isinstance(topic, Invalid) else Learn(topic)


def parse_teach(text: str) -> TeachCommand:
    """Parse the text after /teach."""
    head, rest = _head(text)
    has_topic = bool(plain(rest).text)
    near = None if _quoted(text) else slip_for(head, has_topic, ("remove",), ("pause", "resume"), _TEACH_NEAR)
    if near:
        suggestion = f"/teach {near} {rest.strip() or 'TOPIC'}" if near == "remove" else f"/teach {near}"
        return NearCommand(suggestion, f'/teach "{text.strip()}"')
    if head in ("", "help", "list", "pause", "resume"):
        if rest:
            return Invalid(f"`{head}` takes no topic.")
        return TeachPause(paused=head == "pause") if head in ("pause", "resume") else Help()
    if head == "remove":
        topics = _topics(rest)
        if isinstance(topics, Invalid):
            return topics
        return TeachRemove(topics) if topics else Invalid("Which topic? Try `/teach remove kubernetes`.")
    return teach_offer(text)


def learn_ask(text: str) -> Learn | Invalid:
    """An ask said in words (a message, a form): always a topic, never a subcommand."""
    topic = _ask(text, MAX_ASK_CHARS)
    return topic if isinstance(topic, Invalid) else Learn(topic)


def teach_offer(text: str) -> Teach | Invalid:
    """Topics offered in words (a message, a form), with /teach's level and note: never a subcommand."""
    dash = _NOTE.search(text)
    body, note = (text[: dash.start()], html.unescape(text[dash.end() :]).strip()) if dash else (text, None)
    levels = list(_LEVEL.finditer(body))
    if len(levels) > 1:
        return Invalid("Give one level, like `level: expert`.")
    level: Level | None = None
    if levels:
        found = levels[0]
        try:
            level = Level(found[1].lower().rstrip(",."))
        except ValueError:
            return Invalid(f"Level `{found[1]}` is not one of beginner, intermediate, expert.")
        body = body[: found.start()] + body[found.end() :]
    if note is not None and len(note) > MAX_NOTE_CHARS:
        return Invalid(f"Your note is {len(note)} characters; keep it under {MAX_NOTE_CHARS}.")
    topics = _topics(body)
    if isinstance(topics, Invalid):
        return topics
    if not topics:
        return Invalid("Tell me what you can teach.")
    # The note belongs to the topic it was typed after: "postgresql, kubernetes -- I run the k8s upgrades".
    return Teach(topics, level, note, topics[-1] if note is not None else None)


def _quoted(text: str) -> bool:
    return text.strip()[:1] in ('"', "“", "'")


def _head(text: str) -> tuple[str, str]:
    """The first word, lowercased and without the punctuation people add (`done, python`), and the rest."""
    parts = text.strip().split(maxsplit=1)
    return (parts[0].lower().rstrip(",.:;!") if parts else ""), (parts[1] if len(parts) > 1 else "")


def _ask(text: str, limit: int) -> str | Invalid:
    """One ask, checked as a whole, with mentions, links, markup and HTML set aside."""
    read = plain(text)
    if not words(read.text):
        return _nothing_left(read.mention, read.link)
    ask = read.text
    if len(ask) > limit:
        return Invalid(f"That is {len(ask)} characters; say it in {limit} or fewer, like `/learn intro to kubernetes`.")
    return ask


def _nothing_left(mention: bool, link: bool) -> Invalid:
    """Text that is no topic once mentions, links and markup are set aside: say which it was."""
    if mention:
        return Invalid(_MENTION_ONLY)
    if link:
        return Invalid(_LINK_ONLY)
    return Invalid("I couldn't find a topic in that. Type one in words, like `python`.")


def topics_of(text: str) -> tuple[str, ...] | Invalid:
    """Comma-separated topics as a form's field holds them, checked like /teach's."""
    return _topics(text)


def _topics(text: str) -> tuple[str, ...] | Invalid:
    """Comma-separated topics, each checked, with mentions, links, markup and HTML set aside; any bad one
    rejects the whole command."""
    read = plain(text.replace("\n", ","))  # lines of a form's field are topics too; entities are decoded first
    parts = [part.strip().strip("\"“”'").strip() for part in re.split(r"[,;]", read.text) if part.strip()]
    if not parts and text.strip():  # nothing but mentions, links, markup or HTML
        return _nothing_left(read.mention, read.link)
    if len(parts) > MAX_TOPICS:
        return Invalid(f"That is {len(parts)} topics; {MAX_TOPICS} at a time at most.")
    for part in parts:
        if len(part) > MAX_TOPIC_CHARS:
            return Invalid(f"“{part[:40]}…” is {len(part)} characters; a topic has at most {MAX_TOPIC_CHARS}.")
        if not words(part):
            return Invalid(f"I couldn't find a topic in “{part}”. Type one in words, like `python`.")
    return tuple(dict.fromkeys(parts))
