"""Separate a topic from the way someone asks for it: "intro to kubernetes", "terraform for beginners"."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matcher.text import singular, words

# Words that say someone wants to learn: next to one, even an ordinary word is a topic ("learn swift").
# Mentoring, mentorship and guidance are not among them: they are skills people teach ("mentoring juniors").
LEARNING = frozenset(
    """
    learn learning learnt learned study studying master mastering practice practise practicing practising refresh
    refresher revise intro introduction introductory beginner beginners newbie novice basics fundamental
    fundamentals essential essentials foundation foundations primer overview 101 201 301 crash course class lesson
    tutorial training workshop bootcamp guide walkthrough tip trick advice best practices advanced
    intermediate deep dive depth indepth programming development coding scripting teach teaching mentor explain
    knowledge skill skills
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Words that say how or why someone asks, not what: around a topic they never stop a match. A topic whose own
# name uses one ("Visual Basic", "Code review", "Just") still matches: whole names are looked up first.
ASKING = LEARNING | frozenset(
    """
    understand understanding know knowing improve improving session hands help developer dev code language lang
    framework library how what why where when which use using used get getting started start starting begin
    beginning with for in on of about into from at to by via over the a an some any more most my our me i we you
    your it this that is are be am do does can could would should will want wanna need like love looking look
    interested keen please pls plz thanks thank someone somebody anyone anybody who show better up quick quickly
    just really also again new lol haha asap thx cheers and or vs versus + & /
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Learning words are recognised through a typo too ("tutoral", "beginers"): they are long and few.
_LEARNING_TYPO_MIN = 6
# Words that join two parts of an ask: what sits between them and the ends of a clause is one part.
CONNECTORS = frozenset("for with in on of about into to at by via over from and or vs versus + & /".split())  # noqa: SIM905
# Punctuation that ends a clause ("python, any tips?"); a dot or colon only before a space, so "node.js", "1:1" stay.
_CLAUSE = re.compile(r"[,;!?()\[\]{}]|[.:](?:\s|$)|\s[-–—]+\s")
# Asks are short; longer spans would only cost time.
MAX_SPAN = 6


@dataclass(frozen=True)
class Ask:
    """The words of an ask, folded for matching, with the asking words marked."""

    text: str
    typed: tuple[str, ...]  # the words as typed (case kept), for a new topic's name
    lowered: tuple[str, ...]  # casefolded
    folded: tuple[str, ...]  # casefolded, plurals folded
    asking: tuple[bool, ...]
    breaks: tuple[bool, ...]  # a connector word or the end of a clause comes right after this word
    groups: tuple[int, ...]  # words typed as one, joined by a hyphen or dot ("transact-sql"), share a number

    @classmethod
    def of(cls, text: str) -> Ask:
        lowered: list[str] = []
        typed: list[str] = []
        breaks: list[bool] = []
        groups: list[int] = []
        for clause in _CLAUSE.split(text):
            for chunk in clause.split():
                low, cased = words(chunk), words(chunk, casefold=False)
                if len(cased) != len(low):  # casefolding changed how a word splits (rare): keep it lowercase
                    cased = low
                lowered += low
                typed += cased
                breaks += [False] * len(low)
                groups += [len(groups) and groups[-1] + 1] * len(low)
            if breaks:
                breaks[-1] = True
        folded = tuple(singular(word) for word in lowered)
        asking = tuple(_is_asking(word) for word in lowered)
        connector = [word in CONNECTORS for word in lowered]
        for i, is_connector in enumerate(connector):
            if is_connector and i > 0:
                breaks[i - 1] = True
            if is_connector:
                breaks[i] = True
        return cls(text, tuple(typed), tuple(lowered), folded, asking, tuple(breaks), tuple(groups))

    @property
    def core(self) -> str:
        """The topic words as typed, without the asking words around them ("billing API" of "intro to billing API")."""
        content = [i for i, is_asking in enumerate(self.asking) if not is_asking]
        if not content:
            return ""
        return " ".join(self.typed[content[0] : content[-1] + 1])

    @property
    def only_asking(self) -> bool:
        """Nothing but asking words: "basics", "intro to"."""
        return all(self.asking)

    def spans(self) -> list[tuple[int, int]]:
        """Every run of up to MAX_SPAN words, longest first (asking words too: "Just" is a language)."""
        n = len(self.folded)
        found = [(start, end) for start in range(n) for end in range(start + 1, min(n, start + MAX_SPAN) + 1)]
        return sorted(found, key=lambda span: (span[0] - span[1], span[0]))

    def cuts_a_word(self, start: int, end: int, qualifier: Callable[[str], bool] = lambda _: False) -> bool:
        """The span takes part of words typed as one: "sql" of "transact-sql" (but "odin-lang" is Odin). A part
        that is a `qualifier` (a name of its own: "python-poetry", "nats-io") leaves the rest a word of its own."""
        cut = [
            i
            for i in range(len(self.groups))
            if not start <= i < end and self.groups[i] in (self.groups[start], self.groups[end - 1])
        ]
        return any(not self.asking[i] and not qualifier(self.lowered[i]) for i in cut)

    def cued(self, start: int, end: int) -> bool:
        """A learning word right before or after the span: "learn *swift*", "*rust* basics"."""
        before = start > 0 and _is_learning(self.lowered[start - 1])
        return before or (end < len(self.folded) and _is_learning(self.lowered[end]))

    def leftovers(self, start: int, end: int) -> list[int]:
        """Topic words outside a span: what the span does not explain."""
        return [i for i in range(len(self.folded)) if not (start <= i < end) and not self.asking[i]]

    def fit(self, start: int, end: int) -> str:
        """How a span sits in the ask: "full" (nothing else asked), "part" (all of one part between connectors:
        "mentor me in *python*"), "edge" (starts or ends a part: "*excel* pivot tables"), or "inside"."""
        if not self.leftovers(start, end):
            return "full"
        left, right = self._clear_left(start), self._clear_right(end)
        return "part" if left and right else "edge" if left or right else "inside"

    def _clear_left(self, start: int) -> bool:
        """Only asking words between the span and the break before it."""
        for i in range(start - 1, -1, -1):
            if self.breaks[i]:
                return True
            if not self.asking[i]:
                return False
        return True

    def _clear_right(self, end: int) -> bool:
        if self.breaks[end - 1]:
            return True
        for i in range(end, len(self.folded)):
            if not self.asking[i]:
                return False
            if self.breaks[i]:
                return True
        return True


_LONG_LEARNING = [word for word in LEARNING if len(word) >= _LEARNING_TYPO_MIN]


@functools.lru_cache(maxsize=4096)
def _is_learning(word: str) -> bool:
    if word in LEARNING or singular(word) in LEARNING:
        return True
    if len(word) < _LEARNING_TYPO_MIN or not word.isalpha():
        return False
    return process.extractOne(word, _LONG_LEARNING, scorer=OSA.distance, score_cutoff=1) is not None


def _is_asking(word: str) -> bool:
    return word in ASKING or singular(word) in ASKING or _is_learning(word)
