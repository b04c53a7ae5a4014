"""Every wire format round-trips, reads the shapes buttons already posted in Slack carry, refuses garbage, and reads
every button and modal of the golden views: a view and its listener cannot disagree."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot import ids
from bot.domain import Level
from bot.wire import (
    BUTTONS,
    METADATA_LIMIT,
    MODALS,
    VALUE_LIMIT,
    AskValue,
    Codec,
    ConfirmValue,
    InviteValue,
    KudosDmValue,
    MatchValue,
    NeedValue,
    OptOutValue,
    PauseValue,
    PickMetadata,
    PickValue,
    SessionValue,
    SlotValue,
    TeachPickValue,
    TopicValue,
    Verb,
    WordsValue,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

VALUES: list[Codec] = [
    MatchValue(7),
    NeedValue(12),
    SessionValue(3),
    InviteValue(4),
    SlotValue(5),
    AskValue(9, "UALICE"),
    ConfirmValue(7, NOON),
    PickValue("kubernetes", "k8s basics", alias=True),
    PickValue("", "sashiko stitching"),
    TeachPickValue("helm", "helm charts", True, Level.EXPERT, "ask me anything"),
    TeachPickValue("helm", "helm charts"),
    WordsValue("rust async"),
    TopicValue("Kubernetes"),
    PauseValue(True),
    PauseValue(False),
    OptOutValue(True),
    KudosDmValue(False),
    Verb("edit"),
    PickMetadata(7, (NOON, NOON.replace(hour=15))),
    PickMetadata(7),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_codec_round_trips_within_slacks_limit(value: Codec) -> None:
    assert type(value).parse(value.value) == value
    assert len(value.value) <= (METADATA_LIMIT if isinstance(value, PickMetadata) else VALUE_LIMIT)


@pytest.mark.parametrize(
    ("codec", "posted", "read"),
    [
        (AskValue, "9:UALICE", AskValue(9, "UALICE")),
        (ConfirmValue, f"7:{int(NOON.timestamp())}", ConfirmValue(7, NOON)),
        (PickValue, '{"t": "kubernetes", "q": "k8s", "a": 1}', PickValue("kubernetes", "k8s", True)),
        (PickValue, '{"t": "", "q": "sashiko"}', PickValue("", "sashiko")),
        (TeachPickValue, '{"t": "helm", "q": "helm", "a": 1, "l": "", "n": ""}', TeachPickValue("helm", "helm", True)),
        (
            TeachPickValue,
            '{"t": "go", "q": "golang", "l": "expert", "n": "hi"}',
            TeachPickValue("go", "golang", False, Level.EXPERT, "hi"),
        ),
        (TeachPickValue, '{"t": "go", "q": "golang"}', TeachPickValue("go", "golang")),  # before levels rode along
        (PickMetadata, "42", PickMetadata(42)),
        (PickMetadata, f"42|{int(NOON.timestamp())},x,", PickMetadata(42, (NOON,))),
        (PauseValue, "pause", PauseValue(True)),
        (PauseValue, "resume", PauseValue(False)),
        (OptOutValue, "out", OptOutValue(True)),
        (OptOutValue, "in", OptOutValue(False)),
        (KudosDmValue, "on", KudosDmValue(True)),
        (KudosDmValue, "off", KudosDmValue(False)),
    ],
)
def test_the_shapes_already_posted_in_slack_still_read(codec: type[Codec], posted: str, read: Codec) -> None:
    assert codec.parse(posted) == read


@pytest.mark.parametrize(
    ("codec", "garbled"),
    [
        (MatchValue, ""),
        (MatchValue, "abc"),
        (MatchValue, "²"),  # a digit to str.isdigit, not to int()
        (MatchValue, "-1"),
        (MatchValue, "9" * 40),  # beyond any row id
        (AskValue, "UALICE"),
        (AskValue, "x:UALICE"),
        (AskValue, "9:"),
        (ConfirmValue, "7"),
        (ConfirmValue, f"7:{'9' * 18}"),  # no such year
        (PickValue, "not json"),
        (PickValue, json.dumps({"t": 3, "q": "x"})),
        (PickValue, json.dumps(["t", "q"])),
        (TeachPickValue, json.dumps({"q": "x"})),
        (WordsValue, "   "),
        (TopicValue, ""),
        (PauseValue, "maybe"),
        (OptOutValue, ""),
        (KudosDmValue, "yes"),
        (Verb, ""),
        (PickMetadata, "garbage|x,,-1"),
        (PickMetadata, ""),
    ],
)
def test_a_garbled_value_reads_as_nothing(codec: type[Codec], garbled: str) -> None:
    assert codec.parse(garbled) is None


def test_a_long_teach_pick_is_clipped_to_fit() -> None:
    value = TeachPickValue("t" * 100, "q" * 1000, True, Level.BEGINNER, "n" * 5000).value
    assert len(value) <= VALUE_LIMIT
    assert TeachPickValue.parse(value) == TeachPickValue("t" * 100, "q" * 150, True, Level.BEGINNER, "n" * 300)


def _elements(node: Any) -> list[dict[str, Any]]:
    """Every button in a golden view, however deep."""
    if isinstance(node, list):
        return [found for item in node for found in _elements(item)]
    if not isinstance(node, dict):
        return []
    here = [node] if node.get("type") == "button" and "value" in node else []
    return here + [found for value in node.values() for found in _elements(value)]


GOLDEN_VIEWS = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", GOLDEN_VIEWS, ids=[p.stem for p in GOLDEN_VIEWS])
def test_every_button_and_modal_of_the_golden_views_reads_back_unchanged(path: Path) -> None:
    view = json.loads(path.read_text("utf-8"))
    for button in _elements(view):
        codec = BUTTONS[ids.kind(button["action_id"])]
        parsed = codec.parse(button["value"])
        assert parsed is not None and parsed.value == button["value"], button
    if "callback_id" in view and view["callback_id"] in MODALS:
        metadata = view.get("private_metadata", "")
        parsed = MODALS[view["callback_id"]].parse(metadata)
        assert parsed is not None and parsed.value == metadata


def test_the_golden_views_carry_buttons_of_many_kinds() -> None:
    """A guard for the test above: it sees buttons, and modal metadata."""
    kinds = {ids.kind(b["action_id"]) for p in GOLDEN_VIEWS for b in _elements(json.loads(p.read_text("utf-8")))}
    assert {ids.ASK, ids.ACCEPT, ids.LEARN_PICK, ids.TEACH_PICK, ids.LEARN_IT, ids.HOME_PAUSE} <= kinds
    assert any(json.loads(p.read_text("utf-8")).get("callback_id") == ids.PROPOSE_MODAL for p in GOLDEN_VIEWS)
