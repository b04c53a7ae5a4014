"""What a plain message to peerlearn asks for: to learn something, to teach it, or neither.

A direct message ("I want to learn kubernetes", "happy to help with React") or an @mention is read here into an
`Intent`: its kind, and the words that name the topic, as they would follow `/learn` or `/teach`. Only the
framing is read ("who knows", "I can teach"); which topic the words name is the matcher's business, so a
sentence and the slash command end in the same place. Text in, an Intent out: no I/O, no Slack, no matcher.

Messages that are no ask get a kind of their own, so that each gets a short, true answer and nothing is saved:
greetings, help, thanks, code blocks, links, emoji or mentions alone, other languages, and very long text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.markup import plain
from bot.matcher.text import words
from bot.phrases import LEARN_FRAMES, NEGATED_FRAMES, QUESTION_FRAMES, TEACH_FRAMES

MAX_CHARS = 300  # a message longer than this is no ask of a topic, whatever it says


class Kind(StrEnum):
    LEARN = "learn"
    TEACH = "teach"
    UNCLEAR = "unclear"  # words that may be a topic, said with no verb: "kubernetes"
    QUESTION = "question"  # a question that is learning only if it names a known topic: "how do we deploy this"
    NEGATED = "negated"  # not wanting to learn or teach: "I don't want to learn java" (topic: what was refused)
    REPLY = "reply"  # an answer meant for a conversation: "yes", "15:00", "tomorrow at 3?"
    GREETING = "greeting"
    HELP = "help"
    THANKS = "thanks"
    CODE = "code"
    LINK = "link"
    MENTION = "mention"  # only mentions of people or channels
    EMOJI = "emoji"
    FOREIGN = "foreign"  # a language other than English (topic: the text, for the matcher to look at)
    TOO_LONG = "too_long"
    EMPTY = "empty"


@dataclass(frozen=True)
class Intent:
    kind: Kind
    topic: str = ""  # LEARN, TEACH, UNCLEAR, QUESTION, NEGATED, FOREIGN: the words that name the topic ("" if none)
    also: tuple[Intent, ...] = ()  # the message's further asks: "I want to learn X *and I can teach Y*"


# Contractions and chat spellings, unfolded so that each frame below is written once. Replaced case-insensitively;
# the topic's own words are never one of these.
_UNFOLD = [
    (r"[’‘`´]", "'"),
    (r"\bi'm\b|\bim\b", "i am"),
    (r"\bi'd\b|\bid(?= (?:like|love|be|really))", "i would"),
    (r"\bi've\b|\bive\b", "i have"),
    (r"\bi'll\b", "i will"),
    (r"\bwe're\b", "we are"),
    (r"\bwe'd\b", "we would"),
    (r"\bwe've\b", "we have"),
    (r"\b(who|what|there|it|that|where|how)'s\b", r"\1 is"),
    (r"\b(do|does|did|is|are|was|would|could|should)n't\b", r"\1 not"),
    (r"\bdont\b", "do not"),
    (r"\bcan'?t\b", "cannot"),
    (r"\bwon'?t\b", "will not"),
    (r"\bwanna\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\b(?:pls|plz)\b", "please"),
    (r"\s+", " "),
]
_UNFOLD_RE = [(re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement in _UNFOLD]

_GREETING = (
    r"(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|good (?:morning|afternoon|evening|day)|morning|evening)"
    r"(?: (?:there|all|team|folks|everyone|y'?all|peerlearn|bot|friend))?"
)
_LEAD = re.compile(
    rf"^(?:(?:{_GREETING}|ok(?:ay)?|so|um+|hmm+|well|quick question|question|please|also|btw)\b[\s,!.:;-]*)+",
    re.IGNORECASE,
)
_POLITE_END = re.compile(
    r"(?:[\s,;:!.?]*\b(?:please|thanks(?: a lot| so much| in advance)?|thank you(?: so much| in advance)?|thx|ty|"
    r"cheers|asap|by any chance|if possible|if anyone can|anyone|anybody|someone|somebody)\b|[\s,;:!.?()]+|:\))+$",
    re.IGNORECASE,
)
_HELP = re.compile(
    r"^(?:help|help me|help please|\?+|what can you do|what do you do|what are you|who are you|how does (?:this|it|"
    r"peerlearn) work|how do i use (?:this|you|it|peerlearn)|how do i start|what is (?:this|peerlearn)|commands|usage|"
    r"menu|options|info|about|start|get started|getting started|what now|instructions|guide)$",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"^(?:thanks|thank you|thx|ty|cheers|ok|okay|k|cool|great|nice|awesome|perfect|got it|great thanks|"
    r"ok thanks|okay thanks|thanks a lot|thank you so much|much appreciated|appreciated|sounds good|will do|"
    r"nice one|brilliant|lovely|bye|goodbye|see you|see ya|ta)$",
    re.IGNORECASE,
)

# In this order: on a tie (same start, same length) the earlier kind wins.
_FRAMES = [
    (kind, re.compile(frame, re.IGNORECASE))
    for kind, frames in (
        (Kind.NEGATED, NEGATED_FRAMES),
        (Kind.LEARN, LEARN_FRAMES),
        (Kind.QUESTION, QUESTION_FRAMES),
        (Kind.TEACH, TEACH_FRAMES),
    )
    for frame in frames
]
# "who knows *where the printer is*": a question about anything, not a topic.
_WH = re.compile(r"^(?:where|when|why|what|which|whether|if|how|who|whom|whose)\b", re.IGNORECASE)
# Answers meant for a conversation (to a question someone, perhaps peerlearn, asked): yes and no, times, dates,
# "sounds good". Every word of the message must be one of these, so no topic is ever one.
_REPLY_WORDS = frozenset(
    """
    yes yeah yep yup ya yas sure no nope nah not maybe perhaps probably definitely absolutely of course correct
    right exactly indeed true false agreed fine alright sounds good works for me that this it me too same done
    later now soon today tonight tomorrow yesterday morning afternoon evening night noon midnight week weekend month
    next last this on at in by around about from to until till and or then how what at the a an o'clock oclock
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec am pm hour hours minute minutes min mins lol haha hah hehe lmao please either neither
    both none all works ok okay k
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_TIME_OR_NUMBER = re.compile(
    r"^(?:\d{1,2}(?:[:.h]\d{2})?(?:am|pm|h)?|\d{1,4}(?:[-/.]\d{1,2}){1,2}|\d{1,2}(?:st|nd|rd|th)|\d+)$", re.IGNORECASE
)

# Words between a frame and its topic ("help *you* with"), and after it ("… *inside out*", "… *for years*").
_TOPIC_START = re.compile(
    r"^(?:(?:some|more|a bit of|a little|a little bit of|the|a|an|about|with|on|in|to|of|for|you|people|others|folks|"
    r"anyone|anybody|everyone|colleagues|teammates|someone|somebody|newcomers|beginners|learn|learning|get started "
    r"with|understand|how to use|how to|how|using)\b[\s,:]*)+",
    re.IGNORECASE,
)
_TOPIC_END = re.compile(
    r"(?:\s+(?:please|thanks|thank you|thx|asap|well|really well|very well|pretty well|inside out|inside and out|"
    r"at all|here|around|around here|to me|to us|(?:to|with) (?:anyone|anybody|everyone|people|others|folks|"
    r"colleagues|whoever|you)(?: (?:interested|who (?:wants?|needs?) (?:it|to)|who is interested))?|anyone|anybody|"
    r"for (?:\w+ )?(?:years?|decades?)|for (?:a )?(?:long )?(?:time|while)|for ages|too|as well|a bit|a little|"
    r"better|first|maybe|again|then|now|interested|like the back of my hand|if (?:anyone|someone|you) (?:needs?|"
    r"wants?)(?: (?:it|help|to))?)|[\s,;:!.?()]+|:\))+$",
    re.IGNORECASE,
)
# Where a topic's clause ends: "Python, happy to help anyone" · "Spanish and can help" · "Go because …".
_CLAUSE_END = re.compile(
    r",\s*(?=(?:and|but|so|if|happy|glad|can|could|would|let me|ping me|feel free|thanks|thank|please|because|since|"
    r"i|we)\b)|\s+(?:but|because|since|so that|if (?:you|anyone|someone)|as i|as we|and (?:i|we|can|could|would|"
    r"happy|glad|am|will|would))\b|\s+-\s+(?=(?:happy|glad|ping|ask|dm|feel|let)\b)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_LIST = re.compile(r"\s*(?:,\s*(?:and|or)\s+|\s+(?:and|&|as well as|plus)\s+)\s*", re.IGNORECASE)

# Function words of other languages that are no English word and no topic of their own: two of them, and more
# than English words of the same kind, make a message foreign.
_FOREIGN_WORDS = frozenset(
    """
    quiero aprender enseñar puedo alguien sabe saber ayuda ayudar hola gracias quién necesito tengo como sobre
    je veux voudrais apprendre enseigner peux quelqu'un qui sait aider bonjour merci besoin sur j'aimerais
    ich möchte lernen beibringen unterrichten kann jemand weiß helfen hallo danke brauche über mit und
    quero gostaria ensinar posso alguém ajudar olá obrigado preciso
    voglio vorrei imparare insegnare posso qualcuno aiutare ciao grazie
    wil leren iemand helpen bedankt
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_ENGLISH_WORDS = frozenset(
    """
    i we want like learn teach can could who knows know someone anyone help please the to with about how is are
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_EMOJI = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)


def read(text: str) -> Intent:
    """What the message `text` (as Slack sends it: mentions in <…>, entities encoded) asks for."""
    if "```" in text:
        return Intent(Kind.CODE)
    seen = plain(text)
    said = _unfold(seen.text)
    if len(said) > MAX_CHARS:
        return Intent(Kind.TOO_LONG)
    if not words(said):
        if seen.mention:
            return Intent(Kind.MENTION)
        if seen.link:
            return Intent(Kind.LINK)
        return Intent(Kind.EMOJI if _has_emoji(said) else Kind.EMPTY)
    bare = said.strip(" !.?,:;()")
    if _THANKS.match(bare):
        return Intent(Kind.THANKS)
    rest = _POLITE_END.sub("", _LEAD.sub("", said)).strip()
    if not words(rest):  # "hi!", "hey peerlearn", "thanks so much!"
        thanked = re.search(r"thank|thx|cheers|\bty\b", said, re.IGNORECASE) and not _LEAD.match(said)
        return Intent(Kind.THANKS if thanked else Kind.GREETING)
    if _HELP.match(bare) or _HELP.match(rest):
        return Intent(Kind.HELP)
    if _is_reply(rest):
        return Intent(Kind.REPLY)
    asks = _asks(rest)
    if asks:
        if not asks[0].topic and seen.mention:
            return Intent(Kind.MENTION)  # "who knows @priya?": a person, not a topic
        return replace(asks[0], also=tuple(asks[1:]))
    if _is_foreign(rest):
        return Intent(Kind.FOREIGN, rest)
    return Intent(Kind.UNCLEAR, _topic(rest))


def as_list(topic: str) -> str:
    """Topics said as a list ("Python, SQL and Excel") as /teach takes them: "Python, SQL, Excel"."""
    return _LIST.sub(", ", topic).strip(", ")


def _unfold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _UNFOLD_RE:
        text = pattern.sub(replacement, text)
    return text.strip()


def _asks(text: str) -> list[Intent]:
    """Every frame said, in order, each with the topic after it in its clause: "I want to learn X and I can teach
    Y" is two asks. Where two frames start together the longest wins (a refusal, then learning, on a tie)."""
    asks: list[Intent] = []
    for sentence in _SENTENCE.split(text):
        rest = sentence
        while rest:
            best: tuple[int, int, Kind, int] | None = None
            for kind, frame in _FRAMES:
                found = frame.search(rest)
                if found is not None and (best is None or (found.start(), -found.end()) < best[:2]):
                    best = (found.start(), -found.end(), kind, found.end())
            if best is None:
                break
            kind, after = best[2], rest[best[3] :]
            clause_end = _CLAUSE_END.search(after)
            topic = _topic(after[: clause_end.start()] if clause_end else after)
            if kind is Kind.LEARN and _WH.match(topic):
                kind = Kind.QUESTION
            asks.append(Intent(kind, topic))
            rest = after[clause_end.start() :] if clause_end and clause_end.start() > 0 else ""
    # Only the first ask may lack its topic ("I want to learn"): a later one without ("… Any pointers?") adds nothing.
    return asks[:1] + [ask for ask in asks[1:] if ask.topic and ask.topic != asks[0].topic]


def _is_reply(text: str) -> bool:
    """Only words that answer a conversation: "yes", "15:00", "tomorrow at 3?", "sounds good"."""
    said = [word.strip(",.!?;:()'\"") for word in text.lower().split()]
    said = [word for word in said if word]
    return bool(said) and all(word in _REPLY_WORDS or _TIME_OR_NUMBER.match(word) for word in said)


def _topic(text: str) -> str:
    """The topic's words: the clause after the frame, without the little words around it."""
    text = _CLAUSE_END.split(text, maxsplit=1)[0]
    previous = None
    while previous != text:
        previous = text
        text = _TOPIC_END.sub("", _TOPIC_START.sub("", text.strip())).strip()
    return text.strip("\"“”'").strip()


def _is_foreign(text: str) -> bool:
    """Another language: most letters in another script (beyond a short name like 日本語), or its little words."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    if letters and latin / len(letters) < 0.5:
        return len(letters) > 8 or len(text.split()) > 2
    folded = words(text)
    foreign = sum(1 for word in folded if word in _FOREIGN_WORDS)
    english = sum(1 for word in folded if word in _ENGLISH_WORDS)
    return foreign >= 2 and foreign > english


def _has_emoji(text: str) -> bool:
    return bool(_EMOJI.search(text)) or any(unicodedata.category(ch) == "So" for ch in text)
