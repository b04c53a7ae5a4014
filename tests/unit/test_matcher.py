from datetime import UTC, datetime

import pytest

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
