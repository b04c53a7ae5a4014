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
from dataclasses import dataclass
from enum import StrEnum

from bot.markup import plain
from bot.matcher.text import words

MAX_CHARS = 300  # a message longer than this is no ask of a topic, whatever it says


class Kind(StrEnum):
    LEARN = "learn"
    TEACH = "teach"
    UNCLEAR = "unclear"  # words that may be a topic, said with no verb: "kubernetes"
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
    topic: str = ""  # LEARN, TEACH, UNCLEAR, FOREIGN: the words that name the topic ("" when none were said)


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

# Adverbs people put anywhere in a frame: "I would *really* like to learn".
_ADV = (
    r"(?:(?:really|also|just|still|definitely|actually|kind of|kinda|sort of|so|badly|totally|quite|pretty|very|"
    r"genuinely|honestly|seriously|finally|now|always|more than|absolutely|happily|gladly) )*"
)
# Prepositions and objects between a frame and its topic: "help me *get started with* docker".
_TAIL = (
    r"(?: (?:with|on|in|for|about|at|into|regarding|around|through|me|us|out|how to use|how to|how|to use|using|"
    r"get started with|getting started with|learn|understand|the basics of|more about))*"
)
_LEARN_VERB = (
    r"(?:learn(?:ing)?|study|studying|understand|get (?:better|good|started|up to speed|going|familiar|comfortable)"
    r"(?: (?:at|with|in|on))?|improve(?: (?:my|at|in|on))?|pick up|master|know (?:more )?about|dig (?:deeper )?into|"
    r"get into|level up(?: (?:my|on|in|at))?|brush up(?: on)?|practi[cs]e|wrap my head around|figure out|explore|"
    r"grasp|try out|upskill(?: in| on)?|read up on)"
)
_SOMEONE = (
    r"(?:any ?one|any ?body|some ?one|some ?body|who|people|folks|colleagues|anyone else|someone else|"
    r"an? (?:expert|mentor|specialist|teacher|tutor|coach)s?)(?: (?:here|around|around here|in here|out there|on "
    r"the team|in the company|in this workspace|else))?(?: (?:who|that))?"
)
_TEACH_VERB = (
    r"(?:teach(?:ing)?|mentor(?:ing)?|coach(?:ing)?|tutor(?:ing)?|train(?:ing)? (?:people|others|folks|anyone)|"
    r"explain|introduce (?:people|others|folks|anyone) to|share (?:my (?:knowledge|experience|expertise)(?: (?:of|in|"
    r"on|with|about))?|what i know(?: (?:about|of|on))?)|(?:run|give|host|lead|do|hold|organi[sz]e) (?:a |an |some )?"
    r"(?:(?:short|quick|small|little|free) )?(?:session|workshop|class|course|talk|intro(?:duction)?|demo|lesson|"
    r"overview|lunch[- ]and[- ]learn|brown bag|crash course|tutorial)s? (?:on|about|of|in|to|for)|show (?:people|"
    r"others|folks|anyone|you|colleagues|someone|somebody|newcomers)(?: how to use| how| around)?|pair (?:with "
    r"(?:people|others|anyone|you|someone) )?on|help(?: out)?(?: (?:people|others|folks|anyone|anybody|you|"
    r"colleagues|newcomers|somebody|someone|beginners))?|answer (?:any )?questions (?:on|about)|onboard (?:people|"
    r"others|folks|anyone|you) (?:on|to|in|with))"
)

_LEARN_FRAMES = [
    # I want to learn X · I would love to get better at X · we need to understand X · I have to learn X
    rf"\b(?:(?:i|we) )?(?:would |will )?{_ADV}(?:like|love|want|need|hope|plan|wish|intend|have|got|am going|"
    rf"am trying|am looking|am hoping|am keen|am eager|am planning|am aiming|am dying|am excited|would like)"
    rf"(?: to)? {_ADV}{_LEARN_VERB}",
    # I am interested in X · I am new to X · I am struggling with SQL joins
    rf"\b(?:i am|we are) {_ADV}(?:interested|curious|keen|eager|excited|new|a beginner|a newbie|a novice|struggling|"
    rf"stuck|lost|confused|having (?:trouble|a hard time|issues|problems)|trying to learn|learning)(?: (?:in|about|to|"
    rf"with|at|on))?(?: learning| getting into| studying)?",
    # I wish I knew more about X · I do not know anything about X · I know nothing about X
    r"\b(?:i wish (?:i|we) (?:knew|understood|could do|was better at)(?: (?:more|anything))?(?: about)?|"
    r"(?:i|we) do not (?:really )?(?:know|understand|get)(?: (?:anything|much|a thing|enough))?(?: about)?|"
    r"(?:i|we) (?:know|understand) (?:nothing|very little|little|almost nothing) about)",
    # I need help with X · would love some guidance on X · need a mentor for X
    rf"\b(?:(?:i|we) )?(?:would |could |can )?{_ADV}(?:like|love|want|need|use|appreciate|am looking for|am after|"
    rf"looking for|seeking|searching for|after)(?: some| a bit of| a little| any)? (?:help|advice|guidance|tips|"
    rf"pointers|support|mentoring|mentorship|coaching|an? (?:mentor|tutor|teacher|coach|expert|intro(?:duction)?|"
    rf"buddy|crash course)|someone|somebody|people|a colleague)(?: (?:to|who|that) (?:can |could |would )?"
    rf"(?:teach|help|show|mentor|coach|pair|guide|explain)(?: with)?| who knows| learning)?{_TAIL}",
    # who knows X · does anyone know X · anyone familiar with X · is there someone who can teach me X
    rf"\b(?:(?:is|are) there )?(?:(?:does|do|can|could|would|will|is|are) )?{_SOMEONE} {_ADV}(?:(?:can|could|would|"
    rf"will|wants? to|is willing to|is able to|is happy to|has time to) (?:please )?(?:teach|help|show|explain|mentor|"
    rf"coach|walk|guide|tutor)|knows?|understands?|teach(?:es)?|(?:is|are) (?:good|great|strong|an expert|"
    rf"experts?|experienced|familiar|fluent|comfortable|proficient|skilled|into|knowledgeable)|good|familiar|"
    rf"experienced|experts?|fluent|skilled|into|using|uses|(?:has|have) (?:experience|used|worked|done))"
    rf"(?: (?:a lot|much|anything|their way))?{_TAIL}",
    # any experts on Kafka? · tips on X · any resources for X
    r"\b(?:any|got any) (?:experts?|mentors?|teachers?|specialists?|gurus?|pros?|tips|advice|pointers|resources|"
    r"recommendations|ideas)(?: (?:on|in|for|about|with|regarding|at))?|\b(?:tips|advice|resources|pointers) "
    r"(?:on|for|about)",
    # teach me X · can you show me how to use X · help me get started with X
    rf"\b(?:(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|any one|some one) (?:please )?)?"
    rf"(?:teach|show|help|mentor|coach|tutor|train|walk|guide|explain(?: to)?|introduce) (?:me|us){_TAIL}",
    r"\b(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody) (?:please )?explain",
    # how do I use X · where do I start with X · what is X
    r"\bhow (?:do|can|should|would|does one|to) (?:i |we |you |one )?(?:learn |get started with |start with |"
    r"get into |get better at |use |work with )?",
    r"\bwhere (?:do|can|should) (?:i|we) (?:start|begin|learn|go to learn)(?: (?:with|about|learning))?",
    r"^(?:what is|what are|explain)(?: (?:a|an|the))?\b",
    r"^(?:learn(?:ing)?|study(?:ing)?|intro(?:duction)? to|beginner|basics)\b(?: (?:about|how to use|how to|"
    r"more about|of))?",
    r"\b(?:can|could|may) (?:i|we) (?:get|have|find) (?:some |a bit of )?(?:help|advice|guidance|tips|a mentor)"
    rf"{_TAIL}",
]
_TEACH_FRAMES = [
    # I can teach X · I would be glad to run a session on Git · we are happy to help with X · I teach X
    rf"\b(?:i|we) (?:would |will )?(?:be )?{_ADV}(?:(?:can|could|may|might|will|would) {_ADV}|(?:(?:am|are) {_ADV})?"
    rf"(?:happy|glad|keen|willing|able|eager|excited|available|open|up for it|pleased|delighted) to {_ADV}|"
    rf"(?:love|like|want|offer|volunteer|plan|intend|am offering|am volunteering) to {_ADV})?{_TEACH_VERB}{_TAIL}",
    # happy to help with React · can help with Kotlin · willing to coach on public speaking
    rf"^(?:(?:always |more than |very |really )?(?:happy|glad|keen|willing|available|able|open|ready|delighted) to|"
    rf"can|could|will|would love to) {_ADV}{_TEACH_VERB}{_TAIL}",
    rf"^(?:teach(?:ing)?|mentoring|coaching|offering|offer|i offer)\b{_TAIL}",
    # ask me about AWS · count me in as a teacher for Excel
    r"\b(?:ask|ping|dm|message) me(?: anything)?(?: (?:about|on|re|regarding|for|if you need help with))",
    r"\bcount me in(?: as (?:a |an )?(?:teacher|mentor|tutor|coach|expert))?(?: (?:for|on|with))?",
    # I am an expert in X · I am pretty good at Python · I am fluent in Spanish
    rf"\b(?:i am|we are) {_ADV}(?:an? )?(?:(?:expert|pro|specialist|guru|ninja|wizard|veteran|professional|"
    rf"(?:senior|lead|certified|experienced|qualified|trained) \w+)|good|great|strong|experienced|fluent|proficient|"
    rf"skilled|decent|confident|comfortable|competent|handy|solid|well[- ]versed|knowledgeable|certified) "
    rf"(?:at|in|with|on|about)",
    # I have ten years of experience with Java · I have been using X for years
    r"\b(?:i|we) have (?:got )?(?:\w+ |a few |many |several |lots of )?(?:years?|decades?) (?:of )?(?:experience|exp)"
    r"(?: (?:with|in|on|doing|using|of))?",
    r"\b(?:i|we) have (?:been )?(?:using|doing|working with|working on|writing|coding in|programming in|teaching|"
    r"running|practi[cs]ing|speaking)",
    # I know Terraform inside out · I know a lot about X
    r"^(?:i|we) (?:know|understand)(?: (?:a lot|a ton|a bit|plenty|lots|quite a bit|loads|heaps|a great deal|"
    r"a fair bit|something) about)?\b",
]
_FRAMES = [(Kind.LEARN, re.compile(f, re.IGNORECASE)) for f in _LEARN_FRAMES]
_FRAMES += [(Kind.TEACH, re.compile(f, re.IGNORECASE)) for f in _TEACH_FRAMES]

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
    framed = _framed(rest)
    if framed is not None:
        if not framed.topic and seen.mention:
            return Intent(Kind.MENTION)  # "who knows @priya?": a person, not a topic
        return framed
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


def _framed(text: str) -> Intent | None:
    """The first frame said (the longest where two start together; learning before teaching on a tie), and the
    topic after it, in the sentence that says it."""
    best: tuple[int, int, Kind, str] | None = None
    for sentence in _SENTENCE.split(text):
        for kind, frame in _FRAMES:
            found = frame.search(sentence)
            if found is None:
                continue
            rank = (found.start(), -(found.end() - found.start()))
            if best is None or rank < best[:2]:
                best = (*rank, kind, sentence[found.end() :])
        if best is not None:
            return Intent(best[2], _topic(best[3]))
    return None


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
