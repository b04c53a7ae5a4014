"""Pure matching, no I/O and no Slack: which topic an ask names, and which experts to show for it.

- text: how words are cut and folded into keys;
- phrasing: the asking words around a topic ("intro to", "for beginners");
- vocabulary: the shipped topics and their other names (bot/data/vocabulary.json);
- forms: searching names by key, typo, prefix, initials and contained words;
- evidence: what the words of an ask prove (exact names, typos, prefixes, initials…);
- resolve: the decision (confident, "did you mean", nothing close);
- topics: the vocabulary beside each workspace's own topics;
- rank: ordering the experts of the matched topics.
"""

from bot.matcher.rank import DEFAULT_CAPACITY, Candidate, Ranked, TopicHit, rank_experts
from bot.matcher.resolve import CONFIDENT, PLAUSIBLE, Hit, Resolution
from bot.matcher.text import key
from bot.matcher.topics import TopicIndex

__all__ = [
    "CONFIDENT",
    "DEFAULT_CAPACITY",
    "PLAUSIBLE",
    "Candidate",
    "Hit",
    "Ranked",
    "Resolution",
    "TopicHit",
    "TopicIndex",
    "key",
    "rank_experts",
]
