"""reaction_added / reaction_removed: kudos. Acked at once; the work runs after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps
from bot.services import kudos
from bot.slack.tenancy import tenant_of
from bot.views.kudos import button_reply, limit_reached, thanked
from handlers.replies import tell
from store.models import utcnow
from store.repos import Repos


def register(app: App, deps: Deps) -> None:
    def reaction(event: dict[str, Any], context: dict[str, Any]) -> kudos.Reaction | None:
        item = event.get("item") or {}
        if item.get("type") != "message" or not event.get("user"):
            return None
        receiver = event.get("item_user")
        if receiver == context.get("bot_user_id"):
            receiver = None  # thanks aimed at peerlearn itself count for nobody
        return kudos.Reaction(
            tenant_of(context), event["user"], receiver, item["channel"], item["ts"], event["reaction"]
        )

    def record(client: WebClient, given: kudos.Reaction, respond: Respond | None = None) -> None:
        # users.info tells us who is a bot; cached, so a busy channel does not call Slack each time.
        for user in (given.giver, given.receiver):
            if user:
                deps.directory.refresh(client, given.team_id, user)
        effective = deps.workspace(given.team_id)
        # The follow-up button always counts, whatever reaction emoji the workspace chose.
        emoji = (*effective.kudos_emoji, kudos.SESSION_EMOJI) if respond else effective.kudos_emoji
        with deps.db.begin() as session:
            result = kudos.give(
                Repos(session),
                given,
                kudos_emoji=emoji,
                timezone=effective.timezone,
                now=utcnow(),
                daily_limit=effective.kudos_daily_limit,
                pair_weekly_limit=effective.kudos_pair_weekly_limit,
            )
        # Say the workspace's own weekly limit and show its first kudos emoji, not the built-in defaults.
        limit, shown = effective.kudos_pair_weekly_limit, effective.kudos_emoji[0]
        receiver = given.receiver or ""
        if respond is not None:
            tell(respond, button_reply(result.outcome, receiver, pair_limit=limit, emoji=shown))
        elif result.tell_giver:
            message = limit_reached(result.outcome, receiver, pair_limit=limit, emoji=shown)
            client.chat_postMessage(channel=given.giver, **message)
        if result.outcome is kudos.Outcome.GIVEN and given.receiver:
            deps.kudos_batch.touch((given.team_id, given.receiver), thank, client, given.team_id, given.receiver)

    def thank(client: WebClient, team_id: str, receiver: str) -> None:
        with deps.db.begin() as session:
            thanks = kudos.collect_thanks(Repos(session), team_id=team_id, receiver=receiver)
        if thanks is not None:
            client.chat_postMessage(channel=receiver, **thanked(thanks, emoji=deps.workspace(team_id).kudos_emoji[0]))

    def withdraw(given: kudos.Reaction) -> None:
        with deps.db.begin() as session:
            kudos.take_back(Repos(session), given, kudos_emoji=deps.workspace(given.team_id).kudos_emoji)

    @app.event(ids.REACTION_ADDED)
    def on_reaction_added(event: dict[str, Any], context: dict[str, Any], client: WebClient) -> None:
        """A reaction: kudos when it is the kudos emoji on a colleague's message."""
        given = reaction(event, context)
        if given and kudos.base_emoji(given.emoji) in deps.workspace(given.team_id).kudos_emoji:
            deps.background.submit(record, client, given)

    @app.action(ids.GIVE_KUDOS)
    def on_give_kudos(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """ "Give kudos" on a session follow-up: counts like a reaction and obeys the same limits."""
        ack()
        value = str(action.get("value", ""))
        if not value.isdigit():
            return
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            given = kudos.for_session(Repos(session), team_id=team, session_id=int(value), learner=user)
        if given is None:
            deps.background.submit(tell, respond, "That session isn't yours to thank for.")
            return
        deps.background.submit(record, client, given, respond)

    @app.event(ids.REACTION_REMOVED)
    def on_reaction_removed(event: dict[str, Any], context: dict[str, Any]) -> None:
        """The reaction was taken away, and so is the kudos it gave."""
        given = reaction(event, context)
        if given and kudos.base_emoji(given.emoji) in deps.workspace(given.team_id).kudos_emoji:
            deps.background.submit(withdraw, given)
