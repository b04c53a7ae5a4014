"""What a /teach item is saved under: the teacher's words are trusted, the vocabulary only helps.

A teacher knows what they teach. Their words are saved at once: under a known topic when the match is sure, else
under their own words, with "did you mean…?" offered afterwards for a known topic that is plausible. A dictionary
word is taken as meant ("Bass" is bass, not a typo of Sass), and so are learned aliases: one person's click never
decides what a teacher's words mean.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from bot.matcher.phrasing import Ask
from bot.matcher.resolve import Hit, Resolution

# Evidence that names a topic by its own words, however spelled: sure enough to save under it.
SURE = frozenset({"exact", "variant", "form", "acronym"})
# Below this, a plausible topic is not worth a teacher's attention: a word two edits from a name ("Pyrography",
# Typography) or close to several ("Zill") is far likelier to be just what they wrote.
OFFER = 88.0


@dataclass(frozen=True)
class Teaching:
    topic: str | None  # the known topic the item is saved under; None: a topic of the teacher's own words
    words: str  # the teacher's topic words, as typed
    offer: tuple[str, ...] = ()  # known topics to offer with "did you mean…?" after saving under `words`


def choose(resolution: Resolution, common: Container[str]) -> Teaching:
    """Where one /teach item goes, from what its words name (resolve.resolve, without learned aliases)."""
    words = _own_words(resolution.text)
    best = resolution.best
    # A match that leaves some of the words unexplained is another topic: "Apache dance" is no ApacheConf.
    # So does the start or some words of a longer name: "Tambour" is no Tambourine, "Altaic" no Ural-Altaic. A
    # typo is sure only of a word that is no word of its own ("kuberentes").
    if best is not None and best.full and (best.how in SURE or _sure_typo(best, common)):
        return Teaching(best.topic, words)
    candidates = [best] if best is not None else list(resolution.plausible)
    offer = [
        hit.topic
        for hit in candidates
        if hit.full and hit.score >= OFFER and (hit.how in SURE or not _dictionary_words(hit, common))
    ]
    return Teaching(None, words, tuple(dict.fromkeys(offer)))


def _dictionary_words(hit: Hit, common: Container[str]) -> bool:
    """The hit's words are ordinary English words: "roasting" is roasting, not a typo of Toasting."""
    return all(word.casefold() in common for word in hit.words.split())


def _sure_typo(hit: Hit, common: Container[str]) -> bool:
    return hit.how == "typo" and not _dictionary_words(hit, common)


def _own_words(text: str) -> str:
    """What a teacher typed, without the asking words before it ("our billing API" → "billing API"); the ones
    after it are theirs ("Sign language", "Guidance" alone)."""
    ask = Ask.of(text)
    first = next((i for i, asking in enumerate(ask.asking) if not asking), None)
    return " ".join(ask.typed[first:]) if first is not None else text.strip()
