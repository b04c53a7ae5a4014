"""The /learn replies are built as plain dicts (bot/views/common.py): they must be exactly what slack_sdk's models
serialise to, and pass the models' validation, however long the words people typed."""

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.domain import Level
from bot.services.experts import Choice, ExpertCard
from bot.services.learning import DidYouMean, LearnResult, NotATopic
from bot.views import learning
from bot.views.common import button, button_json, context, context_json, section, section_json

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LONG = "kubernetes " * 400  # far past every Block Kit limit


def card(note: str = "happy to pair", name: str = "Alice") -> ExpertCard:
    return ExpertCard("UALICE", name, "Kubernetes", Level.EXPERT, note, "Europe/Berlin", 4)


REPLIES: dict[str, LearnResult | DidYouMean | NotATopic] = {
    "experts": LearnResult(3, "Kubernetes", True, [card(), card(name="Bob")], NOW, "intro to k8s"),
    "long words": LearnResult(3, LONG, False, [card(note=LONG)], NOW, LONG, [Choice("x", LONG, 1)]),
    "nobody, related": LearnResult(3, "Helm", True, [], NOW, related=[Choice("kubernetes", LONG, 2)]),
    "did you mean": DidYouMean(LONG, [Choice("terraform", "Terraform", 2), Choice("hcl", LONG, 0)], LONG),
    "not a topic": NotATopic("intro to"),
}


@pytest.mark.parametrize("name", REPLIES)
def test_learn_replies_are_valid_block_kit_as_slack_sdk_serialises_it(name: str) -> None:
    payload = learning.learn_reply(REPLIES[name])
    for block in payload["blocks"]:
        model = Block.parse(block)
        assert model is not None
        assert model.to_dict() == block  # validates: raises on anything past a limit
        assert list(block) == sorted(block)  # keys in the models' order, so the JSON is byte for byte the same


def test_the_dict_builders_match_the_models() -> None:
    pairs: list[tuple[Any, dict[str, Any]]] = [
        (section("*hi*"), section_json("*hi*")),
        (section(LONG), section_json(LONG)),
        (
            section("x", button("Ask", "ask_expert", "3:U1", primary=True)),
            section_json("x", button_json("Ask", "ask_expert", "3:U1", primary=True)),
        ),
        (button("No", "pick", "{}"), button_json("No", "pick", "{}")),
        (context(LONG), context_json(LONG)),
    ]
    for model, built in pairs:
        assert model.to_dict() == built
