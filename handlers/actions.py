"""Buttons and the time-proposal modal of the ask → accept → introduction flow.

Each listener acks at once, decides in one transaction (so a second click changes nothing), and leaves the
Slack calls (DMs, message updates, the group DM) to the background queue.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.deps import Deps
from bot.services import asks, meeting
from bot.services.asks import Outcome, Status
from bot.slack.tenancy import tenant_of
from bot.views import asks as views
from handlers.meeting import open_picker
from handlers.replies import tell, update_clicked
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)


def where(posted: Any) -> dict[str, str]:
    """The channel and ts of a message Slack just posted, as the match records them."""
    return {"channel": str(posted["channel"]), "ts": str(posted["ts"])}


def register(app: App, deps: Deps) -> None:
    def decide(fn: Any, **kwargs: Any) -> Outcome:
        with deps.db.begin() as session:
            outcome: Outcome = fn(Repos(session), **kwargs)
            return outcome

    def deliver(client: WebClient, respond: Respond, team: str, outcome: Outcome, to_expert: bool) -> None:
        """Post the Accept/Decline DM to the other side, or undo the proposal if Slack would not take it."""
        info = outcome.match
        assert info is not None
        recipient, payload = (
            (info.expert.user_id, views.ask_dm(info)) if to_expert else (info.learner.user_id, views.offer_dm(info))
        )
        try:
            posted = client.chat_postMessage(channel=recipient, **payload)
        except SlackApiError as exc:
            logger.warning("could not deliver a match request: %s", exc.response.get("error"))
            decide(asks.withdraw, team_id=team, match_id=info.match_id)
            tell(respond, "Slack didn't deliver that just now. Please try again in a moment.")
            return
        decide(asks.remember_dm, team_id=team, match_id=info.match_id, channel=posted["channel"], ts=posted["ts"])
        tell(respond, views.asked(info) if to_expert else views.offered(info))

    @app.action(ids.ASK)
    def on_ask(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """A learner asks one of the experts shown to them."""
        ack()
        need_id, _, expert = str(action.get("value", "")).partition(":")
        team, user = tenant_of(context), body["user"]["id"]
        if not need_id.isdigit() or not expert:
            deps.background.submit(tell, respond, "That button is out of date. Try `/learn` again.")
            return
        outcome = decide(
            asks.ask, catalog=deps.catalog, team_id=team, learner=user, need_id=int(need_id), expert=expert
        )
        if outcome.status is Status.OK:
            deps.background.submit(deliver, client, respond, team, outcome, True)
        else:
            deps.background.submit(tell, respond, views.status_text(outcome.status, outcome.match, user))

    @app.action(ids.OFFER_HELP)
    def on_offer_help(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """An expert offers to help with an open need listed after /teach."""
        ack()
        team, user, value = tenant_of(context), body["user"]["id"], str(action.get("value", ""))
        if not value.isdigit():
            return
        outcome = decide(asks.offer_help, catalog=deps.catalog, team_id=team, expert=user, need_id=int(value))
        if outcome.status is Status.OK:
            deps.background.submit(deliver, client, respond, team, outcome, False)
        else:
            deps.background.submit(tell, respond, views.status_text(outcome.status, outcome.match, user))

    def open_proposal(client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
        """The expert picks a time: the free times for both of them, in a modal."""
        info = outcome.match
        assert info is not None
        tz = deps.workspace(team).timezone
        with deps.db.begin() as session:
            plan = meeting.plan_booking(
                Repos(session), team_id=team, match_id=info.match_id, user=info.expert.user_id, now=utcnow(), tz=tz
            )
        if plan.status is Status.OK:
            open_picker(deps, client, body["trigger_id"], plan)

    def after_accept(client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
        info = outcome.match
        assert info is not None
        if info.offered_by_expert:
            update_clicked(client, body, views.decided(info, accepted=True))
            posted = client.chat_postMessage(channel=info.expert.user_id, **views.propose_prompt(info))
            # The expert's "Propose a time" now lives in this message: the introduction updates it.
            decide(asks.remember_dm, team_id=team, match_id=info.match_id, **where(posted))
        else:
            open_proposal(client, team, body, outcome)  # first: the trigger expires after 3 seconds
            update_clicked(client, body, views.decided(info, accepted=True))

    def on_match_button(
        fn: Any,
        follow_up: Any,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        team: str,
        **extra: Any,
    ) -> None:
        """Accept, Decline and Propose all carry a match id: decide once, then follow up or say why not."""
        user, value = body["user"]["id"], str(action.get("value", ""))
        if not value.isdigit():
            return
        outcome = decide(fn, team_id=team, match_id=int(value), user=user, **extra)
        if outcome.status is Status.OK:
            deps.background.submit(follow_up, client, team, body, outcome)
        else:
            said = views.status_text(outcome.status, outcome.match, user, booked=outcome.session_id is not None)
            deps.background.submit(tell, respond, said)

    @app.action(ids.ACCEPT)
    def on_accept(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The asked expert (or the learner offered help) accepts."""
        ack()
        on_match_button(asks.accept, after_accept, body, action, client, respond, tenant_of(context))

    def after_decline(client: WebClient, team: str, body: dict[str, Any], outcome: Outcome) -> None:
        info = outcome.match
        assert info is not None
        update_clicked(client, body, views.decided(info, accepted=False))
        if info.offered_by_expert:
            client.chat_postMessage(channel=info.expert.user_id, **views.offer_declined(info))
        else:
            emoji = deps.workspace(team).kudos_emoji[0]
            reply = views.declined_to_learner(info, outcome.alternatives, utcnow(), emoji)
            client.chat_postMessage(channel=info.learner.user_id, **reply)

    @app.action(ids.DECLINE)
    def on_decline(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The asked expert (or the learner offered help) declines."""
        ack()
        team = tenant_of(context)
        on_match_button(
            asks.decline, after_decline, body, action, client, respond, team, catalog=deps.catalog, now=utcnow()
        )

    @app.action(ids.PROPOSE)
    def on_propose(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The expert opens the time-proposal modal (again, if they closed it)."""
        ack()
        on_match_button(asks.proposal_form, open_proposal, body, action, client, respond, tenant_of(context))
