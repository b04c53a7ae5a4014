"""The console trial takes a plain sentence as a direct message to peerlearn, `@peerlearn …` as a mention in
#general, and `/find m1` / `/shortcut` as the shortcuts (issue 21's done-when, typed as a person would)."""

from bot.trial.console import Console
from tests.bot.trial.test_console import button, console, typed

__all__ = ["console"]  # the trial fixture, shared with test_console.py


def test_a_sentence_is_a_direct_message_that_finds_the_teacher(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "I'd like to learn kubernetes")
    assert "✉ to @You:" in screen and "Colleagues who can teach you Kubernetes" in screen
    assert "@Priya · Kubernetes · expert" in screen
    ask = button(screen, "Ask")
    assert "Accept" in typed(console, capsys, monkeypatch, ask)  # the DM's Ask button asks, as /learn's does


def test_words_without_a_verb_are_asked_about_and_a_button_answers(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "terraform")
    teach = button(screen, "I can teach it")
    assert "You teach Terraform" in typed(console, capsys, monkeypatch, teach)
    assert "Type `help`" not in typed(console, capsys, monkeypatch, "who knows helm?")  # a question, not /who


def test_a_mention_is_answered_to_the_asker_only(console: Console, capsys, monkeypatch) -> None:
    screen = typed(console, capsys, monkeypatch, "@peerlearn who knows terraform?")
    assert "only @You sees, in #general" in screen and "@Priya" in screen
    assert "Mention me with a topic" in typed(console, capsys, monkeypatch, "@peerlearn")


def test_the_shortcuts_open_their_form_at_the_prompt(console: Console, capsys, monkeypatch) -> None:
    typed(console, capsys, monkeypatch, "/say we should move billing to k8s")
    screen = typed(console, capsys, monkeypatch, "/find m1", "  ", "  ")
    assert "Topic [Kubernetes]" in screen and "Colleagues who can teach you Kubernetes" in screen
    screen = typed(console, capsys, monkeypatch, "/shortcut", "  2", "  sashiko stitching")
    assert "You teach sashiko stitching" in screen
    assert "Type what you would type in Slack" in typed(console, capsys, monkeypatch, "help")  # still the console's


def test_peerlearns_own_guide_is_reachable_beside_the_consoles_help(console: Console, capsys, monkeypatch) -> None:
    assert "help me" in typed(console, capsys, monkeypatch, "help")  # the console's list says how
    for text in ("help me", "how does this work?"):
        screen = typed(console, capsys, monkeypatch, text)
        assert "✉ to @You:" in screen and "Tell me in your own words" in screen, text
        assert "Type what you would type in Slack" not in screen
