"""In the console, a message or view Slack would refuse is shown as Slack's error, never as if it was delivered."""

from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from bot.config import load_settings
from bot.trial.console import Console

BROKEN = [
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "pick", "text": {"type": "plain_text", "text": "A"}, "value": "a"},
            {"type": "button", "action_id": "pick", "text": {"type": "plain_text", "text": "B"}, "value": "b"},
        ],
    }
]


@pytest.fixture
def console(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    trial = Console(load_settings(), database_url=database_url)
    yield trial
    trial.close()


def test_a_refused_message_reads_as_slacks_error(console: Console) -> None:
    with pytest.raises(SlackApiError):  # the app's own client, as a listener or a job would send it
        console.app.client.chat_postMessage(channel=console.me, text="Pick one", blocks=BROKEN)
    shown = console.screen.describe(console.fake.calls[-1], console.me)
    assert shown == (
        "⚠ Slack refused this chat.postMessage (invalid_blocks): "
        "duplicate action_id 'pick' [json-pointer:/blocks/0/elements/1/action_id]"
    )
    assert len(console.fake.take_violations()) == 1


def test_a_refused_modal_reads_as_slacks_error(console: Console) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Pick"}, "blocks": BROKEN}
    with pytest.raises(SlackApiError):
        console.app.client.views_open(trigger_id="trigger.console.1", view=view)
    shown = console.screen.describe(console.fake.calls[-1], console.me)
    assert shown is not None and shown.startswith("⚠ Slack refused this views.open (invalid_arguments): [ERROR]")
    assert "duplicate action_id 'pick'" in shown
    assert len(console.fake.take_violations()) == 1
