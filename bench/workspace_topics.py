"""The workspace's side of the matcher, measured on words the vocabulary does not hold.

- Everyday topics (bench/data/everyday_topics.tsv, kinds of sport, craft, dance, instrument, cuisine, language,
  field of study… from WordNet): each is taught by one colleague through /teach's own decision
  (bot.matcher.teaching), beside the Linguist languages of bench/evaluation.py, in a shuffled order; then asked for
  by its exact name, with a one-letter typo, and in a phrasing.
- Tools by other names (bench/data/tools.tsv, devicon's names and altnames): each tool taught under one of its
  names, asked for by the other, both ways round.
- The /teach question rate: how often /teach offers "did you mean…?" for an everyday topic, and how often it saves
  one under another topic's name.

Every source row has a split from a hash of its name: misses are printed for dev only, so tuning never sees test.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import evaluation as ev
from bot.matcher import TopicIndex
from bot.matcher.text import key

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Row:
    name: str
    split: str
    other: str = ""  # tools: the name the learner asks by


@dataclass
class Taught:
    """A workspace built through /teach: each name as typed → the topic key it was saved under."""

    index: TopicIndex
    saved: dict[str, str] = field(default_factory=dict)
    asked: dict[str, bool] = field(default_factory=dict)  # /teach offered "did you mean…?"
    elsewhere: dict[str, bool] = field(default_factory=dict)  # saved under a known topic of another name

    def teach(self, name: str) -> None:
        pick = self.index.for_teaching(ev.TEAM, name)
        topic = pick.topic or key(pick.words)
        if self.index.topic_id(ev.TEAM, topic) is None:  # as the catalog does: a known topic keeps its name
            label = self.index.label(ev.TEAM, topic) if pick.topic else pick.words
            self.index.add_topic(ev.TEAM, len(self.saved) + 10_000, topic, label)
        if pick.topic is not None and key(pick.words) != topic:  # as the catalog remembers the teacher's words
            self.index.add_alias(ev.TEAM, pick.words, topic)
        self.saved[name] = topic
        self.asked[name] = bool(pick.offer)
        self.elsewhere[name] = pick.topic is not None and key(self.index.label(ev.TEAM, topic)) != key(name)


def _rows(filename: str) -> list[list[str]]:
    lines = (DATA / filename).read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def everyday() -> list[Row]:
    return [Row(name, split) for _, name, split in _rows("everyday_topics.tsv")]


def tools() -> list[Row]:
    """Each tool once, with the name it is taught under and the other name it is asked by: alternately one way
    and the other round, so that both the full and the short spelling are taught and asked."""
    rows, seen = [], set()
    for i, (name, other, split) in enumerate(_rows("tools.tsv")):
        if name in seen:
            continue
        seen.add(name)
        rows.append(Row(name, split, other) if i % 2 else Row(other, split, name))
    return rows


def teach_everyday(space: ev.Workspace, rows: list[Row], seed: int = 11) -> Taught:
    """The everyday topics and the Linguist languages, each taught by one colleague, in a shuffled order."""
    taught = Taught(TopicIndex())
    taught.index.load(ev.TEAM, [])
    names = [row.name for row in rows] + list(space.taught.values())
    random.Random(seed).shuffle(names)
    for name in names:
        taught.teach(name)
    return taught


def teach_tools(rows: list[Row]) -> Taught:
    taught = Taught(TopicIndex())
    taught.index.load(ev.TEAM, [])
    for row in rows:
        taught.teach(row.name)
    return taught


def typo(name: str, rng: random.Random) -> str:
    """One letter left out or two neighbours swapped, at a random place in a name of 4+ letters."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 4:
        return name
    if rng.random() < 0.5:
        i = rng.choice(letters)
        return name[:i] + name[i + 1 :]
    pairs = [i for i in letters if i + 1 < len(name) and name[i + 1].isalpha() and name[i] != name[i + 1]]
    if not pairs:
        return name
    j = rng.choice(pairs)
    return name[:j] + name[j + 1] + name[j] + name[j + 2 :]


def query_sets(
    rows: list[Row], taught: Taught, tool_rows: list[Row], tools_taught: Taught
) -> dict[str, list[ev.Query]]:
    """(set name → queries), with the split in the name; each query expects the topic its teacher was saved under."""
    sets: dict[str, list[ev.Query]] = {}
    rng = random.Random(13)
    for split in ("dev", "test"):
        mine = [row for row in rows if row.split == split]
        forms = ev.templates(split)
        sets[f"everyday exact ({split})"] = [
            ev.Query(row.name if rng.random() < 0.5 else row.name.lower(), taught.saved[row.name]) for row in mine
        ]
        sets[f"everyday typo ({split})"] = [
            ev.Query(typo(row.name, rng), taught.saved[row.name]) for row in mine if len(row.name) >= 4
        ]
        sets[f"everyday phrasing ({split})"] = [
            ev.Query(rng.choice(forms).replace("{x}", row.name.lower()), taught.saved[row.name]) for row in mine
        ]
        sets[f"tools ({split})"] = [
            ev.Query(row.other, tools_taught.saved[row.name]) for row in tool_rows if row.split == split
        ]
    return sets


def baseline(taught: Taught, scorer: Callable[[ev.Workspace], ev.Answer]) -> ev.Answer:
    """A naive baseline over the names as the teachers typed them."""
    space = ev.Workspace({name: name for name in taught.saved}, {})
    answer = scorer(space)

    def mapped(text: str) -> tuple[str, str | None, list[str]]:
        kind, top, candidates = answer(text)
        return kind, taught.saved.get(top or ""), candidates

    return mapped


def question_rate(taught: Taught, rows: list[Row], split: str) -> tuple[float, float, list[str]]:
    """(share of /teach asking "did you mean", share saved under another name, examples of either)."""
    mine = [row.name for row in rows if row.split == split]
    asked = [name for name in mine if taught.asked[name]]
    elsewhere = [name for name in mine if taught.elsewhere[name]]
    examples = [f"{n} → did you mean" for n in asked] + [
        f"{n} → saved as {taught.index.label(ev.TEAM, taught.saved[n])}" for n in elsewhere
    ]
    return len(asked) / len(mine), len(elsewhere) / len(mine), examples
