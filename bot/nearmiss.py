"""Is the first word of a command a slip for a subcommand? (`remve`, `cancle`, `don`, `unpause`, `stop`)

A slip must never be read as a topic: `/teach remve python` would tell waiting learners that you teach Python.
But a topic that merely starts like a subcommand (`remote work`, `cancer research`, `drone racing`, `donuts`)
must not be questioned either. The rule, in order:

- the words people use for a subcommand that is called something else here (`delete` for `remove`, `stop` for
  `pause`) and its own word forms (`removed`, `cancelling`);
- the subcommand cut short by a letter or two (`don`, `remov`): a finger that left too early;
- any other word only if it is neither an ordinary English word nor a known topic's name, and is one typing slip
  away from a subcommand (two for the longer ones): a letter missed, an extra key beside one pressed, a
  neighbouring key instead, or two letters swapped, the first letter always right. A word (`remote`, `cancer`,
  `dome`, `stp`) was typed on purpose.

A subcommand that takes a topic is only suspected before one (`/learn don` asks for a topic called Don), one that
takes none only alone (`/teach stop motion` is a topic), unless the word is a slip no one makes on purpose.
tests/bot/test_nearmiss.py measures it: no name of the vocabulary, no everyday topic or tool of bench/data and
no phrasing of an ask around them is questioned; every one-slip typo of a subcommand that is not a word is
caught, and 94% of two slips in the longer ones.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from bot.matcher.vocabulary import shipped

# QWERTY: the keys around each one. Other layouts mostly move a few letters; a slip there costs one step more.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _around(row: int, col: int) -> set[str]:
    keys: set[str] = set()
    for r in (row - 1, row, row + 1):
        if 0 <= r < len(_ROWS):
            keys.update(_ROWS[r][c] for c in (col - 1, col, col + 1) if 0 <= c < len(_ROWS[r]))
    return keys - {_ROWS[row][col]}


_NEIGHBOURS = {key: _around(r, c) for r, row in enumerate(_ROWS) for c, key in enumerate(row)}


def slip_for(
    head: str, has_topic: bool, takes_topic: Iterable[str], bare: Iterable[str], synonyms: Mapping[str, str]
) -> str | None:
    """The subcommand that `head` (a lowercased first word) is a slip for, or None when it is not one.

    `takes_topic` and `bare` are the subcommands with and without a topic; `synonyms` maps other words for a
    subcommand to it. Whether a topic follows decides which of them can be meant.
    """
    takes_topic, bare = tuple(takes_topic), tuple(bare)
    fits = takes_topic if has_topic else bare  # what may be meant by a word people also use on purpose
    if head in (*takes_topic, *bare):
        return None
    if synonyms.get(head) in fits:
        return synonyms[head]
    if len(head) < 3:  # `go`, `r`, `js`: too short to be anything but what they say
        return None
    for word in fits:
        if _word_form(head, word) or _cut_short(head, word):
            return word
    if head in _ordinary_words():
        return None
    if head in synonyms:  # `unpause python`: a word nobody types but for the command, whatever follows
        return synonyms[head]
    for word in (*fits, *(w for w in (*takes_topic, *bare) if w not in fits)):
        if head[0] == word[0] and slips(head, word) <= (1 if len(word) <= 5 else 2):
            return word
    # Another word for one, mistyped (`unpuase`): one slip only, since those words sit among the words people
    # start an ask with (`lern` is two from `learnt`).
    for word, command in synonyms.items():
        if command in fits and len(word) >= 4 and head[0] == word[0] and slips(head, word) <= 1:
            return command
    return None


def _word_form(head: str, word: str) -> bool:
    if word.endswith("e"):  # removes, removed, removing
        return head in (word + "s", word + "d", word[:-1] + "ing")
    return head in (word + "s", word + "ed", word + "ing", word + "led", word + "ling")  # cancelled, cancelling


def _cut_short(head: str, word: str) -> bool:
    return word.startswith(head) and len(word) - len(head) <= (1 if len(word) <= 5 else 2)


@functools.cache
def _ordinary_words() -> frozenset[str]:
    """Ordinary English words, and one-word names of known topics (`stp`, `pug`): typed on purpose."""
    vocabulary = shipped()
    names = {name.casefold() for name, _, _ in vocabulary.names() if " " not in name}
    return vocabulary.common_words | names


def slips(typed: str, word: str) -> int:
    """How many typing slips turn `word` into `typed` (a Damerau-Levenshtein distance weighted by the keyboard).

    A missed letter or two swapped letters cost 1; a key next to the right one, or an extra key next to (or
    the same as) a letter pressed beside it, costs 1; any other wrong or extra letter costs 2.
    """
    rows, cols = len(typed) + 1, len(word) + 1
    cost = [[0] * cols for _ in range(rows)]
    for i in range(1, rows):
        cost[i][0] = cost[i - 1][0] + _extra(typed, i - 1)
    for j in range(1, cols):
        cost[0][j] = j
    for i in range(1, rows):
        extra = _extra(typed, i - 1)
        for j in range(1, cols):
            a, b = typed[i - 1], word[j - 1]
            wrong = 0 if a == b else 1 if b in _NEIGHBOURS.get(a, ()) else 2
            best = min(cost[i - 1][j] + extra, cost[i][j - 1] + 1, cost[i - 1][j - 1] + wrong)
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                best = min(best, cost[i - 2][j - 2] + 1)
            cost[i][j] = best
    return cost[-1][-1]


def _extra(typed: str, at: int) -> int:
    """The cost of typed[at] being a key pressed by mistake: 1 beside (or the same as) a letter next to it."""
    key = typed[at]
    beside = typed[max(at - 1, 0) : at] + typed[at + 1 : at + 2]
    return 1 if any(key == b or key in _NEIGHBOURS.get(b, ()) for b in beside) else 2
