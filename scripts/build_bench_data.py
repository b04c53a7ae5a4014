"""Build the matcher bench's outside data: everyday topics from WordNet, developer tools' other names from devicon.

python scripts/build_bench_data.py [--wordnet DIR] [--devicon FILE]

Neither source is read by the vocabulary (scripts/build_vocabulary.py), so the bench measures what the matcher
makes of words it was never given:
- WordNet 3.0 (Princeton, WordNet licence; Debian's `wordnet-base` puts it in /usr/share/wordnet): the kinds of
  sport, dance, craft, instrument, cuisine, cooking, art, human language, field of study, martial art, board game,
  music genre and pastime; names the vocabulary already knows are left out.
- devicon (MIT; `npm pack devicon`): each tool's name and its other names (`altnames`).

Each row gets a split, dev or test, from a hash of its name: the bench prints misses of dev only, so tuning never
looks at test. The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.matcher.text import key, squash
from bot.matcher.vocabulary import shipped

OUT = Path(__file__).resolve().parent.parent / "bench" / "data"
# WordNet synsets (noun offsets) whose kinds people teach each other, with the category they stand for.
ROOTS = {
    "00523513": "sport",
    "00428270": "dance",
    "00714944": "craft",
    "00606370": "trade",
    "03800933": "instrument",
    "07571324": "cuisine",
    "00243918": "cooking",
    "00933420": "art",
    "06904171": "language",
    "05996646": "field of study",
    "00825443": "martial art",
    "00502415": "board game",
    "07071942": "music genre",
    "00432689": "pastime",
}
PER_ROOT = 90  # kinds per root at most, so that languages and instruments do not crowd out the rest
TEST_SHARE = 3  # one row in three is held out (test)


def split_of(name: str) -> str:
    return "test" if zlib.crc32(name.casefold().encode()) % TEST_SHARE == 0 else "dev"


def _synsets(folder: Path) -> dict[str, tuple[list[str], list[str]]]:
    """offset → (lemmas, hyponym offsets)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    with (folder / "data.noun").open(encoding="latin-1") as data:
        for line in data:
            if line.startswith(" "):
                continue
            fields = line.split("|")[0].split()
            count = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i] for i in range(count)]
            rest = fields[4 + 2 * count :]
            pointers = int(rest[0])
            hyponyms = [rest[1 + 4 * i + 1] for i in range(pointers) if rest[1 + 4 * i] in ("~", "~i")]
            found[fields[0]] = (lemmas, hyponyms)
    return found


def _display(lemma: str) -> str:
    name = re.sub(r"\(.*?\)", "", lemma).replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def everyday(folder: Path) -> list[tuple[str, str, str]]:
    """(category, name, split) for the kinds under each root, up to three levels down, breadth first."""
    synsets = _synsets(folder)
    vocabulary = shipped()
    known = {squash(key(name)) for name, _, _ in vocabulary.names()}
    rows: dict[str, tuple[str, str]] = {}
    for root, category in ROOTS.items():
        level, taken = [root], 0
        for _ in range(3):
            below = [h for offset in level for h in synsets[offset][1]]
            for offset in below:
                name = _display(synsets[offset][0][0])
                words = name.split()
                squashed = squash(key(name))
                if (
                    taken >= PER_ROOT
                    or not 1 <= len(words) <= 3
                    or not all(w.replace("-", "").replace("'", "").isalpha() for w in words)
                    or len(squashed) < 3
                    or squashed in known
                    or squashed in {squash(key(n)) for n in rows}
                ):
                    continue
                rows[name] = (category, split_of(name))
                taken += 1
            level = below
    return sorted((category, name, split) for name, (category, split) in rows.items())


def tools(devicon: Path) -> list[tuple[str, str, str]]:
    """(name, other name, split): a tool and each of its other names, split by the tool's name."""
    rows = []
    for entry in json.loads(devicon.read_text("utf-8")):
        for other in entry.get("altnames") or ():
            if squash(key(other)) != squash(key(entry["name"])):
                rows.append((entry["name"], other, split_of(entry["name"])))
    return sorted(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--devicon", type=Path, required=True, help="devicon.json from `npm pack devicon`")
    args = parser.parse_args()
    with (OUT / "everyday_topics.tsv").open("w", encoding="utf-8") as out:
        out.write("# category\tname\tsplit — kinds from WordNet 3.0 (see bench/data/licenses/WORDNET)\n")
        out.writelines(f"{c}\t{n}\t{s}\n" for c, n, s in everyday(args.wordnet))
    with (OUT / "tools.tsv").open("w", encoding="utf-8") as out:
        out.write("# name\tother name\tsplit — devicon's names and altnames (see bench/data/licenses/DEVICON)\n")
        out.writelines(f"{n}\t{o}\t{s}\n" for n, o, s in tools(args.devicon))


if __name__ == "__main__":
    main()
