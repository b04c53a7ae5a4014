"""What a direct message means before anything is saved, end to end through signed events on SQLite and
PostgreSQL: a refusal, a reply meant for a conversation, a question about no known topic, two asks in one
message, and a topic too long to be one. Each saves exactly what the person asked for, and nothing else."""

from bot import ids
from bot.deps import Deps
from store.models import Need, Offer
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_anywhere import buttons, count, dm, mention, shown


def test_a_negated_ask_saves_nothing_and_gets_a_friendly_word(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "java", user="UALICE")
    [learn] = dm(slack, "UBOB", "I don't want to learn java")
    [teach] = dm(slack, "UBOB", "I can't teach python")
    for sent in (learn, teach):
        assert "I won't save anything" in shown(sent) and not buttons(sent)
    assert "java" in shown(learn) and "python" in shown(teach)
    assert count(deps, Need) == 0 and count(deps, Offer) == 1  # Alice's only


def test_replies_meant_for_a_conversation_are_not_topics(slack: SlackDriver, deps: Deps) -> None:
    for text in ("yes", "15:00", "tomorrow at 3?", "no"):
        [hint] = dm(slack, "UBOB", text)
        assert "use its buttons" in shown(hint) and not buttons(hint), text
    [hint] = mention(slack, "UBOB", "yes")
    assert "Mention me with a topic" in shown(hint)
    assert count(deps, Need) == count(deps, Offer) == 0


def test_a_question_is_a_need_only_when_it_names_a_known_topic(slack: SlackDriver, deps: Deps) -> None:
    [asked] = dm(slack, "UBOB", "how do we deploy to production")
    assert set(buttons(asked)) == {ids.LEARN_IT, ids.TEACH_IT}  # asked which, not saved as a need
    [hint] = dm(slack, "UBOB", "who knows where the printer on the third floor has gone today?")
    assert "I didn't catch" in shown(hint) and not buttons(hint)
    assert count(deps, Need) == 0

    slack.command("/teach", "kubernetes", user="UALICE")
    [answer] = dm(slack, "UBOB", "how do I use kubernetes?")  # a known topic: the same answer as /learn
    assert "<@UALICE>" in shown(answer) and ids.ASK in buttons(answer)
    assert count(deps, Need) == 1

    [unknown] = dm(slack, "UCARA", "who knows sashiko?")  # said plainly as learning: a need, as /learn saves it
    assert count(deps, Need) == 2, shown(unknown)


def test_both_asks_of_one_message_are_answered(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes", user="UALICE")
    learned, taught = dm(slack, "UBOB", "I want to learn kubernetes and I can teach Excel")
    assert "<@UALICE>" in shown(learned)
    assert "You teach *Excel*" in shown(taught)
    assert count(deps, Need) == 1 and count(deps, Offer) == 2


def test_a_long_ask_is_refused_without_a_count_of_what_was_not_typed(slack: SlackDriver, deps: Deps) -> None:
    text = "I want to learn " + "how the quarterly revenue reconciliation between the billing ledger and " * 3
    text = text[:190]
    [refused] = dm(slack, "UBOB", text)
    assert "too long for a topic" in shown(refused)
    assert "characters" not in shown(refused)
    assert count(deps, Need) == 0
