"""A labelled query set for matcher accuracy: (what someone types, the topic they mean).

Built from public data: the Stack Overflow tag synonyms in bot/data/aliases.json (alias → canonical), plus
deterministic variants of the canonical names that people really type: one-letter typos, plurals, swapped word
order, capitals and stray punctuation.
"""

from __future__ import annotations

import json
import random
from importlib import resources

from bot.matcher import load_shipped_aliases, normalise


def labelled_queries(seed: int = 11) -> list[tuple[str, str]]:
    """(query as typed, expected canonical topic name)."""
    rng = random.Random(seed)
    aliases = load_shipped_aliases()
    raw = json.loads(resources.files("bot").joinpath("data/aliases.json").read_text("utf-8"))["aliases"]
    pairs = [(alias, normalise(canonical, aliases)) for alias, canonical in raw.items()]
    canonical = sorted({target for _, target in pairs})
    for name in canonical:
        letters = [i for i, ch in enumerate(name) if ch.isalpha()]
        if len(name) >= 6 and letters:
            i = rng.choice(letters[1:-1] or letters)
            edits = (
                name[:i] + name[i + 1 :],
                name[:i] + name[i] + name[i:],
                name[:i] + name[i + 1 : i + 2] + name[i] + name[i + 2 :],
            )
            pairs.append((rng.choice(edits), name))
        pairs.append((name.upper() + "!", name))
        if " " in name:
            words = name.split(" ")
            pairs.append((" ".join(reversed(words)), name))
        elif name.isalpha() and not name.endswith("s"):
            pairs.append((name + "s", name))
    return pairs
