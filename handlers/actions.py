"""Buttons of the ask → accept → introduction flow.

Each listener acks at once, decides in one transaction (so a second click changes nothing), and leaves the
Slack calls (DMs, message updates, the group DM) to the background queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps, deps_of
from bot.services import asks, meeting
from bot.services.asks import Outcome, Status
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import asks as views
from handlers.picker import open_picker
from handlers.replies import clicked, tell, update_clicked
from store.models import utcnow
from store.repos import Repos

UNDELIVERED = "Slack didn't deliver that just now. Please try again in a moment."

# What follows a decided click, after the ack: (deps, client, team, the click's body, the outcome).
FollowUp = Callable[[Deps, WebClient, str, dict[str, Any], Outcome], None]


def deliver(deps: Deps, client: WebClient, respond: Respond, team: str, outcome: Outcome, to_expert: bool) -> None:
    """Post the Accept/Decline DM to the other side, or undo the proposal if Slack would not take it."""
    info = outcome.match
    assert info is not None
    recipient, payload = (
        (info.expert.user_id, views.ask_dm(info)) if to_expert else (info.learner.user_id, views.offer_dm(info))
    )
    sent = outbox.post(client, team, recipient, **payload)
    with deps.tx() as repos:
        if sent:
            asks.remember_dm(repos, team_id=team, match_id=info.match_id, channel=sent.channel, ts=sent.ts)
        else:
            asks.withdraw(repos, team_id=team, match_id=info.match_id)
    if not sent:
        tell(respond, team, UNDELIVERED)
        return
    tell(respond, team, views.asked(info) if to_expert else views.offered(info))


def on_ask(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A learner asks one of the experts shown to them."""
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    need_id, _, expert = str(action.get("value", "")).partition(":")
    if not need_id.isdigit() or not expert:
        deps.background.submit(tell, respond, team, "That button is out of date. Try `/learn` again.")
        return
    with deps.tx() as repos:
        outcome = asks.ask(repos, deps.catalog, team_id=team, learner=user, need_id=int(need_id), expert=expert)
    if outcome.status is Status.OK:
        deps.background.submit(deliver, deps, client, respond, team, outcome, True)
    else:
        deps.background.submit(tell, respond, team, views.status_text(outcome.status, outcome.match, user))


def on_offer_help(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """An expert offers to help with an open need listed after /teach."""
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    value = str(action.get("value", ""))
    if not value.isdigit():
        return
    with deps.tx() as repos:
        outcome = asks.offer_help(repos, deps.catalog, team_id=team, expert=user, need_id=int(value))
    if outcome.status is Status.OK:
        deps.background.submit(deliver, deps, client, respond, team, outcome, False)
    else:
        deps.background.submit(tell, respond, team, views.status_text(outcome.status, outcome.match, user))


def open_proposal(deps: Deps, client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
    """The expert picks a time: the free times for both of them, in a modal."""
    info = outcome.match
    assert info is not None
    tz = deps.workspace(team).timezone
    with deps.tx() as repos:
        plan = meeting.plan_booking(
            repos, team_id=team, match_id=info.match_id, user=info.expert.user_id, now=utcnow(), tz=tz
        )
    if plan.status is Status.OK:
        open_picker(client, team, body["trigger_id"], plan)


def after_accept(deps: Deps, client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
    info = outcome.match
    assert info is not None
    if info.offered_by_expert:
        update_clicked(client, team, body, views.decided(info, accepted=True))
        posted = outbox.post(client, team, info.expert.user_id, **views.propose_prompt(info))
        if posted:
            # The expert's "Propose a time" now lives in this message: the introduction updates it.
            with deps.tx() as repos:
                asks.remember_dm(repos, team_id=team, match_id=info.match_id, channel=posted.channel, ts=posted.ts)
    else:
        open_proposal(deps, client, team, body, outcome)  # first: the trigger expires after 3 seconds
        update_clicked(client, team, body, views.decided(info, accepted=True))


def after_decline(deps: Deps, client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
    info = outcome.match
    assert info is not None
    update_clicked(client, team, body, views.decided(info, accepted=False))
    if info.offered_by_expert:
        outbox.post(client, team, info.expert.user_id, **views.offer_declined(info))
    else:
        emoji = deps.workspace(team).kudos_emoji[0]
        reply = views.declined_to_learner(info, outcome.alternatives, utcnow(), emoji)
        outbox.post(client, team, info.learner.user_id, **reply)


def _follow(
    deps: Deps, client: WebClient, respond: Respond, team: str, body: dict[str, Any], outcome: Outcome, then: FollowUp
) -> None:
    """A decided click is followed up after the ack; one that changed nothing says why."""
    if outcome.status is Status.OK:
        deps.background.submit(then, deps, client, team, body, outcome)
        return
    user = body["user"]["id"]
    said = views.status_text(outcome.status, outcome.match, user, booked=outcome.session_id is not None)
    deps.background.submit(tell, respond, team, said)


# How a click on a match's button is decided, in its transaction: (deps, repos, team, match id, clicking user).
Decide = Callable[[Deps, Repos, str, int, str], Outcome]


def _on_match_button(
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    decide: Decide,
    then: FollowUp,
) -> None:
    """Accept, Decline and Propose alike: decide on the match the button carries, then follow up."""
    if (click := clicked(body, action, context)) is None:  # a stale or tampered value
        return
    deps, team, user, match_id = click
    with deps.tx() as repos:
        outcome = decide(deps, repos, team, match_id, user)
    _follow(deps, client, respond, team, body, outcome, then)


def on_accept(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The asked expert (or the learner offered help) accepts."""
    ack()
    _on_match_button(body, action, client, respond, context, _accept, after_accept)


def on_decline(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The asked expert (or the learner offered help) declines."""
    ack()
    _on_match_button(body, action, client, respond, context, _decline, after_decline)


def on_propose(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The expert opens the time-proposal modal (again, if they closed it)."""
    ack()
    _on_match_button(body, action, client, respond, context, _proposal_form, open_proposal)


def _accept(deps: Deps, repos: Repos, team: str, match_id: int, user: str) -> Outcome:
    return asks.accept(repos, team_id=team, match_id=match_id, user=user)


def _decline(deps: Deps, repos: Repos, team: str, match_id: int, user: str) -> Outcome:
    return asks.decline(repos, deps.catalog, team_id=team, match_id=match_id, user=user, now=utcnow())


def _proposal_form(deps: Deps, repos: Repos, team: str, match_id: int, user: str) -> Outcome:
    return asks.proposal_form(repos, team_id=team, match_id=match_id, user=user)


def register(app: App) -> None:
    app.action(ids.ASK)(on_ask)
    app.action(ids.OFFER_HELP)(on_offer_help)
    app.action(ids.ACCEPT)(on_accept)
    app.action(ids.DECLINE)(on_decline)
    app.action(ids.PROPOSE)(on_propose)
