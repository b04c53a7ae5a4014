"""Buttons of the ask → accept → introduction flow.

Each listener acks at once, decides in one transaction (so a second click changes nothing), and leaves the
Slack calls (DMs, message updates, the group DM) to the background queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.context import Ctx
from bot.services import asks, meeting
from bot.services.asks import Outcome, Status
from bot.services.scope import Scope
from bot.views import asks as views
from bot.views.common import STALE_ASK
from bot.wire import AskValue, MatchValue, NeedValue
from handlers.decoding import decoded
from handlers.picker import open_picker
from handlers.replies import update_clicked

UNDELIVERED = "Slack didn't deliver that just now. Please try again in a moment."

# What follows a decided click, after the ack: (the request, the click's body, the outcome).
FollowUp = Callable[[Ctx, dict[str, Any], Outcome], None]


def deliver(ctx: Ctx, outcome: Outcome, to_expert: bool) -> None:
    """Post the Accept/Decline DM to the other side, or undo the proposal if Slack would not take it."""
    info = outcome.match
    assert info is not None
    recipient, payload = (
        (info.expert.user_id, views.ask_dm(info)) if to_expert else (info.learner.user_id, views.offer_dm(info))
    )
    sent = ctx.outbox.post(recipient, **payload)
    with ctx.tx() as scope:
        if sent:
            asks.remember_dm(scope, match_id=info.match_id, channel=sent.channel, ts=sent.ts)
        else:
            asks.withdraw(scope, match_id=info.match_id)
    if not sent:
        ctx.tell(UNDELIVERED)
        return
    ctx.tell(views.asked(info) if to_expert else views.offered(info))


def on_ask(ack: Ack, value: AskValue, ctx: Ctx) -> None:
    """A learner asks one of the experts shown to them."""
    ack()
    with ctx.tx() as scope:
        outcome = asks.ask(scope, need_id=value.need_id, expert=value.expert)
    if outcome.status is Status.OK:
        ctx.background.submit(deliver, ctx, outcome, True)
    else:
        ctx.background.submit(ctx.tell, views.status_text(outcome.status, outcome.match, ctx.user))


def on_offer_help(ack: Ack, value: NeedValue, ctx: Ctx) -> None:
    """An expert offers to help with an open need listed after /teach."""
    ack()
    with ctx.tx() as scope:
        outcome = asks.offer_help(scope, need_id=value.id)
    if outcome.status is Status.OK:
        ctx.background.submit(deliver, ctx, outcome, False)
    else:
        ctx.background.submit(ctx.tell, views.status_text(outcome.status, outcome.match, ctx.user))


def open_proposal(ctx: Ctx, body: dict[str, Any], outcome: Outcome) -> None:
    """The expert picks a time: the free times for both of them, in a modal."""
    info = outcome.match
    assert info is not None
    tz = ctx.settings.timezone
    with ctx.tx() as scope:
        plan = meeting.plan_booking(scope, match_id=info.match_id, user=info.expert.user_id, tz=tz)
    if plan.status is Status.OK:
        open_picker(ctx, body["trigger_id"], plan)


def after_accept(ctx: Ctx, body: dict[str, Any], outcome: Outcome) -> None:
    info = outcome.match
    assert info is not None
    if info.offered_by_expert:
        update_clicked(ctx, body, views.decided(info, accepted=True))
        posted = ctx.outbox.post(info.expert.user_id, **views.propose_prompt(info))
        if posted:
            # The expert's "Propose a time" now lives in this message: the introduction updates it.
            with ctx.tx() as scope:
                asks.remember_dm(scope, match_id=info.match_id, channel=posted.channel, ts=posted.ts)
    else:
        open_proposal(ctx, body, outcome)  # first: the trigger expires after 3 seconds
        update_clicked(ctx, body, views.decided(info, accepted=True))


def after_decline(ctx: Ctx, body: dict[str, Any], outcome: Outcome) -> None:
    info = outcome.match
    assert info is not None
    update_clicked(ctx, body, views.decided(info, accepted=False))
    if info.offered_by_expert:
        ctx.outbox.post(info.expert.user_id, **views.offer_declined(info))
    else:
        reply = views.declined_to_learner(info, outcome.alternatives, ctx.now, ctx.settings.kudos_emoji[0])
        ctx.outbox.post(info.learner.user_id, **reply)


# How a click on a match's button is decided, in its transaction, given the match id.
Decide = Callable[[Scope, int], Outcome]


def _on_match_button(body: dict[str, Any], value: MatchValue, ctx: Ctx, decide: Decide, then: FollowUp) -> None:
    """Accept, Decline and Propose alike: decide on the match the button carries, then follow up; a decided click
    is followed up after the ack, one that changed nothing says why."""
    with ctx.tx() as scope:
        outcome = decide(scope, value.id)
    if outcome.status is Status.OK:
        ctx.background.submit(then, ctx, body, outcome)
        return
    said = views.status_text(outcome.status, outcome.match, ctx.user, booked=outcome.session_id is not None)
    ctx.background.submit(ctx.tell, said)


def on_accept(ack: Ack, body: dict[str, Any], value: MatchValue, ctx: Ctx) -> None:
    """The asked expert (or the learner offered help) accepts."""
    ack()
    _on_match_button(body, value, ctx, _accept, after_accept)


def on_decline(ack: Ack, body: dict[str, Any], value: MatchValue, ctx: Ctx) -> None:
    """The asked expert (or the learner offered help) declines."""
    ack()
    _on_match_button(body, value, ctx, _decline, after_decline)


def on_propose(ack: Ack, body: dict[str, Any], value: MatchValue, ctx: Ctx) -> None:
    """The expert opens the time-proposal modal (again, if they closed it)."""
    ack()
    _on_match_button(body, value, ctx, _proposal_form, open_proposal)


def _accept(scope: Scope, match_id: int) -> Outcome:
    return asks.accept(scope, match_id=match_id)


def _decline(scope: Scope, match_id: int) -> Outcome:
    return asks.decline(scope, match_id=match_id)


def _proposal_form(scope: Scope, match_id: int) -> Outcome:
    return asks.proposal_form(scope, match_id=match_id)


def register(app: App) -> None:
    app.action(ids.ASK, middleware=[decoded(AskValue, STALE_ASK)])(on_ask)
    app.action(ids.OFFER_HELP, middleware=[decoded(NeedValue)])(on_offer_help)
    app.action(ids.ACCEPT, middleware=[decoded(MatchValue)])(on_accept)
    app.action(ids.DECLINE, middleware=[decoded(MatchValue)])(on_decline)
    app.action(ids.PROPOSE, middleware=[decoded(MatchValue)])(on_propose)
