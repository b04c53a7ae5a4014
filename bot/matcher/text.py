"""How topic text is cut into words and folded into keys; shared by the vocabulary, the index and the asks."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import snowballstemmer

_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")
# Characters that carry meaning inside technical names stay: c++, c#, f*, .net, node.js, ci/cd, p&l.
_DROP = re.compile(r"[^\w\s+#.*/&']|_")
_SEPARATORS = re.compile(r"[/&+]+")
# Squashing joins the words and drops what people type or leave out at will: "node.js" = "nodejs" = "node js".
_SQUASH = re.compile(r"[\s./'-]")
_NO_PLURAL = ("ss", "us", "sis", "ics", "ous", "is")
# Words that end in "s" but are not plurals; folding both sides the same makes this cosmetic, but labels show it.
_INVARIANT = frozenset(
    {"kubernetes", "jenkins", "pandas", "sass", "less", "redis", "ios", "macos", "windows", "news", "series", "ops"}
)
_SYMBOL_WORDS = (("++", "pp"), ("#", "sharp"), ("*", "star"), ("+", "plus"))


def words(text: str, *, casefold: bool = True) -> list[str]:
    """The words of a text: NFKC, casefold (unless told not to), emoji codes and stray punctuation gone.

    `/`, `&` and `+` between words are words of their own ("python / django"); inside one ("ci/cd", "p&l",
    "c++") they stay part of it. Apostrophes join ("i'd" → "id", "ren'py" → "renpy").
    """
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    text = text.casefold() if casefold else text
    text = _DROP.sub(" ", _EMOJI_CODE.sub(" ", text)).replace("'", "")
    out: list[str] = []
    for raw in text.split():
        if _SEPARATORS.fullmatch(raw):
            out.append(raw)
            continue
        token = raw.strip("/&").rstrip(".")
        # A leading dot means something only before a letter or digit: ".net", ".py".
        if token.startswith(".") and not token[1:2].isalnum():
            token = token.lstrip(".")
        if any(ch.isalnum() for ch in token):
            out.append(token)
    return out


def singular(word: str, shortest: int = 4) -> str:
    """Light plural folding: "pipelines" → "pipeline", "libraries" → "library"; "analytics", "node.js" stay."""
    if len(word) < shortest or not word.endswith("s") or word.endswith(_NO_PLURAL) or word in _INVARIANT:
        return word
    if not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def key(text: str) -> str:
    """The key a topic is known by: its words, folded, joined by single spaces."""
    return " ".join(singular(word) for word in words(text))


def plain(text: str) -> str:
    """A name's words as written, lowercased, joined by single spaces (no plural folding)."""
    return " ".join(words(text))


def folded_name(cut: list[str]) -> str:
    """A name's words (from `words`) with its longer plurals folded ("data pipelines" → "data pipeline"); short
    words stay: folding "gams" or "dats" would make names of ordinary three-letter words."""
    return " ".join(singular(word, shortest=5) for word in cut)


def key_of_words(folded: list[str] | tuple[str, ...]) -> str:
    return " ".join(folded)


def squash(text_key: str) -> str:
    """A key with its word breaks and dots gone: "node.js", "node js" and "nodejs" all squash to "nodejs"."""
    return _SQUASH.sub("", text_key)


def symbol_variants(text_key: str) -> list[str]:
    """The ways people spell symbols out: "c#" → "csharp", "c++" → "cpp", "f*" → "fstar"."""
    variants = []
    spelled = text_key
    for symbol, word in _SYMBOL_WORDS:
        spelled = spelled.replace(symbol, word)
    if spelled != text_key:
        variants.append(spelled)
        if "++" in text_key:
            variants.append(text_key.replace("++", "plusplus"))
    return variants


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _parts(display: str) -> list[str]:
    return [p for p in re.split(r"[\s\-_/.]+", _CAMEL.sub(" ", display)) if p]


def initials(display: str) -> list[str]:
    """Short forms people make of a name of several parts, camelCase split: its first letters ("JavaScript" →
    "js", "Standard ML" → "sml"), and the first letters before its last part ("Emacs Lisp" → "elisp")."""
    parts = _parts(display)
    if len(parts) < 2:
        return []
    # An acronym inside a name keeps its letters: "Standard ML" → "sml".
    letters = [p.lower() if p.isupper() and len(p) > 1 else p[0].lower() for p in parts if p[0].isalnum()]
    found = ["".join(letters)]
    last = parts[-1].lower()
    if len(last) >= 3 and last.isalnum():
        found.append("".join(letters[:-1]) + last)
    return [form for form in found if len(form) >= 2]


def acronym(display: str) -> str:
    """The letters of a name written as an acronym ("WDL", "HCL"), else nothing."""
    letters = display.replace(" ", "")
    return letters.lower() if len(letters) >= 2 and letters.isalpha() and letters.isupper() else ""


def first_letters(folded_words: list[str]) -> str:
    """What an acronym of these words would be: "workflow description language" → "wdl"."""
    return "".join(word[0] for word in folded_words if word[:1].isalpha()) if len(folded_words) >= 2 else ""


_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps its word in the object while it works
_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's Snowball stem: "dancing" and "dance" → "danc", "presentations" → "present"."""
    if not word.isalpha():
        return word
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def stemmed(text_key: str) -> str:
    """Every word of a key stemmed, run together: the form a name and its plurals, gerunds and derived forms share."""
    return "".join(stem(word) for word in text_key.split(" "))


def skeleton(squashed: str) -> str:
    """A word without its vowels, as people shorten it: "maven" → "mvn", "package" → "pckg"."""
    return squashed[:1] + "".join(ch for ch in squashed[1:] if ch not in _VOWELS)
