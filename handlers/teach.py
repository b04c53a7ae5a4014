"""/teach: offer expertise and see who is waiting for it; answer "did you mean…?"."""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.grammar import TEACH_USAGE, Help, Invalid, NearCommand, Teach, TeachPause, TeachRemove, parse_teach
from bot.services import teaching
from bot.services.learning import NotATopic
from bot.services.teaching import NewTeacher
from bot.views import teaching as views
from bot.views.common import STALE, refused
from bot.wire import TeachPickValue
from handlers.decoding import decoded
from handlers.replies import tell_waiting_learners


def on_teach(ack: Ack, command: dict[str, str], ctx: Ctx) -> None:
    """/teach TOPIC, TOPIC… — offer topics; /teach alone lists yours."""
    parsed = parse_teach(command.get("text", ""))
    if isinstance(parsed, Invalid | NearCommand):
        ack(**refused(parsed, TEACH_USAGE))
        return
    notify: Sequence[NewTeacher] = ()
    back: Sequence[NewTeacher] = ()
    with ctx.tx() as scope:
        match parsed:
            case Help():
                reply = views.topics_list(teaching.my_topics(scope))
            case Teach():
                result = teaching.offer_topics(scope, command=parsed)
                reply = views.teach_reply(result)
                notify = () if isinstance(result, NotATopic) else result.notify
            case TeachRemove(topics=topics):
                reply = views.topics_removed(teaching.remove_topics(scope, topics=topics))
            case TeachPause(paused=paused):
                pause = teaching.set_paused(scope, paused=paused)
                reply = views.pause_reply(paused, pause.changed)
                back = pause.notify
    ack(**reply)
    ctx.refresh_me()
    if notify:
        ctx.background.submit(tell_waiting_learners, ctx, notify)
    if back:
        ctx.background.submit(tell_waiting_learners, ctx, back, back=True)


def on_pick(ack: Ack, value: TeachPickValue, ctx: Ctx) -> None:
    """A topic picked from "did you mean…?" after /teach: the offer is saved under it."""
    ack()
    command = Teach((value.asked,), value.level, value.note)
    with ctx.tx() as scope:
        result = teaching.offer_topics(scope, command=command, choice=value.topic)
    ctx.reply(replace_original=True, **views.teach_reply(result))
    if not isinstance(result, NotATopic) and result.notify:
        ctx.background.submit(tell_waiting_learners, ctx, result.notify)


def register(app: App) -> None:
    app.command(ids.TEACH)(on_teach)
    app.action(ids.any_numbered(ids.TEACH_PICK), middleware=[decoded(TeachPickValue, STALE)])(on_pick)
