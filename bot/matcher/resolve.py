"""Which topic an ask names, and how sure we are: confident, "did you mean…", or nothing close.

Every run of words in the ask is looked up, exactly first and then by typo, prefix, initials and contained
words (evidence.py). Each hit starts from how good its evidence is, then loses points for the topic words it
leaves unexplained, the more so when its own words are an ordinary English word ("go", "excel") or two letters.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field, replace

from bot.matcher.evidence import SEVERAL, VARIANT, Hit, exact_hits, fuzzy_hits, known_name, span_words
from bot.matcher.forms import FormIndex
from bot.matcher.phrasing import Ask
from bot.matcher.text import squash
from bot.matcher.vocabulary import Spellings

__all__ = ["CONFIDENT", "PLAUSIBLE", "Hit", "Resolution", "resolve"]

CONFIDENT = 90.0  # teachers are shown at once
PLAUSIBLE = 80.0  # "did you mean…?" with a button per topic

# What a hit loses for the topic words around it (see Ask.fit), and for being a weak word among them.
FIT = {"full": 0.0, "part": 2.0, "edge": 4.0, "inside": 6.0}
WEAK = 3.0
# How much closer an untaught vocabulary topic must be to come before one taught here: more than another
# spelling or form of the same name (EXACT - FORM), less than a typo.
WORKSPACE_FIRST = 4.0
RIVAL = 1.0  # topics this close to the best one, named by the same words, make the answer uncertain


@dataclass(frozen=True)
class Resolution:
    """What an ask names: confident topics (best first), or candidates to ask about, or neither."""

    text: str
    core: str  # the topic words as typed, for a topic nobody named before
    confident: tuple[Hit, ...] = ()
    plausible: tuple[Hit, ...] = ()
    only_asking: bool = False
    considered: tuple[Hit, ...] = field(default=(), repr=False, compare=False)

    @property
    def best(self) -> Hit | None:
        return self.confident[0] if self.confident else None


def resolve(
    ask: Ask,
    indexes: Sequence[FormIndex],
    *,
    present: Container[str],
    common: Container[str],
    renown: Callable[[str], int] = lambda _: 0,
    spellings: Spellings | None = None,
) -> Resolution:
    """The topics `ask` names, searched in `indexes`. Ties between equally close names go to a topic `present`
    here (taught or wanted), else to one far more `renown`ed (known to more sources: "ython" is Python)."""
    hits = exact_hits(ask, indexes, spellings)
    if not any(hit.strength >= VARIANT and ask.fit(hit.start, hit.end) == "full" for hit in hits):
        hits += fuzzy_hits(ask, indexes, common, present, renown, far=False)

    def qualifier(word: str) -> bool:
        return known_name(indexes, squash(word)) or (spellings is not None and squash(word) in spellings.suffixes)

    weighed = [hit for hit in (_weigh(hit, ask, present, common, qualifier) for hit in hits) if hit.score >= PLAUSIBLE]
    if not weighed:  # a last look, two edits away, in the long words of a longer ask: "terafrom modules"
        far = fuzzy_hits(ask, indexes, common, present, renown, far=True)
        weighed = [
            hit for hit in (_weigh(hit, ask, present, common, qualifier) for hit in far) if hit.score >= PLAUSIBLE
        ]
    return _decide(ask, weighed, present)


def _weigh(
    hit: Hit, ask: Ask, present: Container[str], common: Container[str], qualifier: Callable[[str], bool]
) -> Hit:
    """Lower a hit for the topic words it leaves unexplained, the more so when its own words are weak."""
    fit = ask.fit(hit.start, hit.end)
    squashed = span_words(ask, hit.start, hit.end)[1]
    ordinary = (len(squashed) <= 2 and squashed.isalpha()) or squashed in common or all(ask.asking[hit.start : hit.end])
    weak = fit != "full" and ordinary and not ask.cued(hit.start, hit.end)
    score = hit.score - FIT[fit] - (WEAK if weak else 0.0)
    if ask.cuts_a_word(hit.start, hit.end, qualifier):
        score = min(score, SEVERAL)  # "transact-sql" is not SQL, "csound-csd" not Csound: ask
    if hit.how == "form" and hit.topic not in present and fit != "full":
        # A stemmer folds some words that mean different things ("production", "productivity"): another form of
        # a name nobody here teaches counts only when it is the whole ask ("negotiating"), never inside a sentence.
        score = 0.0
    elif weak and hit.topic not in present and fit != "part":
        score = 0.0  # "give a clean presentation" is not about the Clean language nobody here knows
    elif weak and fit == "inside" and not (hit.strength >= VARIANT and hit.topic in present):
        score = min(score, SEVERAL)  # but a topic taught here, named exactly, is what the sentence is about
    return replace(hit, score=score, explained=len(squashed), weak=weak, full=fit == "full", part=fit == "part")


def _order(hit: Hit, present: Container[str]) -> tuple[bool, bool, int, float, bool, float, str]:
    # Confident before not; a distinctive word before an ordinary one; then the hit that explains more of the
    # ask ("Compoent Pascal" is Component Pascal, not Pascal); then the evidence; then a topic known here.
    return (
        hit.score < CONFIDENT,
        hit.weak,
        -hit.explained,
        -hit.score,
        hit.topic not in present,
        -hit.strength,
        hit.topic,
    )


def _decide(ask: Ask, hits: list[Hit], present: Container[str]) -> Resolution:
    best_of: dict[str, Hit] = {}
    for hit in sorted(hits, key=lambda h: _order(h, present)):
        best_of.setdefault(hit.topic, hit)
    ranked = _workspace_first(list(best_of.values()), present)
    base = Resolution(ask.text, ask.core, only_asking=ask.only_asking, considered=tuple(ranked))
    if not ranked:
        return base
    best = ranked[0]
    if best.score < CONFIDENT:
        return _ask_which(base, ranked, present)
    rivals = [
        hit
        for hit in ranked[1:]
        if (hit.overlaps(best) and hit.explained >= best.explained and hit.score >= best.score - RIVAL)
        or (best.weak and hit.explained > best.explained)  # "visual basic": VB.NET, VB6 or VBA, not BASIC
        or (best.weak and hit.weak and hit.score >= CONFIDENT)  # "pike, nothing fancy"
    ]
    if rivals and not (best.topic in present and not any(rival.topic in present for rival in rivals)):
        return _ask_which(base, [best, *rivals], present)
    # The other topics the ask names, for a caller that wants the first one taught ("excel pivot tables" names
    # Pivot tables, then Excel). An ordinary word counts only as the head of the ask: "nothing fancy" is no Fancy.
    head = next((i for i, asking in enumerate(ask.asking) if not asking), -1)
    chosen = [best]
    for hit in ranked[1:]:
        # …but one taught here, named exactly as a part of its own, is named: "kubernetes and docker and *helm*".
        own_part = hit.part and hit.topic in present and hit.strength >= VARIANT
        # An ordinary word in -ing before other topic words is a verb ("*writing* sql queries"), not Writing.
        head_noun = hit.start == head and not (hit.end - hit.start == 1 and hit.words.casefold().endswith("ing"))
        named = hit.score >= CONFIDENT and (not hit.weak or head_noun or own_part)
        if named and not any(hit.overlaps(other) for other in chosen):
            chosen.append(hit)
    return replace(base, confident=tuple(chosen))


def _workspace_first(ranked: list[Hit], present: Container[str]) -> list[Hit]:
    """A topic taught or wanted here comes before a vocabulary topic nobody here knows that explains the ask no
    better: its name however spelled ("processing" for "processingpy" taught here, not Processing nobody
    teaches). A typo of it does not: "rust" is Rust, not a taught "Rusty"."""
    if not ranked or ranked[0].topic in present:
        return ranked
    best = ranked[0]
    for i, hit in enumerate(ranked[1:], 1):
        if (
            hit.topic in present
            and hit.score >= max(CONFIDENT, best.score - WORKSPACE_FIRST)
            and hit.explained >= best.explained
            and hit.weak <= best.weak
        ):
            return [hit, *ranked[:i], *ranked[i + 1 :]]
    return ranked


def _ask_which(base: Resolution, ranked: list[Hit], present: Container[str]) -> Resolution:
    """ "Did you mean…?": the workspace first. When some of the topics are taught or wanted here, only they are
    offered ("bass" with Double bass taught is not also JASS or Sass, which nobody here knows)."""
    here = [hit for hit in ranked if hit.topic in present]
    return replace(base, plausible=tuple((here or ranked)[:3]))
