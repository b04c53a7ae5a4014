"""Shortcuts: "Find a colleague who knows this" on any message, and "Learn or teach something" from the shortcuts
menu. Both open one modal; its answer comes as a DM with the same blocks and buttons as /learn and /teach."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps, deps_of
from bot.forms import read_learn_or_teach
from bot.grammar import Teach
from bot.services import anywhere
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import anywhere as views
from handlers.anywhere import follow_up, learn, teach


def on_find_colleague(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The message shortcut: the modal, with the topics the matcher finds in the message to pick from or edit."""
    ack()
    deps = deps_of(context)
    text = str((shortcut.get("message") or {}).get("text") or "")
    deps.background.submit(open_found, deps, client, tenant_of(context), shortcut["trigger_id"], text)


def open_found(deps: Deps, client: WebClient, team: str, trigger_id: str, text: str) -> None:
    with deps.tx() as repos:
        found = anywhere.topics_in(repos, deps.catalog, team, text)
    outbox.open_view(client, team, trigger_id, views.learn_or_teach_modal(", ".join(found), text))


def on_learn_or_teach(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The global shortcut: the same modal, empty."""
    ack()
    deps = deps_of(context)
    deps.background.submit(
        outbox.open_view, client, tenant_of(context), shortcut["trigger_id"], views.learn_or_teach_modal()
    )


def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Saved as /learn or /teach saves it; the form stays open with what to fix when nothing could be saved."""
    parsed = read_learn_or_teach(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    if isinstance(parsed, Teach):
        answers = [teach(deps, team, user, parsed)]
    else:  # each topic picked is a need of its own, declared as /learn declares it
        answers = [learn(deps, team, user, ask) for ask in parsed]
    if all(sent.refused for sent in answers):
        ack(response_action="errors", errors={"topic": answers[0].refused or ""})
        return
    ack()
    for sent in answers:
        deps.background.submit(outbox.post, client, team, user, **sent.payload)
        follow_up(deps, client, team, user, sent)


def register(app: App) -> None:
    app.message_shortcut(ids.FIND_COLLEAGUE)(on_find_colleague)
    app.global_shortcut(ids.LEARN_OR_TEACH)(on_learn_or_teach)
    app.view(ids.ANYWHERE_MODAL)(on_submit)
