from datetime import UTC, datetime

import pytest

from bot import matcher
from bot.matcher import Candidate, TopicHit, TopicIndex, load_shipped_aliases, normalise, rank_experts

ALIASES = load_shipped_aliases()
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K8s", "kubernetes"),
        ("Kubernetes!!", "kubernetes"),
        ("  Machine-Learning ", "machine learning"),
        ("ML", "machine learning"),
        ("data pipelines", "data pipeline"),
        ("libraries", "library"),
        ("analytics", "analytics"),
        ("node.js", "node.js"),
        ("C++", "c++"),
        ("Ｐｙｔｈｏｎ", "python"),  # NFKC folds full-width letters
        ("Größenordnung", "grössenordnung"),
        ("日本語", "日本語"),
        (":tada:", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text, ALIASES) == expected


def test_index_finds_exact_typo_and_word_order() -> None:
    index = TopicIndex()
    index.load("T1", [(1, "kubernetes"), (2, "machine learning"), (3, "java"), (4, "javascript")])
    assert index.search("T1", "kubernetes")[0] == TopicHit(1, "kubernetes", 100.0)
    assert index.search("T1", "kubernets")[0].topic_id == 1
    assert index.search("T1", "learning machine")[0].topic_id == 2
    assert [hit.topic_id for hit in index.search("T1", "java")] == [3]  # never javascript for java
    assert index.search("T1", "gardening") == []
    assert index.search("T2", "kubernetes") == []  # another workspace sees nothing


def test_index_add_is_visible_to_the_next_search() -> None:
    index = TopicIndex()
    index.load("T1", [])
    index.add("T1", 7, "rust")
    assert index.search("T1", "rust") == [TopicHit(7, "rust", 100.0)]


@pytest.mark.parametrize("merge_at", [8, 1024])
def test_remembered_searches_see_topics_added_since(merge_at: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Searches are remembered and new topics wait in a short list until merged into the sorted ones; either
    # way a topic added afterwards must show up exactly as in a freshly built index.
    monkeypatch.setattr(matcher, "MERGE_AT", merge_at)
    names = ["python", "pandas", "kubernetes", "react", "postgres", "rust", "go", "data science"]
    queries = ["pyhton", "python", "kubernets", "postgre", "reactjs", "data sciense", "rustt", "golang", "pandsa"]
    index = TopicIndex()
    index.load("T1", list(enumerate(names)))
    for query in queries:
        index.search("T1", query)
    added = ["pythons", "python 3", "kubernetes operator", "postgres", "postgresql", "react native", "data scienc"]
    for topic_id, name in enumerate([*added, *(f"filler {i}" for i in range(70))], start=100):
        index.add("T1", topic_id, name)
        fresh = TopicIndex()
        fresh.load("T1", [(i, n) for n, i in index._teams["T1"].ids.items()])
        for query in queries:
            assert index.search("T1", query) == fresh.search("T1", query), (name, query)


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


def test_index_is_safe_to_extend_while_searching() -> None:
    index = TopicIndex()
    index.load("T1", [(i, f"topic {i}") for i in range(1000)])
    for i in range(1000, 1100):
        index.add("T1", i, f"topic {i}")
        assert index.search("T1", f"topic {i}")[0].topic_id == i
    assert index.search("T1", "topic 5")[0].topic_id == 5


def test_shipped_aliases_are_many_and_sourced() -> None:
    import json
    from importlib import resources

    raw = json.loads(resources.files("bot").joinpath("data/aliases.json").read_text("utf-8"))
    assert len(raw["aliases"]) >= 150
    assert "stackoverflow.com/tags/synonyms" in raw["_source"]
    aliases = load_shipped_aliases()
    assert normalise("nn", aliases) == normalise("Neural Networks", aliases) == "neural network"
    assert normalise("golang", aliases) == "go"
