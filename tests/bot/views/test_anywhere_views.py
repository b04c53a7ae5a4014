"""The answers to plain words and the shortcuts' modal: golden JSON, and valid Block Kit as Slack checks it."""

from typing import Any

import pytest

from bot import ids
from bot.intent import Kind
from bot.trial import blockkit
from bot.views import anywhere
from tests.bot.views.test_views import check


def test_the_guide() -> None:
    check("anywhere_guide", anywhere.guide())


def test_which_one_asks_with_two_buttons() -> None:
    payload = anywhere.which_one("kubernetes <networking>")
    check("anywhere_which_one", payload)
    buttons = payload["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == [ids.LEARN_IT, ids.TEACH_IT]
    assert {b["value"] for b in buttons} == {"kubernetes <networking>"}  # the words, not an escaped copy


def test_the_modal_from_a_message_and_from_the_menu() -> None:
    found = anywhere.learn_or_teach_modal("Kubernetes, Helm", "We should move billing to *k8s* and helm").to_dict()
    check("anywhere_modal_found", found)
    check("anywhere_modal_empty", anywhere.learn_or_teach_modal().to_dict())
    assert not blockkit.view_errors(found)


@pytest.mark.parametrize(
    "payload",
    [
        anywhere.guide(),
        anywhere.mention_hint(),
        anywhere.thanks(),
        anywhere.not_understood(),
        anywhere.no_topic(Kind.LEARN),
        anywhere.no_topic(Kind.TEACH),
        anywhere.invalid("That is 151 characters; say it in 150 or fewer."),
        anywhere.which_one("x" * 400, foreign=True),
        *[anywhere.refused(kind) for kind in Kind],
    ],
)
def test_every_answer_is_a_message_slack_takes(payload: dict[str, Any]) -> None:
    assert payload["text"] and not blockkit.message_errors(payload)
    assert "response_type" not in payload  # a message in a conversation, not a command's reply
