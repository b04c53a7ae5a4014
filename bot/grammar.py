"""The slash-command grammar (README, "What it does"): text in, a typed command (or the reason it is invalid) out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain import Level
from bot.matcher.text import words

MAX_TOPIC_CHARS = 100
MAX_ASK_CHARS = 150  # a /learn ask is one topic said in a sentence: "a gentle intro to kubernetes for my team"
MAX_TOPICS = 10
MAX_NOTE_CHARS = 300

_MENTION = re.compile(r"<[@#!][^>]*>|(?:^|\s)[@#][A-Za-z][\w.-]*")
_LINK = re.compile(r"<(https?|mailto):[^>]*>|https?://\S+")
_LEVEL = re.compile(r"\blevel\s*:\s*(\S+)", re.IGNORECASE)

LEARN_USAGE = (
    "*/learn TOPIC* — say what you want to learn and see who can teach it\n"
    "*/learn* — your open needs\n"
    "*/learn done TOPIC* · */learn cancel TOPIC*\n"
    "Example: `/learn kubernetes`"
)
TEACH_USAGE = (
    "*/teach TOPIC, TOPIC…* — offer what you can teach (optional `level: beginner|intermediate|expert`, "
    "and a note after ` -- `)\n"
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
    note: str | None = None


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

# Words people use for a subcommand that is called something else here, before a topic.
_LEARN_NEAR = {
    **dict.fromkeys(("finished", "finish", "complete", "completed", "learned", "learnt"), "done"),
    **dict.fromkeys(("remove", "delete", "del", "rm", "close", "unlearn", "forget"), "cancel"),
}
_TEACH_NEAR = dict.fromkeys(("delete", "del", "rm", "unteach", "forget", "clear"), "remove")
_BARE = frozenset({"pause", "resume"})  # subcommands that take no topic


def parse_learn(text: str) -> LearnCommand:
    """Parse the text after /learn: one ask, however it is worded ("intro to kubernetes, for my team")."""
    if _quoted(text):  # "…" is a topic, whatever word it starts with
        topic = _ask(text.strip().strip("\"“”'"), MAX_ASK_CHARS)
        return topic if isinstance(topic, Invalid) else Learn(topic)
    head, rest = _head(text)
    near = _near(head, rest, _LEARN_NEAR, ("done", "cancel"))
    if near:
        return NearCommand(f"/learn {near} {rest.strip()}", f'/learn "{text.strip()}"')
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
    near = _near(head, rest, _TEACH_NEAR, ("remove", "pause", "resume")) if not _quoted(text) else None
    if near:
        return NearCommand(f"/teach {near} {rest.strip()}".strip(), f'/teach "{text.strip()}"')
    if head in ("", "help", "list", "pause", "resume"):
        if rest:
            return Invalid(f"`{head}` takes no topic.")
        return TeachPause(paused=head == "pause") if head in ("pause", "resume") else Help()
    if head == "remove":
        topics = _topics(rest)
        if isinstance(topics, Invalid):
            return topics
        return TeachRemove(topics) if topics else Invalid("Which topic? Try `/teach remove kubernetes`.")
    body, _, note = text.partition(" --")
    level: Level | None = None
    found = _LEVEL.search(body)
    if found:
        try:
            level = Level(found[1].lower().rstrip(",."))
        except ValueError:
            return Invalid(f"Level `{found[1]}` is not one of beginner, intermediate, expert.")
        body = body[: found.start()] + body[found.end() :]
    note = note.strip().removeprefix("-").strip()
    if len(note) > MAX_NOTE_CHARS:
        return Invalid(f"Your note is {len(note)} characters; keep it under {MAX_NOTE_CHARS}.")
    topics = _topics(body)
    if isinstance(topics, Invalid):
        return topics
    if not topics:
        return Invalid("Tell me what you can teach.")
    return Teach(topics, level, note or None)


def _quoted(text: str) -> bool:
    return text.strip()[:1] in ('"', "“", "'")


def _near(head: str, rest: str, synonyms: dict[str, str], subcommands: tuple[str, ...]) -> str | None:
    """The subcommand a first word stands for: a synonym, or one with two neighbouring letters swapped
    ("cancle", "puase"). Before a topic only, except for those that take none (`/teach puase`)."""
    if head in subcommands:
        return None
    if head in synonyms and rest.strip():
        return synonyms[head]
    for word in subcommands:
        if _swapped(head, word) and (rest.strip() or word in _BARE):
            return word
    return None


def _swapped(typed: str, word: str) -> bool:
    differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b]
    return (
        len(typed) == len(word)
        and len(differ) == 2
        and differ[1] == differ[0] + 1
        and typed[differ[0]] == word[differ[1]]
        and typed[differ[1]] == word[differ[0]]
    )


def _head(text: str) -> tuple[str, str]:
    parts = text.strip().split(maxsplit=1)
    return (parts[0].lower() if parts else ""), (parts[1] if len(parts) > 1 else "")


def _ask(text: str, limit: int) -> str | Invalid:
    """One ask, checked as a whole."""
    problem = _not_text(text)
    if problem:
        return problem
    ask = text.strip()
    if len(ask) > limit:
        return Invalid(f"That is {len(ask)} characters; say it in {limit} or fewer, like `/learn intro to kubernetes`.")
    if not words(ask):
        return Invalid("I couldn't find a topic in that. Type one in words, like `python`.")
    return ask


def _not_text(text: str) -> Invalid | None:
    if _MENTION.search(text):
        return Invalid("That looks like a mention of a person or channel. Type a topic instead.")
    if _LINK.search(text):
        return Invalid("That looks like a link. Type a topic instead.")
    return None


def topics_of(text: str) -> tuple[str, ...] | Invalid:
    """Comma-separated topics as a form's field holds them, checked like /teach's."""
    return _topics(text)


def _topics(text: str) -> tuple[str, ...] | Invalid:
    """Comma-separated topics, each checked; any bad one rejects the whole command."""
    problem = _not_text(text)
    if problem:
        return problem
    parts = [part.strip().strip("\"“”'").strip() for part in re.split(r"[,;\n]", text) if part.strip()]
    if len(parts) > MAX_TOPICS:
        return Invalid(f"That is {len(parts)} topics; {MAX_TOPICS} at a time at most.")
    for part in parts:
        if len(part) > MAX_TOPIC_CHARS:
            return Invalid(f"“{part[:40]}…” is {len(part)} characters; a topic has at most {MAX_TOPIC_CHARS}.")
        if not words(part):
            return Invalid(f"I couldn't find a topic in “{part}”. Type one in words, like `python`.")
    return tuple(dict.fromkeys(parts))
