"""Every name topics are known by, searchable by squashed key, edit distance, prefix, initials and words."""

from __future__ import annotations

import bisect
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matcher.text import acronym, folded_name, initials, skeleton, squash, stemmed, symbol_variants, words
from bot.matcher.vocabulary import Spellings

_NOTHING: tuple[str, ...] = ()
MANY = 5  # topics one derived spelling may stand for before it stands for none


class FormIndex:
    """Names → topic keys. Grows in place under a lock; searches read without one.

    Searches may run while a name is added: every structure changes by one list or dict operation at a time,
    which the interpreter makes atomic, so a search sees a new name or not, never half of one.
    Names are kept squashed ("node.js" → "nodejs"): the words of a name are only needed to find the many-word
    names that hold a word, and those postings point at the same squashed strings.
    """

    def __init__(
        self,
        names: Iterable[tuple[str, str, str]] = (),
        *,
        derived: bool = True,
        spellings: Spellings | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        """`names`: (name as written, topic key, kind). Kind "own" is a topic's own name, "alias" another name
        people use, "weak" a name from a file or an editor mode (".rkt", "source.objc"): found when typed exactly,
        but no typo, prefix or word of one is taken for it.

        `derived` also indexes what people make of a name: initials ("js"), acronyms and symbols spelled out;
        a workspace's own topics ("kubernetes security") do without, which keeps a 20,000-topic index small.

        Every index knows each name's word forms ("dance" is found by "dancing"). `spellings` also finds a name
        without the prefix or suffix it wears ("AdonisJS" by "adonis", "Apache CouchDB" by "couchdb") and by its
        consonants ("mvn"): the vocabulary carries such names itself, a workspace's own topics need them made.
        `known` tells the names of other indexes: a name run together from one of them and a part of its own is
        found by that part too ("gohugo" by "hugo", "processingpy" by "processing"), unless it is known itself.
        """
        self._lock = threading.Lock()
        self._derived = derived
        self._by_squash: dict[str, tuple[str, ...]] = {}
        self._names: set[str] = set()  # own names: a typo of one beats a typo of an alias
        self._searchable: set[str] = set()  # names typos and prefixes are looked for in (not the weak ones)
        self._by_initials: dict[str, tuple[str, ...]] = {}
        self._acronyms: dict[str, tuple[str, ...]] = {}
        self._by_length: dict[int, list[str]] = defaultdict(list)  # for edit distances
        # One edit leaves the first or the second letter of a name in the first two places of the typo: looking
        # only at names with those letters there is a tenth of the work of the whole length bucket.
        self._by_letter: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        self._sorted: list[str] = []  # for prefixes
        self._by_word: dict[str, list[str]] = defaultdict(list)  # word → the many-word names holding it
        self._heads: set[str] = set()  # first words of many-word names: "c2hs" of "C2hs Haskell"
        self._spaced: set[str] = set()  # many-word names with their spaces: "to c" is not "toc"
        self._spellings = spellings
        self._known = known
        self._by_stem: dict[str, tuple[str, ...]] = {}  # word forms: "danc" → dance
        self._by_variant: dict[str, tuple[str, ...]] = {}  # a name without its spelling affix: "adonis"
        self._by_skeleton: dict[str, tuple[str, ...]] = {}  # a one-word name's consonants: "mvn"
        pending: list[str] = []
        for written, topic, kind in names:
            self._add(written, topic, kind, pending)
        self._sorted = sorted(pending)

    def __len__(self) -> int:
        return len(self._by_squash)

    def add(self, written: str, topic: str, kind: str) -> None:
        """Another name for a topic: a new topic's own name, or an alias a workspace learned."""
        with self._lock:
            self._add(written, topic, kind, None)

    def _add(self, written: str, topic: str, kind: str, pending: list[str] | None) -> None:
        cut = words(written)  # cut once: a 20,000-topic workspace loads in a third less time
        text_key = " ".join(cut)
        if not text_key:
            return
        if kind == "weak":
            _append(self._by_squash, sys.intern(squash(text_key)), topic)
            return
        squashed = self._squashed(squash(text_key), topic, pending)
        folded = folded_name(cut)
        if folded != text_key:  # "data pipelines" is found as "data pipeline" too
            self._squashed(squash(folded), topic, pending)
        own = kind == "own"
        if own:
            self._names.add(squashed)
        forms = stemmed(folded)
        if len(forms) >= 4:  # "go" of "going" is too short to be sure of
            _append(self._by_stem, sys.intern(forms), topic)
        if self._spellings is not None:
            compound = self._compound_parts(squashed) if " " not in text_key else []  # typed as one word
            for bare in [*self._spellings.stems(squashed), *compound]:
                _append(self._by_variant, sys.intern(bare), topic)
                if bare.isalpha() and len(bare) >= 5:  # "mvn" for "Apache Maven" too
                    _append(self._by_skeleton, sys.intern(skeleton(bare)), topic)
            # What people make of a workspace's names too: "trpc" for "Typescript Remote Procedure Call", and a
            # short name as the acronym a longer ask spells out ("JavaScript Object Notation" for json).
            many = text_key.count(" ") >= 2 and text_key.replace(" ", "").isalpha()  # 3+ words: "trpc"
            for abbreviation in initials(written) if many else ():
                _append(self._by_initials, abbreviation, topic)
            if " " not in text_key and squashed.isalpha() and 2 <= len(squashed) <= 5:
                _append(self._acronyms, squashed, topic)
            consonants = skeleton(squashed)
            if " " not in text_key and squashed.isalpha() and len(squashed) >= 5 and len(consonants) >= 3:
                _append(self._by_skeleton, sys.intern(consonants), topic)
        if " " in text_key:
            self._spaced.update(sys.intern(k) for k in (text_key, folded))
            for word in set(text_key.split(" ")):
                if len(word) > 2:
                    self._by_word[sys.intern(word)].append(squashed)
            self._heads.add(sys.intern(f"{text_key.split(' ')[0]} {squashed}"))
        if not self._derived:
            return
        for variant in symbol_variants(text_key):
            self._squashed(squash(variant), topic, pending)
        for abbreviation in initials(written):
            _append(self._by_initials, abbreviation, topic)
        if own and acronym(written):
            _append(self._acronyms, acronym(written), topic)

    def _squashed(self, squashed: str, topic: str, pending: list[str] | None) -> str:
        """Record a squashed name; returns the one string object kept for it."""
        squashed = sys.intern(squashed)  # one string object per name, shared by every structure below
        _append(self._by_squash, squashed, topic)
        if squashed not in self._searchable:
            self._searchable.add(squashed)
            self._by_length[len(squashed)].append(squashed)
            for place, letter in enumerate(squashed[:2]):
                self._by_letter[(len(squashed), place, letter)].append(squashed)
            if pending is not None:
                pending.append(squashed)
            else:
                bisect.insort(self._sorted, squashed)
        return squashed

    def topics(self, squashed: str) -> tuple[str, ...]:
        """Topics named exactly so, however the name was spaced, dotted or hyphenated."""
        return self._by_squash.get(squashed, _NOTHING)

    def _compound_parts(self, squashed: str) -> list[str]:
        """The part of its own of a name run together with a known name: "hugo" of "gohugo"."""
        known = self._known
        if known is None or len(squashed) < 6 or not squashed.isalpha() or known(squashed):
            return []
        # The longest known part decides: "processing" + "py", not "pr" + "ocessingpy".
        splits = [(squashed[:cut], squashed[cut:]) for cut in range(2, len(squashed) - 1)]
        parts = [(len(head), tail) for head, tail in splits if len(tail) >= 4 and known(head)]
        parts += [(len(tail), head) for head, tail in splits if len(head) >= 4 and known(tail)]
        return [max(parts)[1]] if parts else []

    def word_forms(self, forms: str) -> tuple[str, ...]:
        """Topics whose name has these word forms (text.stemmed): "dancing" finds "dance"."""
        return self._by_stem.get(forms, _NOTHING)

    def variants(self, squashed: str) -> tuple[str, ...]:
        """Topics whose name is this one with a spelling affix: "adonis" finds "AdonisJS". A bare name many
        names share ("design" of hundreds) names none of them, and weighing them all would cost every ask."""
        found = self._by_variant.get(squashed, _NOTHING)
        return found if len(found) <= MANY else _NOTHING

    def skeletons(self, consonants: str) -> tuple[str, ...]:
        """One-word names these consonants shorten: "mvn" finds "Maven"."""
        return self._by_skeleton.get(consonants, _NOTHING)

    def has_words(self, text_key: str) -> bool:
        """A name with exactly these words ("code review"), not just these letters run together."""
        return text_key in self._spaced

    def is_weak(self, squashed: str) -> bool:
        """Known only from a file or an editor mode (".rkt", "wscript"), not as a name people use."""
        return squashed in self._by_squash and squashed not in self._searchable

    def is_name(self, squashed: str) -> bool:
        return squashed in self._names

    def initials(self, letters: str) -> tuple[str, ...]:
        """Topics whose name's first letters spell this ("hcl": HashiCorp Configuration Language)."""
        return self._by_initials.get(letters, _NOTHING)

    def acronyms(self, letters: str) -> tuple[str, ...]:
        """Topics named by an acronym with these letters ("WDL" for "workflow description language")."""
        return self._acronyms.get(letters, _NOTHING)

    def typos(self, squashed: str, max_distance: int) -> list[tuple[str, int]]:
        """Names within `max_distance` edits (insertions, deletions, substitutions, swapped neighbours)."""
        length = len(squashed)
        lengths = range(max(1, length - max_distance), length + max_distance + 1)
        if max_distance == 1:
            letters = set(squashed[:2])
            buckets = [self._by_letter.get((n, place, c), ()) for n in lengths for place in (0, 1) for c in letters]
        else:
            buckets = [self._by_length.get(n, ()) for n in lengths]
        choices = list(chain.from_iterable(buckets))  # a name can be in two buckets: results are deduplicated
        matches = process.extract(squashed, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=None)
        return list(dict.fromkeys((name, int(distance)) for name, distance, _ in matches if name != squashed))

    def prefixed(self, squashed: str, limit: int = 8) -> list[str]:
        """Names that start with this one ("kube" → "kubernetes"), shortest first."""
        start = bisect.bisect_left(self._sorted, squashed)
        found = []
        for name in self._sorted[start : start + 64]:
            if not name.startswith(squashed):
                break
            if len(name) >= len(squashed) + 2:  # one letter more is a typo, and typos() finds those
                found.append(name)
        return sorted(found, key=len)[:limit]

    def containing(self, words: list[str]) -> list[str]:
        """Many-word names holding all these words ("lisp" → "commonlisp", "emacslisp"), squashed."""
        postings = [self._by_word.get(word, []) for word in words]
        if not postings or any(not posting for posting in postings):
            return []
        shortest = min(postings, key=len)
        if len(shortest) > 200:  # a word in hundreds of names ("data") names none of them
            return []
        others = [set(posting) for posting in postings if posting is not shortest]
        return [name for name in dict.fromkeys(shortest) if all(name in other for other in others)]

    def heads(self, word: str, name: str) -> bool:
        """This word starts this many-word name."""
        return f"{word} {name}" in self._heads

    def affixes(self, squashed: str, shortest: int = 3) -> list[str]:
        """Names that start or end this word, longest first: "objectpascal" → "pascal", "fishshell" → "fish"."""
        found = []
        for size in range(len(squashed) - 1, shortest - 1, -1):
            for part in (squashed[:size], squashed[-size:]):
                if part in self._searchable:
                    found.append(part)
        return found


def _append(table: dict[str, tuple[str, ...]], name: str, topic: str) -> None:
    current = table.get(name, _NOTHING)
    if topic not in current:
        table[name] = (*current, topic)
