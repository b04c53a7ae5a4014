"""reaction_added / reaction_removed: kudos. Acked at once; the work runs after the ack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps, deps_of
from bot.services import kudos
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views.kudos import button_reply, limit_reached, thanked
from handlers.replies import clicked, tell
from store.models import utcnow


def reaction(event: dict[str, Any], context: dict[str, Any]) -> kudos.Reaction | None:
    """The reaction an event carries, when it is on a message and someone gave it."""
    item = event.get("item") or {}
    if item.get("type") != "message" or not event.get("user"):
        return None
    receiver = event.get("item_user")
    if receiver == context.get("bot_user_id"):
        receiver = None  # thanks aimed at peerlearn itself count for nobody
    return kudos.Reaction(tenant_of(context), event["user"], receiver, item["channel"], item["ts"], event["reaction"])


def record(deps: Deps, client: WebClient, given: kudos.Reaction, respond: Respond | None = None) -> None:
    """Count the kudos within the limits; tell the giver when a limit stops it, and the receiver soon after."""
    # users.info tells us who is a bot; cached, so a busy channel does not call Slack each time.
    team = given.team_id
    for user in (given.giver, given.receiver):
        if user:
            deps.directory.refresh(client, team, user)
    effective = deps.workspace(team)
    # The follow-up button always counts, whatever reaction emoji the workspace chose.
    emoji = (*effective.kudos_emoji, kudos.SESSION_EMOJI) if respond else effective.kudos_emoji
    with deps.tx() as repos:
        result = kudos.give(
            repos,
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
        tell(respond, team, button_reply(result.outcome, receiver, pair_limit=limit, emoji=shown))
    elif result.tell_giver:
        outbox.post(client, team, given.giver, **limit_reached(result.outcome, receiver, pair_limit=limit, emoji=shown))
    if result.outcome is kudos.Outcome.GIVEN and given.receiver:
        deps.kudos_batch.touch((team, given.receiver), thank, deps, client, team, given.receiver)


def thank(deps: Deps, client: WebClient, team_id: str, receiver: str) -> None:
    """One DM for the kudos that arrived together."""
    with deps.tx() as repos:
        thanks = kudos.collect_thanks(repos, team_id=team_id, receiver=receiver)
    if thanks is not None:
        outbox.post(client, team_id, receiver, **thanked(thanks, emoji=deps.workspace(team_id).kudos_emoji[0]))


def withdraw(deps: Deps, given: kudos.Reaction) -> None:
    with deps.tx() as repos:
        kudos.take_back(repos, given, kudos_emoji=deps.workspace(given.team_id).kudos_emoji)


def on_reaction_added(event: dict[str, Any], context: dict[str, Any], client: WebClient) -> None:
    """A reaction: kudos when it is the kudos emoji on a colleague's message."""
    deps, given = deps_of(context), reaction(event, context)
    if given and kudos.base_emoji(given.emoji) in deps.workspace(given.team_id).kudos_emoji:
        deps.background.submit(record, deps, client, given)


def on_give_kudos(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """ "Give kudos" on a session follow-up: counts like a reaction and obeys the same limits."""
    ack()
    if (click := clicked(body, action, context)) is None:
        return
    deps, team, user, session_id = click
    with deps.tx() as repos:
        given = kudos.for_session(repos, team_id=team, session_id=session_id, learner=user)
    if given is None:
        deps.background.submit(tell, respond, team, "That session isn't yours to thank for.")
        return
    deps.background.submit(record, deps, client, given, respond)


def on_reaction_removed(event: dict[str, Any], context: dict[str, Any]) -> None:
    """The reaction was taken away, and so is the kudos it gave."""
    deps, given = deps_of(context), reaction(event, context)
    if given and kudos.base_emoji(given.emoji) in deps.workspace(given.team_id).kudos_emoji:
        deps.background.submit(withdraw, deps, given)


def register(app: App) -> None:
    app.event(ids.REACTION_ADDED)(on_reaction_added)
    app.action(ids.GIVE_KUDOS)(on_give_kudos)
    app.event(ids.REACTION_REMOVED)(on_reaction_removed)
