"""Shortcuts: "Find a colleague who knows this" on any message, and "Learn or teach something" from the shortcuts
menu. Both open one modal; its answer comes as a DM with the same blocks and buttons as /learn and /teach."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.forms import read_learn_or_teach
from bot.grammar import Teach
from bot.services import anywhere
from bot.views import anywhere as views
from handlers.anywhere import follow_up, learn, teach


def on_find_colleague(ack: Ack, shortcut: dict[str, Any], ctx: Ctx) -> None:
    """The message shortcut: the modal, with the topics the matcher finds in the message to pick from or edit."""
    ack()
    text = str((shortcut.get("message") or {}).get("text") or "")
    ctx.background.submit(open_found, ctx, shortcut["trigger_id"], text)


def open_found(ctx: Ctx, trigger_id: str, text: str) -> None:
    with ctx.tx() as scope:
        found = anywhere.topics_in(scope, text=text)
    ctx.outbox.open_view(trigger_id, views.learn_or_teach_modal(", ".join(found), text))


def on_learn_or_teach(ack: Ack, shortcut: dict[str, Any], ctx: Ctx) -> None:
    """The global shortcut: the same modal, empty."""
    ack()
    ctx.background.submit(ctx.outbox.open_view, shortcut["trigger_id"], views.learn_or_teach_modal())


def on_submit(ack: Ack, view: dict[str, Any], ctx: Ctx) -> None:
    """Saved as /learn or /teach saves it; the form stays open with what to fix when nothing could be saved."""
    parsed = read_learn_or_teach(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    # Each topic picked to learn is a need of its own, declared as /learn declares it.
    answers = [teach(ctx, parsed)] if isinstance(parsed, Teach) else [learn(ctx, ask) for ask in parsed]
    if all(sent.refused for sent in answers):
        ack(response_action="errors", errors={ids.Field.TOPIC: answers[0].refused or ""})
        return
    ack()
    ctx.background.submit(post_in_order, ctx, [sent.payload for sent in answers])
    for sent in answers:
        follow_up(ctx, sent)


def post_in_order(ctx: Ctx, payloads: list[dict[str, Any]]) -> None:
    # One task for all: two background posts race, and the answers would reach the person in either order.
    for payload in payloads:
        ctx.outbox.post(ctx.user, **payload)


def register(app: App) -> None:
    app.message_shortcut(ids.FIND_COLLEAGUE)(on_find_colleague)
    app.global_shortcut(ids.LEARN_OR_TEACH)(on_learn_or_teach)
    app.view(ids.ANYWHERE_MODAL)(on_submit)
