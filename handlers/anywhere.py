"""Plain words to peerlearn, from a direct message, an @mention or a button on their answer: what they ask for is
read by bot/intent.py, then answered by the same services and replies as /learn and /teach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App

from bot import ids, intent
from bot.context import Ctx
from bot.grammar import MAX_ASK_CHARS, Invalid, Learn, Teach, learn_ask, teach_offer
from bot.intent import Kind
from bot.markup import plain
from bot.services import anywhere, learning, teaching
from bot.services.learning import NotATopic
from bot.services.teaching import NewTeacher
from bot.views import anywhere as views
from bot.views.learning import NOT_A_TOPIC as LEARN_NOT_A_TOPIC
from bot.views.learning import learn_reply
from bot.views.teaching import not_a_topic, teach_reply
from bot.wire import WordsValue
from handlers.decoding import decoded
from handlers.replies import tell_waiting_learners

# In a channel, where the answer is squeezed between colleagues' messages, anything but an ask gets one line.
_HINTED = (Kind.GREETING, Kind.HELP, Kind.THANKS, Kind.EMPTY)


@dataclass(frozen=True)
class Answer:
    """What to send back (a message's text and blocks), and the learners to tell that someone now teaches."""

    payload: dict[str, Any]
    notify: Sequence[NewTeacher] = ()
    refused: str | None = None  # why nothing was saved, for a form to show beside its field


def answer(ctx: Ctx, text: str, *, in_channel: bool = False) -> list[Answer]:
    """The answers to words written to peerlearn, one per ask they make ("I want to learn X and I can teach Y" is
    two); whatever they ask is saved as /learn or /teach saves it."""
    said = intent.read(text)
    answers = [answer_one(ctx, said, in_channel=in_channel)]
    # Further asks are answered when they are asks; a refusal among them ("…, but I can't teach it") is noted.
    answers += [answer_one(ctx, more) for more in said.also if more.kind is not Kind.REPLY]
    return answers


def answer_one(ctx: Ctx, said: intent.Intent, *, in_channel: bool = False) -> Answer:
    """The answer to one thing a message says."""
    if said.kind in (Kind.LEARN, Kind.TEACH) and not said.topic:
        return Answer(views.no_topic(said.kind))
    if said.kind is Kind.LEARN:
        return learn_words(ctx, said.topic)
    if said.kind is Kind.TEACH:
        return teach_words(ctx, said.topic)
    if said.kind is Kind.NEGATED:
        return Answer(views.negated(said.topic))
    if in_channel and said.kind in (*_HINTED, Kind.REPLY):
        return Answer(views.mention_hint())
    if said.kind is Kind.REPLY:
        return Answer(views.reply_hint())
    if said.kind in (Kind.UNCLEAR, Kind.QUESTION):
        with ctx.tx() as scope:
            known = said.kind is Kind.QUESTION and anywhere.known_topic(scope, words=said.topic)
            maybe = known or anywhere.names_a_topic(scope, words=said.topic)
        if known:  # "how do I use kubernetes": a question about a topic someone knows is /learn
            return learn_words(ctx, said.topic)
        return Answer(views.which_one(said.topic) if maybe else views.not_understood())
    if said.kind is Kind.FOREIGN:
        with ctx.tx() as scope:
            found = anywhere.topics_in(scope, text=said.topic, limit=1)
        return Answer(views.which_one(found[0], foreign=True) if found else views.refused(Kind.FOREIGN))
    if said.kind is Kind.THANKS:
        return Answer(views.thanks())
    if said.kind in _HINTED:
        return Answer(views.guide())
    return Answer(views.refused(said.kind))


def learn_words(ctx: Ctx, words: str) -> Answer:
    """`/learn words`, for words read from a message."""
    if len(plain(words).text) > MAX_ASK_CHARS:
        # The grammar would count the words left after "I want to learn": not what the person typed.
        return Answer(views.topic_too_long(), refused=views.TOPIC_TOO_LONG)
    parsed = learn_ask(words)
    if isinstance(parsed, Invalid):
        return Answer(views.invalid(parsed.reason), refused=parsed.reason)
    return learn(ctx, parsed)


def teach_words(ctx: Ctx, words: str) -> Answer:
    """`/teach words`, for words read from a message (a list said in words is several topics)."""
    with ctx.tx() as scope:
        text = anywhere.teach_text(scope, words=words)
    parsed = teach_offer(text)
    if isinstance(parsed, Invalid):
        return Answer(views.invalid(parsed.reason), refused=parsed.reason)
    return teach(ctx, parsed)


def learn(ctx: Ctx, command: Learn) -> Answer:
    """The need saved under its topic, and the colleagues who teach it: /learn's reply."""
    with ctx.tx() as scope:
        result = learning.declare_need(scope, text=command.topic)
    reply = views.as_message(learn_reply(result, ctx.settings.kudos_emoji[0]))
    return Answer(reply, refused=LEARN_NOT_A_TOPIC if isinstance(result, NotATopic) else None)


def teach(ctx: Ctx, command: Teach) -> Answer:
    """The topics saved, and who is waiting for them: /teach's reply."""
    with ctx.tx() as scope:
        result = teaching.offer_topics(scope, command=command)
    reply = views.as_message(teach_reply(result))
    if isinstance(result, NotATopic):
        return Answer(reply, refused=not_a_topic(result))
    return Answer(reply, result.notify)


def follow_up(ctx: Ctx, sent: Answer) -> None:
    """After an answer, as after /learn and /teach: who the person is (cached), and who was waiting."""
    ctx.refresh_me()
    if sent.notify:
        ctx.background.submit(tell_waiting_learners, ctx, sent.notify)


def _on_which(value: WordsValue, ctx: Ctx, *, teach_it: bool) -> None:
    """ "I want to learn it" / "I can teach it": the words are answered as that, in place of the question."""
    words = value.words
    chosen = teach_words(ctx, words) if teach_it else learn_words(ctx, words)
    ctx.background.submit(ctx.reply, replace_original=True, **chosen.payload)
    follow_up(ctx, chosen)


def on_learn_it(ack: Ack, value: WordsValue, ctx: Ctx) -> None:
    ack()
    _on_which(value, ctx, teach_it=False)


def on_teach_it(ack: Ack, value: WordsValue, ctx: Ctx) -> None:
    ack()
    _on_which(value, ctx, teach_it=True)


def register(app: App) -> None:
    app.action(ids.LEARN_IT, middleware=[decoded(WordsValue)])(on_learn_it)
    app.action(ids.TEACH_IT, middleware=[decoded(WordsValue)])(on_teach_it)
