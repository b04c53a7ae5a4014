"""Group slots: the invitation's buttons and modal, and Join / Leave on the channel announcement."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps, deps_of
from bot.forms import SlotForm, read_slot
from bot.services import slots
from bot.services.slots import Answer, SlotInfo
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import slots as views
from handlers.replies import clicked, tell, update_clicked
from store.models import utcnow

NO_CHANNEL = "No learning channel is set, so the slot cannot be announced. Ask an admin to set one."


def host_tz(deps: Deps, team: str, user: str) -> str:
    """The host's own timezone, else the workspace's: the slot form's date and time are read in it."""
    with deps.tx() as repos:
        tz = slots.host_tz(repos, team_id=team, user_id=user)
    return tz or deps.workspace(team).timezone


def on_host(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The invited expert opens the slot modal."""
    ack()
    if (click := clicked(body, action, context)) is None:
        return
    deps, team, user = click.deps, click.team, click.user
    with deps.tx() as repos:
        answer, invite = slots.invitation(repos, team_id=team, invite_id=click.id, user=user)
    if invite is None:
        deps.background.submit(refuse, client, respond, team, body, answer)
        return
    tz = host_tz(deps, team, user)
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    outbox.open_view(client, team, body["trigger_id"], views.slot_modal(invite, tz, today))


def on_not_now(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The invited expert passes; the next expert is asked on a later run."""
    ack()
    if (click := clicked(body, action, context)) is None:
        return
    with click.deps.tx() as repos:
        answer, topic = slots.decline(repos, team_id=click.team, invite_id=click.id, user=click.user)
    if topic is not None:
        answered = views.invite_answered(topic, hosted=False)
        click.deps.background.submit(update_clicked, client, click.team, body, answered)
    else:
        click.deps.background.submit(refuse, client, respond, click.team, body, answer)


def refuse(client: WebClient, respond: Respond, team: str, body: dict[str, Any], answer: Answer) -> None:
    """Say why an invitation button changed nothing: one that can never be answered again loses its buttons."""
    if answer in (Answer.EXPIRED, Answer.UNAVAILABLE):
        update_clicked(client, team, body, views.invite_closed(answer))
    else:
        tell(respond, team, views.invite_text(answer))


def on_slot_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Open the slot and announce it; a bad date, time or seat count is pointed out in the modal."""
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    invite_id = int(view.get("private_metadata") or 0)
    channel = deps.workspace(team).learning_channel
    form = read_slot(view["state"]["values"], host_tz(deps, team, user), utcnow())
    if not channel:
        ack(response_action="errors", errors={"date": NO_CHANNEL})
        return
    if not isinstance(form, SlotForm):
        ack(response_action="errors", errors=form)
        return
    with deps.tx() as repos:
        outcome, learners = slots.host(
            repos,
            team_id=team,
            invite_id=invite_id,
            user=user,
            starts_at=form.starts_at,
            duration_min=form.minutes,
            capacity=form.seats,
            now=utcnow(),
        )
    if outcome.answer in (Answer.EXPIRED, Answer.UNAVAILABLE, Answer.GONE, Answer.NOT_YOURS):
        ack(response_action="errors", errors={"date": views.invite_text(outcome.answer)})
        return
    ack()  # a second submit of the same modal (ALREADY) changes nothing and needs no word
    if outcome.answer is Answer.OK and outcome.slot is not None:
        deps.background.submit(announce, deps, client, outcome.slot, channel, learners)


def announce(deps: Deps, client: WebClient, slot: SlotInfo, channel: str, learners: list[str]) -> None:
    """The slot in the learning channel, the host's invitation answered, and news to each waiting learner."""
    team = slot.team_id
    tz = deps.workspace(team).timezone
    posted = outbox.post(client, team, channel, **views.announcement(slot, tz))
    if not posted:
        return
    with deps.tx() as repos:
        slots.announced(repos, team_id=team, slot_id=slot.slot_id, channel=posted.channel, ts=posted.ts)
    outbox.post(client, team, slot.host, **views.invite_answered(slot.topic, hosted=True))
    for learner in deps.pacer.each(learners):
        outbox.post(client, team, learner, **views.learner_news(slot, tz))


def refresh_announcement(deps: Deps, client: WebClient, team: str, slot_id: int) -> None:
    # Read the count just before updating, so the last update after a burst of clicks shows the true number.
    with deps.tx() as repos:
        slot = slots.current(repos, team_id=team, slot_id=slot_id)
    if slot is not None and slot.channel_id and slot.message_ts:
        tz = deps.workspace(team).timezone
        outbox.update(client, team, slot.channel_id, slot.message_ts, **views.announcement(slot, tz))


def seat(
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    joining: bool,
) -> None:
    """Join or leave a slot, say how it went, and refresh the seat count on the announcement."""
    if (click := clicked(body, action, context)) is None:
        return
    deps, team, user, slot_id = click
    with deps.tx() as repos:
        if joining:
            outcome = slots.join(repos, team_id=team, slot_id=slot_id, user=user, now=utcnow())
        else:
            outcome = slots.leave(repos, team_id=team, slot_id=slot_id, user=user, now=utcnow())
    deps.background.submit(tell, respond, team, views.answer_text(outcome.answer, outcome.slot, joining))
    if outcome.answer is Answer.OK:
        deps.background.submit(refresh_announcement, deps, client, team, slot_id)


def on_join(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Take a seat (from the channel announcement or the DM to a waiting learner)."""
    ack()
    seat(body, action, context, client, respond, joining=True)


def on_leave(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    seat(body, action, context, client, respond, joining=False)


def register(app: App) -> None:
    app.action(ids.SLOT_HOST)(on_host)
    app.action(ids.SLOT_NOT_NOW)(on_not_now)
    app.view(ids.SLOT_MODAL)(on_slot_submit)
    app.action(ids.SLOT_JOIN)(on_join)
    app.action(ids.SLOT_LEAVE)(on_leave)
