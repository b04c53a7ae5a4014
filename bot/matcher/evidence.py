"""The evidence that an ask names a topic: exact names, variants and acronyms, then typos, prefixes, initials and
contained words, each worth what it proves when it points at one topic only (resolve.py weighs and decides)."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bot.matcher.forms import FormIndex
from bot.matcher.phrasing import Ask
from bot.matcher.text import first_letters, initials, skeleton, squash, stemmed
from bot.matcher.vocabulary import Spellings

# How much each kind of evidence is worth when it points at one topic only.
EXACT = 100.0  # a name or alias, however spaced, dotted or hyphenated
WEAK_EXACT = 90.0  # a file name or extension (".rkt", "wscript"): just sure, so a typo of a real name makes it ask
VARIANT = 97.0  # a version or a "lang", "script", "shell" dropped ("python3", "golang"); an acronym spelled out
FORM = 96.0  # another form of the same words: "dancing" for "dance", "presentations" for "presentation skills"
TYPO = 95.0  # one edit (a letter missing, extra or wrong, or two swapped) in a word of 4+ letters
PREFIX = 92.0  # the start of one topic's name: "kube"
INITIALS = 92.0  # the first letters of one topic's name: "hcl", "elisp"
SHORT_TYPO = 92.0  # one edit in a 3-letter word (beats a file extension: "har" is Hare before .har files)
CONTAINED = 90.0  # some of the words of one topic's longer name: "emacs" for "Emacs Lisp"
AFFIX = 90.0  # a name taught here that starts or ends a longer word: "objectpascal", "winbatch"
SKELETON = 92.0  # a one-word name's consonants: "mvn" for Maven
AFFIX_SHARE = 2 / 3  # a name inside a longer word must be this much of it: "pascal" of "objectpascal", not "boo"
FAR_TYPO = 86.0  # two edits in a word of 8+ letters
SEVERAL = 84.0  # evidence that fits several topics, or an ordinary word that may be a typo: ask which
PREFIX_SHARE = 0.4  # a prefix or a contained word must be this much of the name it points at
HEAD_SHARE = 0.25  # …or this much, for the first word of a many-word name

# What a typo loses against another as close, and when renown settles a tie.
LESS_KEPT = 2.0  # a typo that keeps fewer of the letters in order than another as close
OTHER_NAME = 2.0  # a typo of another name of a topic rather than of its own name
UNLIKELY_TYPO = 2.0  # a wrong or an extra letter, rather than one left out or two swapped
RENOWN_GAP = 2  # sources more than the other that make a topic the likelier of two equally close names

_VARIANT = re.compile(r"^(?P<stem>[a-z][a-z+#]*?)(?:v?\d+(?:\.\d+)*|lang|language|script|shell)$")


@dataclass(frozen=True)
class Hit:
    """A topic an ask may name, the words that named it, and how well."""

    topic: str  # topic key
    score: float  # the evidence, weighed against the rest of the ask
    how: str  # exact, variant, acronym, typo, prefix, initials, contained, affix (a name inside a longer word)
    start: int
    end: int
    words: str  # the words as typed
    strength: float = 0.0  # the evidence alone
    explained: int = 0  # letters of the ask this hit explains
    weak: bool = False  # an ordinary word or two letters among other topic words
    full: bool = False  # it explains every topic word of the ask
    part: bool = False  # it is all of one part of the ask, between connectors ("… with *python*")

    def overlaps(self, other: Hit) -> bool:
        return self.start < other.end and other.start < self.end


def span_words(ask: Ask, start: int, end: int) -> tuple[str, str, str]:
    """The span's words (lowercased), those words run together, and the words as typed."""
    plain = " ".join(ask.lowered[start:end])
    return plain, squash(plain), " ".join(ask.typed[start:end])


def _spellings(ask: Ask, start: int, end: int) -> list[str]:
    """The span run together as typed, and with its plurals folded ("apis" → "api")."""
    return list(dict.fromkeys((squash("".join(ask.lowered[start:end])), squash("".join(ask.folded[start:end])))))


def _hit(topic: str, strength: float, how: str, start: int, end: int, typed: str) -> Hit:
    return Hit(topic, strength, how, start, end, typed, strength)


def exact_hits(ask: Ask, indexes: Sequence[FormIndex], spellings: Spellings | None = None) -> list[Hit]:
    hits = []
    for start, end in ask.spans():
        if all(ask.asking[start:end]) and ask.leftovers(start, end):
            continue  # an asking word names a topic only alone: "/learn just" is the Just language
        plain, squashed, typed = span_words(ask, start, end)
        # Words run together only when they are all topic words: "to c" is not "toc", but "vs code" is VS Code.
        loose = end - start == 1 or not (ask.asking[start] or ask.asking[end - 1]) or all(ask.asking[start:end])
        spaced = (plain, " ".join(ask.folded[start:end]))
        exact = [
            _hit(topic, WEAK_EXACT if index.is_weak(spelling) else EXACT, "exact", start, end, typed)
            for index in indexes
            if loose or any(index.has_words(words) for words in spaced)
            for spelling in _spellings(ask, start, end)
            for topic in index.topics(spelling)
        ]
        hits += exact
        if loose:  # even beside an exact name: a workspace's own spelling of one may come first (resolve.py)
            hits += _variant_hits(ask, indexes, None if exact else spellings, start, end)
        variant = _VARIANT.match(squashed) if loose and not exact else None
        if variant:
            # "py3" or "dlang" leave too little to be sure of: a stem under 3 letters only asks.
            strength = VARIANT if len(variant["stem"]) >= 3 else SEVERAL
            hits += [
                _hit(t, strength, "variant", start, end, typed) for i in indexes for t in i.topics(variant["stem"])
            ]
    if not hits:
        hits += _acronym_hits(ask, indexes)
    return hits


def _variant_hits(
    ask: Ask, indexes: Sequence[FormIndex], spellings: Spellings | None, start: int, end: int
) -> list[Hit]:
    """Other spellings of a name: with or without a spelling affix ("babeljs" for Babel, "adonis" for AdonisJS,
    "apache couchdb" for CouchDB), and other forms of its words ("dancing" for dance). Without `spellings` the
    ask's own affixes stay: a name known exactly ("dockerfile") is no other name with an affix (Docker)."""
    _, squashed, typed = span_words(ask, start, end)
    bare = spellings.stems(squashed) if spellings is not None else []
    forms = stemmed(" ".join(ask.folded[start:end]))
    found = [
        *(_hit(t, VARIANT, "variant", start, end, typed) for i in indexes for t in i.variants(squashed)),
        *(
            _hit(t, VARIANT, "variant", start, end, typed)
            for i in indexes
            for s in bare
            if not i.is_weak(s)  # "procfile" is no Praat for its .proc files
            for t in i.topics(s)
        ),
    ]
    if len(forms) >= 4 and not all(ask.asking[start:end]):  # "basics" asks; it is no form of BASIC
        found += [_hit(t, FORM, "form", start, end, typed) for i in indexes for t in i.word_forms(forms)]
    return found


def _acronym_hits(ask: Ask, indexes: Sequence[FormIndex]) -> list[Hit]:
    """A whole ask of 3+ topic words spelling out an acronym: "workflow description language" is WDL."""
    content = [i for i, asking in enumerate(ask.asking) if not asking or ask.folded[i] in ("language", "lang")]
    if len(content) < 3 or content != list(range(content[0], content[-1] + 1)):
        return []
    start, end = content[0], content[-1] + 1
    if not all(word.isalpha() for word in ask.folded[start:end]):
        return []
    typed = " ".join(ask.typed[start:end])
    # The first letters of the words, and of their capitalised parts too: "JavaScript Object Notation" is JSON.
    spelled = {first_letters(list(ask.folded[start:end])), *initials(typed)[:1]}
    return [
        _hit(t, VARIANT, "acronym", start, end, typed)
        for letters in sorted(spelled)
        for index in indexes
        for t in index.acronyms(letters)
    ]


def _shared(topics: Iterable[str], alone: float, how: str, span: tuple[int, int], typed: str) -> list[Hit]:
    """Hits for evidence that points at these topics: worth `alone` if at one, else only enough to ask."""
    unique = list(dict.fromkeys(topics))
    strength = alone if len(unique) == 1 else SEVERAL
    return [_hit(topic, strength, how, *span, typed) for topic in unique]


def _ordinary_word(hit: Hit, present: Container[str]) -> Hit:
    """ "balm" may be a typo of BAML or mean balm: a likely typo of a topic taught here is trusted, else ask."""
    if hit.how == "typo" and hit.strength >= SHORT_TYPO and hit.topic in present:
        return hit
    return replace(hit, score=min(hit.score, SEVERAL), strength=min(hit.strength, SEVERAL))


def fuzzy_hits(
    ask: Ask,
    indexes: Sequence[FormIndex],
    common: Container[str],
    present: Container[str],
    renown: Callable[[str], int],
    *,
    far: bool,
) -> list[Hit]:
    """Hits by typo, prefix, initials and words; `far`: two edits for long words among others too."""
    hits: list[Hit] = []
    words = len(ask.folded)
    for start, end in ask.spans():
        whole = start == 0 and end == words <= 4  # "ame maker language" is a typo of a whole name
        if not whole and (end - start > 2 or ask.asking[start] or ask.asking[end - 1]):
            continue
        if all(ask.asking[start:end]):
            continue  # "basics" is no typo of BASIC, nor "learn" of Lean
        plain, squashed, typed = span_words(ask, start, end)
        full = not ask.leftovers(start, end)
        ordinary = squashed in common
        # Words all spelled right ("critical thinking"), among others, are no typo of a name: one of them is
        # misspelled, or the ask is nothing but them.
        if not full and all(word in common or ask.asking[start + i] for i, word in enumerate(plain.split(" "))):
            continue
        if far:  # the first look tried everything else, and two edits for a whole ask already
            if not full and len(squashed) >= 8:
                spellings = _spellings(ask, start, end)
                hits += [hit for index in indexes for hit in _typos(index, spellings, start, end, typed, far=True)]
            continue
        found = [hit for index in indexes for hit in _near(index, ask, start, end, full, present)]
        found += _compound_hits(ask, indexes, present, start, end)
        hits += found if not ordinary else [_ordinary_word(hit, present) for hit in found]
    return _shared_evidence(hits, present, renown)


def _compound_hits(ask: Ask, indexes: Sequence[FormIndex], present: Container[str], start: int, end: int) -> list[Hit]:
    """A word run together from a name taught here and another known name: "azurecosmosdb", "laraveljetstream",
    "artixlinux". The other part must itself be a name, so "bookbinding" is no Boo (nor "kbinding" anything)."""
    plain, squashed, typed = span_words(ask, start, end)
    if " " in plain or len(squashed) < 6 or not squashed.isalnum():
        return []
    for cut in range(len(squashed) - 3, 2, -1):  # the longest name taught here first
        for name, other in ((squashed[cut:], squashed[:cut]), (squashed[:cut], squashed[cut:])):
            here = [t for index in indexes for t in index.topics(name) if t in present and not index.is_weak(name)]
            if here and len(name) >= 3 and known_name(indexes, other):
                return _shared(here, AFFIX, "compound", (start, end), typed)
    return []


def known_name(indexes: Sequence[FormIndex], part: str) -> bool:
    """A name some index knows as people use it (not only as a file name or an editor mode)."""
    return len(part) >= 2 and any(index.topics(part) and not index.is_weak(part) for index in indexes)


def _near(index: FormIndex, ask: Ask, start: int, end: int, full: bool, present: Container[str]) -> list[Hit]:
    """Names in `index` a span is close to: by a typo, as their start, initials, some of their words or part."""
    plain, squashed, typed = span_words(ask, start, end)
    span = (start, end)
    found: list[Hit] = []
    if len(squashed) >= (3 if full else 5):
        found += _typos(index, _spellings(ask, start, end), start, end, typed, far=full)
    if len(squashed) >= (4 if full else 5):
        # A prefix names a topic only when it is a good part of the name: "kube", not "mathematica".
        names = [name for name in index.prefixed(squashed) if len(squashed) >= PREFIX_SHARE * len(name)]
        found += _shared((t for name in names for t in index.topics(name)), PREFIX, "prefix", span, typed)
    if full and 2 <= len(squashed) <= 6 and " " not in plain:
        # Two or three letters are the initials of too many names to be sure of one.
        found += _shared(index.initials(squashed), INITIALS if len(squashed) >= 4 else SEVERAL, "initials", span, typed)
    if full and len(squashed) >= 3:
        head = plain.split(" ")[0]
        names = [
            name
            for name in index.containing(plain.split(" "))
            # A name's first word says more ("c2hs" of "C2hs Haskell") than its last ("nasm", "lisp").
            if len(squashed) >= (HEAD_SHARE if index.heads(head, name) else PREFIX_SHARE) * len(name)
        ]
        found += _shared((t for name in names for t in index.topics(name)), CONTAINED, "contained", span, typed)
    if full and " " not in plain and len(squashed) >= 3 and squashed.isalpha() and skeleton(squashed) == squashed:
        found += _shared(index.skeletons(squashed), SKELETON, "skeleton", span, typed)
    if " " not in plain and len(squashed) >= 5:
        # A short name inside a longer word is no evidence ("Boo" in "bookbinding"): only one that is most of it.
        affixes = [name for name in index.affixes(squashed) if len(name) >= AFFIX_SHARE * len(squashed)]
        if affixes:  # "objectpascal" is Pascal, but "rusthon" is not Rust
            topics = index.topics(affixes[0])
            here = [topic for topic in topics if topic in present]
            found += _shared(here or topics, AFFIX if here else SEVERAL, "affix", span, typed)
    return found


def _typos(index: FormIndex, spellings: list[str], start: int, end: int, typed: str, *, far: bool) -> list[Hit]:
    """Names one edit away, or with `far` two for a word of 8+ letters (which is only ever enough to ask)."""
    best: dict[str, float] = {}
    for spelling in spellings:
        found = index.typos(spelling, 2 if far and len(spelling) >= 8 else 1)
        # Of names the same number of edits away, the one keeping more of the letters in order is likelier: a
        # letter left out keeps more than two swapped ("etal" is Metal before Teal).
        scores = {name: _typo_score(spelling, name, distance) for name, distance in found}
        kept = {name: fuzz.ratio(spelling, name) for name in scores}
        most = max((kept[name] for name, score in scores.items() if score >= SHORT_TYPO), default=0.0)
        for name, score in scores.items():
            score -= 0.0 if index.is_name(name) else OTHER_NAME
            score -= LESS_KEPT if kept[name] < most - 5 else 0.0
            for topic in index.topics(name):
                best[topic] = max(score, best.get(topic, 0.0))
    return [_hit(topic, score, "typo", start, end, typed) for topic, score in best.items()]


def _typo_score(typed: str, name: str, distance: int) -> float:
    if sorted(filter(str.isdigit, typed)) != sorted(filter(str.isdigit, name)):
        return 0.0  # a digit is never a typo: "web 2" is not "web 3", "topic 10" not "topic 1"
    if distance == 2:
        return FAR_TYPO
    # A letter left out or two letters swapped are the typos people make most: they win a tie with a wrong or
    # an extra letter ("jav" is Java before Jac, "rsut" is Rust before RST).
    likely = len(typed) == len(name) - 1 or (len(typed) == len(name) and Levenshtein.distance(typed, name) == 2)
    if not likely:
        # A wrong or extra letter in a short word makes another word as often as a typo: "viml", "dlang".
        return TYPO - UNLIKELY_TYPO if len(typed) >= 7 else SEVERAL
    return TYPO if len(typed) >= 4 else SHORT_TYPO


def _shared_evidence(hits: list[Hit], present: Container[str], renown: Callable[[str], int]) -> list[Hit]:
    """The same evidence pointing at several topics (a typo as close to two names) only asks which, unless just
    one of them is taught or wanted here: "mson" is Meson here, not Mason that nobody here knows. When the best
    evidence of a span is shared, weaker evidence of the same kind cannot decide it either ("sal": Sail or Salt,
    so not ASL, two letters swapped)."""
    topics: dict[tuple[int, int, str, float], set[str]] = {}
    for hit in hits:
        topics.setdefault((hit.start, hit.end, hit.how, hit.strength), set()).add(hit.topic)
    winner = {group: _tie_break(sharing, present, renown) for group, sharing in topics.items()}
    shared: dict[tuple[int, int, str], float] = {}  # span and kind → strength of its best shared evidence
    for (start, end, how, strength), found in winner.items():
        if found is None:
            shared[(start, end, how)] = max(strength, shared.get((start, end, how), 0.0))
    kept = []
    for hit in hits:
        unique = winner[(hit.start, hit.end, hit.how, hit.strength)] == hit.topic
        outdone = hit.strength < shared.get((hit.start, hit.end, hit.how), 0.0)
        kept.append(hit if unique and not outdone else replace(hit, score=min(hit.score, SEVERAL)))
    return kept


def _tie_break(topics: set[str], present: Container[str], renown: Callable[[str], int]) -> str | None:
    """The one topic this evidence names: the only one, the only one known here, or by far the best known."""
    if len(topics) == 1:
        return next(iter(topics))
    here = [topic for topic in topics if topic in present]
    if len(here) == 1:
        return here[0]
    known = sorted(here or topics, key=renown, reverse=True)
    return known[0] if renown(known[0]) >= renown(known[1]) + RENOWN_GAP else None
