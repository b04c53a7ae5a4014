"""Group slots: the invitation's buttons and modal, and Join / Leave on the channel announcement."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.deps import Deps
from bot.forms import SlotForm, read_slot
from bot.services import slots
from bot.services.slots import Answer, SlotInfo
from bot.slack.tenancy import tenant_of
from bot.views import slots as views
from handlers.replies import tell, update_clicked
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)


NO_CHANNEL = "No learning channel is set, so the slot cannot be announced. Ask an admin to set one."


def register(app: App, deps: Deps) -> None:
    def decide(fn: Any, **kwargs: Any) -> Any:
        with deps.db.begin() as session:
            return fn(Repos(session), **kwargs)

    def clicked(body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> tuple[str, str, int] | None:
        """(tenant, user, id) from a button whose value is an id; None for a stale or tampered value."""
        value = str(action.get("value", ""))
        return (tenant_of(context), body["user"]["id"], int(value)) if value.isdigit() else None

    def host_tz(team: str, user: str) -> str:
        with deps.db() as session:
            member = Repos(session).members.get(team, user)
        return (member.tz if member else None) or deps.workspace(team).timezone

    @app.action(ids.SLOT_HOST)
    def on_host(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The invited expert opens the slot modal."""
        ack()
        if (target := clicked(body, action, context)) is None:
            return
        team, user, invite_id = target
        answer, invite = decide(slots.invitation, team_id=team, invite_id=invite_id, user=user)
        if invite is None:
            deps.background.submit(tell, respond, views.invite_text(answer))
            return
        tz = host_tz(team, user)
        today = utcnow().astimezone(ZoneInfo(tz)).date()
        client.views_open(trigger_id=body["trigger_id"], view=views.slot_modal(invite, tz, today))

    @app.action(ids.SLOT_NOT_NOW)
    def on_not_now(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The invited expert passes; the next expert is asked on a later run."""
        ack()
        if (target := clicked(body, action, context)) is None:
            return
        team, user, invite_id = target
        answer, topic = decide(slots.decline, team_id=team, invite_id=invite_id, user=user)
        if topic is not None:
            deps.background.submit(update_clicked, client, body, views.invite_answered(topic, hosted=False))
        else:
            deps.background.submit(tell, respond, views.invite_text(answer))

    @app.view(ids.SLOT_MODAL)
    def on_slot_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Open the slot and announce it; a bad date, time or seat count is pointed out in the modal."""
        team, user = tenant_of(context), body["user"]["id"]
        invite_id = int(view.get("private_metadata") or 0)
        channel = deps.workspace(team).learning_channel
        form = read_slot(view["state"]["values"], host_tz(team, user), utcnow())
        if not channel:
            ack(response_action="errors", errors={"date": NO_CHANNEL})
            return
        if not isinstance(form, SlotForm):
            ack(response_action="errors", errors=form)
            return
        starts_at, minutes, seats = form.starts_at, form.minutes, form.seats
        outcome, learners = decide(
            slots.host,
            team_id=team,
            invite_id=invite_id,
            user=user,
            starts_at=starts_at,
            duration_min=minutes,
            capacity=seats,
            now=utcnow(),
        )
        ack()
        if outcome.answer is Answer.OK:
            deps.background.submit(announce, client, outcome.slot, channel, learners)

    def announce(client: WebClient, slot: SlotInfo, channel: str, learners: list[str]) -> None:
        tz = deps.workspace(slot.team_id).timezone
        posted = client.chat_postMessage(channel=channel, **views.announcement(slot, tz))
        decide(slots.announced, team_id=slot.team_id, slot_id=slot.slot_id, channel=posted["channel"], ts=posted["ts"])
        client.chat_postMessage(channel=slot.host, **views.invite_answered(slot.topic, hosted=True))
        for learner in deps.pacer.each(learners):
            try:
                client.chat_postMessage(channel=learner, **views.learner_news(slot, tz))
            except SlackApiError as exc:
                logger.warning("slot news not delivered: %s", exc.response.get("error"))

    def refresh_announcement(client: WebClient, team: str, slot_id: int) -> None:
        # Read the count just before updating, so the last update after a burst of clicks shows the true number.
        slot = decide(slots.current, team_id=team, slot_id=slot_id)
        if slot is not None and slot.channel_id and slot.message_ts:
            tz = deps.workspace(team).timezone
            client.chat_update(channel=slot.channel_id, ts=slot.message_ts, **views.announcement(slot, tz))

    def seat(
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        joining: bool,
    ) -> None:
        if (target := clicked(body, action, context)) is None:
            return
        team, user, slot_id = target
        fn = slots.join if joining else slots.leave
        outcome = decide(fn, team_id=team, slot_id=slot_id, user=user, now=utcnow())
        deps.background.submit(tell, respond, views.answer_text(outcome.answer, outcome.slot, joining))
        if outcome.answer is Answer.OK:
            deps.background.submit(refresh_announcement, client, team, slot_id)

    @app.action(ids.SLOT_JOIN)
    def on_join(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """Take a seat (from the channel announcement or the DM to a waiting learner)."""
        ack()
        seat(body, action, context, client, respond, joining=True)

    @app.action(ids.SLOT_LEAVE)
    def on_leave(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        seat(body, action, context, client, respond, joining=False)
