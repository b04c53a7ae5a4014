"""The matcher as a plain function: which topic an ask names, how sure it is, and how experts are ranked.

These are regression examples, not the measure: bench/matcher.py measures on asks the matcher has not seen.
"""

from datetime import UTC, datetime
from importlib import resources

import pytest

from bot.matcher import CONFIDENT, Candidate, Resolution, TopicHit, TopicIndex, key, rank_experts
from bot.matcher.text import words
from bot.matcher.vocabulary import shipped, shipped_data

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TAUGHT = ["Kubernetes", "Python", "Docker", "Terraform", "Excel", "JavaScript", "Dockerfile", "Data analysis", "QMake"]


@pytest.fixture(scope="module")
def index() -> TopicIndex:
    topics = TopicIndex()
    topics.load("T1", [(i, key(name), name) for i, name in enumerate([*TAUGHT, "Quake"])])
    return topics


def best(index: TopicIndex, text: str, team: str = "T1") -> str | None:
    found = index.resolve(team, text).best
    return index.label(team, found.topic) if found else None


def taught(index: TopicIndex, text: str, team: str = "T1") -> str | None:
    """As /learn picks: the first named topic someone here teaches ("excel pivot tables" names two)."""
    here = [hit for hit in index.resolve(team, text).confident if index.topic_id(team, hit.topic) is not None]
    return index.label(team, here[0].topic) if here else None


@pytest.mark.parametrize(
    ("ask", "topic"),
    [
        ("intro to kubernetes", "Kubernetes"),
        ("kubernetes basics", "Kubernetes"),
        ("learn python", "Python"),
        ("python programming", "Python"),
        ("how to use docker", "Docker"),
        ("terraform for beginners", "Terraform"),
        ("excel pivot tables", "Excel"),
        ("pyhton", "Python"),
        ("Dockefile", "Dockerfile"),  # a typo of an alias's own topic, never Docker
        ("dockerfile", "Dockerfile"),
        ("k8s", "Kubernetes"),
        ("kube", "Kubernetes"),
        ("Kubernets", "Kubernetes"),
        ("kuberentes 101", "Kubernetes"),
        ("js", "JavaScript"),
        ("getting started with terraform, please!", "Terraform"),
        ("can someone mentor me in python", "Python"),
        ("terrafrom", "Terraform"),
    ],
)
def test_asks_find_their_topic_however_they_are_worded(index: TopicIndex, ask: str, topic: str) -> None:
    assert taught(index, ask) == topic


@pytest.mark.parametrize(
    ("ask", "name"),
    [("c sharp", "C#"), ("csharp", "C#"), ("cpp", "C++"), ("golang", "Go"), ("node js", "Node.js"), ("ML", None)],
)
def test_every_topic_has_one_display_name(index: TopicIndex, ask: str, name: str | None) -> None:
    found = index.resolve("T1", ask)
    labels = [index.label("T1", hit.topic) for hit in (*found.confident, *found.plausible)]
    assert (labels[0] if name else labels) == (name or labels)


def test_java_is_never_javascript_and_nobody_is_never_a_random_topic(index: TopicIndex) -> None:
    assert best(index, "java") == "Java"  # the vocabulary knows it; nobody here teaches it
    assert index.topic_id("T1", key("Java")) is None
    nothing = index.resolve("T1", "give a clean presentation")
    assert (nothing.confident, nothing.plausible) == ((), ())
    assert nothing.core == "give a clean presentation"


def test_an_ask_naming_two_topics_names_both_best_first(index: TopicIndex) -> None:
    found = index.resolve("T1", "python for data analysis")
    assert {index.label("T1", hit.topic) for hit in found.confident} == {"Python", "Data analysis"}
    assert all(hit.score >= CONFIDENT for hit in found.confident)


def test_equally_close_topics_are_asked_about(index: TopicIndex) -> None:
    found = index.resolve("T1", "qake")  # QMake or Quake, each with a letter left out
    assert found.confident == ()
    assert {index.label("T1", hit.topic) for hit in found.plausible} >= {"QMake", "Quake"}


@pytest.mark.parametrize("ask", ["basics", "intro to", "for beginners", "learn"])
def test_only_the_way_of_asking_is_no_topic(index: TopicIndex, ask: str) -> None:
    found = index.resolve("T1", ask)
    assert (found.confident, found.plausible, found.core, found.only_asking) == ((), (), "", True)


def test_a_topic_named_like_an_asking_word_is_found_alone(index: TopicIndex) -> None:
    assert best(index, "vs code") == "VS Code"
    assert best(index, "just") == "Just"


def test_workspaces_see_only_their_own_topics(index: TopicIndex) -> None:
    index.load("T2", [(99, "our billing api", "Our billing API")])
    assert best(index, "billing api", team="T2") == "Our billing API"
    assert best(index, "billing api") is None
    assert index.topic_id("T2", key("Python")) is None


def test_topics_and_aliases_added_later_are_found(index: TopicIndex) -> None:
    index.load("T3", [])
    index.add_topic("T3", 7, "rust", "Rust")
    index.add_alias("T3", "crab lang", "rust")
    assert best(index, "rust", team="T3") == "Rust"
    assert best(index, "crab lang", team="T3") == "Rust"
    assert index.topic_id("T3", "rust") == 7


def test_a_resolution_keeps_the_persons_words_and_their_topic_words() -> None:
    index = TopicIndex()
    index.load("T1", [])
    found: Resolution = index.resolve("T1", "A gentle intro to our Billing API, pls")
    assert found.text == "A gentle intro to our Billing API, pls"
    assert found.core == "gentle intro to our Billing API" or found.core == "Billing API"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kubernetes!!", ["kubernetes"]),
        ("  Machine-Learning ", ["machine", "learning"]),
        ("node.js, C++ & c#", ["node.js", "c++", "&", "c#"]),
        ("Ｐｙｔｈｏｎ", ["python"]),  # NFKC folds full-width letters
        ("日本語", ["日本語"]),
        (":tada: ?!", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_the_vocabulary_is_real_sourced_and_licensed() -> None:
    data = shipped_data()
    vocabulary = shipped()
    assert len(vocabulary.concepts) >= 1500 and len(vocabulary.forms) >= 2000
    sources = set(data["sources"])
    assert {"linguist", "pygments", "curated", "scowl"} <= sources
    for source in data["sources"].values():
        assert source["licence"]
        path = resources.files("bot").joinpath("data").joinpath(source["licence_file"])
        assert source["licence_file"].startswith("../") or path.is_file()
    for topic in data["topics"]:
        assert set(topic["from"]) <= sources
        for tags in topic.get("forms", {}).values():
            assert {tag.split(":")[0] for tag in tags} <= sources | {"merged"}
    python = vocabulary.concepts[key("Python")]
    forms = {form for form, concept, _ in vocabulary.forms if concept == python.key}
    assert {"py", "python3"} <= forms and not {"sage", "bazel"} & forms  # Pygments' wrong ones are denied
    assert key("Docker") not in {concept for form, concept, _ in vocabulary.forms if form.lower() == "dockerfile"}


def _candidate(member: int, **kwargs: object) -> Candidate:
    values: dict = {"member_id": member, "topic_id": 1, "tz": "UTC", "open_matches": 0, "kudos": 0}
    values.update(kwargs)
    return Candidate(**values)


def test_ranking_is_fair_available_and_deterministic() -> None:
    hits = [TopicHit(1, "kubernetes", 100.0), TopicHit(2, "kubernetes operators", 88.0)]
    candidates = [
        _candidate(1, open_matches=2),
        _candidate(2),
        _candidate(3, tz="Asia/Tokyo"),
        _candidate(4, topic_id=2),
        _candidate(5, open_matches=3),  # at capacity
        _candidate(6, away=True),
        _candidate(9),  # the asker
        _candidate(7, kudos=5),
    ]
    ranked = rank_experts(hits, candidates, asker_id=9, asker_tz="Europe/London", now=NOW)
    assert [r.candidate.member_id for r in ranked] == [7, 2, 3]
    again = rank_experts(hits, list(reversed(candidates)), asker_id=9, asker_tz="Europe/London", now=NOW)
    assert ranked == again


def test_fairness_prefers_new_pairs_and_less_recently_asked_experts() -> None:
    hits = [TopicHit(1, "sql", 100.0)]
    candidates = [
        _candidate(1, matched_before=True),
        _candidate(2, recent_matches=4),
        _candidate(3, recent_matches=1),
        _candidate(4, kudos=50, open_matches=1),
    ]
    ranked = rank_experts(hits, candidates, asker_id=9, asker_tz="UTC", now=NOW, limit=4)
    assert [r.candidate.member_id for r in ranked] == [3, 2, 1, 4]


def test_endorsements_for_the_topic_come_after_fairness_and_before_timezone_and_kudos() -> None:
    hits = [TopicHit(1, "sql", 100.0)]
    candidates = [
        _candidate(1, kudos=40, tz="Europe/London"),  # many thank-yous, for anything, and in the asker's zone
        _candidate(2, endorsements=2, tz="Asia/Tokyo"),  # thanked twice for SQL itself
        _candidate(3, endorsements=9, open_matches=1),  # the most endorsed, but busier: fairness first
    ]
    ranked = rank_experts(hits, candidates, asker_id=9, asker_tz="Europe/London", now=NOW)
    assert [r.candidate.member_id for r in ranked] == [2, 1, 3]


def test_a_typo_score_does_not_outrank_fairness_within_a_band() -> None:
    hits = [TopicHit(1, "kubernetes", 100.0), TopicHit(2, "kubernete", 96.0)]
    busy = _candidate(1, recent_matches=5)
    idle = _candidate(2, topic_id=2)
    ranked = rank_experts(hits, [busy, idle], asker_id=9, asker_tz="UTC", now=NOW)
    assert [r.candidate.member_id for r in ranked] == [2, 1]


def test_capacity_limit_is_respected_and_configurable() -> None:
    hits = [TopicHit(1, "sql", 100.0)]
    candidates = [_candidate(1, open_matches=3), _candidate(2, open_matches=2)]
    assert [r.candidate.member_id for r in rank_experts(hits, candidates, asker_id=9, asker_tz=None, now=NOW)] == [2]
    assert rank_experts(hits, candidates, asker_id=9, asker_tz=None, now=NOW, capacity=2) == []
