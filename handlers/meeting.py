"""Meeting times: the pick in the free-times modal, the other person's yes, moving or cancelling a session.

The modal itself is built in handlers/picker.py, the introduction and its calendar file in
handlers/introduction.py. A failed Slack call never blocks the flow: the form still opens, the introduction
still arrives.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps, deps_of
from bot.forms import Proposal, read_pick_metadata, read_proposal
from bot.services import asks, meeting
from bot.services.asks import Status
from bot.services.meeting import Change, Plan, Result
from bot.slack import outbox
from bot.slack.tenancy import tenant_of
from bot.views import meeting as views
from handlers.introduction import intro_message, introduce, upload_calendar
from handlers.picker import open_picker
from handlers.replies import clicked, tell, update_clicked
from store.models import utcnow

CLASH = "That time meets another session, or a day off, of one of you. Pick another one."


def on_pick(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """A free time (or another, or just chat) is picked: it goes to the other person to confirm."""
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    match_id, offered = read_pick_metadata(str(view.get("private_metadata") or ""))
    workspace_tz = deps.workspace(team).timezone
    with deps.tx() as repos:
        tz = meeting.member_tz(repos, team_id=team, user_id=user) or workspace_tz
    picked = read_proposal(view["state"]["values"], tz, utcnow())
    if not isinstance(picked, Proposal):
        ack(response_action="errors", errors=picked)
        return
    with deps.tx() as repos:
        change = meeting.pick(
            repos,
            team_id=team,
            match_id=match_id,
            user=user,
            starts_at=picked.starts_at,
            minutes=picked.minutes,
            others=offered,
            now=utcnow(),
            tz=workspace_tz,
        )
    if change.result is Result.CLASH:
        ack(response_action="errors", errors={picked.field: CLASH})
        return
    ack()
    if change.status is not Status.OK:
        return  # a stale or second submit: the first one's messages stand
    if change.result is Result.BOOKED and change.meeting is not None:
        deps.background.submit(introduce, deps, client, team, change.meeting)
    elif change.result is Result.PROPOSED:
        deps.background.submit(ask_to_confirm, deps, client, team, change)


def ask_to_confirm(deps: Deps, client: WebClient, team: str, change: Change) -> None:
    """The picked time goes to the other person, with the other free times; the request message says so."""
    tz = deps.workspace(team).timezone
    if change.meeting is not None and change.meeting.channel_id:  # moving: ask in the group DM, both see it
        outbox.post(client, team, change.meeting.channel_id, **views.proposal(change, tz))
        return
    if not outbox.post(client, team, change.to, **views.proposal(change, tz)):
        return
    with deps.tx() as repos:
        asked = asks.request_message(repos, team_id=team, match_id=change.info.match_id if change.info else 0)
    if asked.match and asked.match.dm_channel and asked.match.dm_ts:
        outbox.update(client, team, asked.match.dm_channel, asked.match.dm_ts, **views.proposed(change, tz))


def on_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """The other person takes one of the offered times: booked (or moved), once."""
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    match_id, _, stamp = str(action.get("value", "")).partition(":")
    if not (match_id.isdigit() and stamp.isdigit()):
        return
    when = datetime.fromtimestamp(int(stamp), UTC)
    tz = deps.workspace(team).timezone
    with deps.tx() as repos:
        change = meeting.confirm(
            repos, team_id=team, match_id=int(match_id), user=user, starts_at=when, now=utcnow(), tz=tz
        )
    if change.status is not Status.OK:
        deps.background.submit(tell, respond, team, _not_now(change, user))
        return
    deps.background.submit(after_confirm, deps, client, team, body, change)


def after_confirm(deps: Deps, client: WebClient, team: str, body: dict[str, Any], change: Change) -> None:
    tz = deps.workspace(team).timezone
    if change.result is Result.TAKEN:
        update_clicked(client, team, body, views.taken(change, tz))
        return
    update_clicked(client, team, body, views.confirmed(change, tz))
    booked = change.meeting
    assert booked is not None
    if change.result is Result.BOOKED:
        introduce(deps, client, team, booked)
        return
    # Moved (or a "just chat" given its first time): the introduction shows the time, both read it in the group
    # DM, the calendar follows.
    if booked.channel_id and booked.message_ts:
        outbox.update(client, team, booked.channel_id, booked.message_ts, **intro_message(deps, team, booked))
        outbox.post(client, team, booked.channel_id, **views.moved(booked, tz, first=change.result is Result.TIMED))
    upload_calendar(client, team, booked, booked.info.expert.tz or tz)


def _plan_move(deps: Deps, team: str, user: str, session_id: int) -> Plan:
    tz = deps.workspace(team).timezone
    with deps.tx() as repos:
        return meeting.plan_move(repos, team_id=team, session_id=session_id, user=user, now=utcnow(), tz=tz)


def on_reschedule(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Either person moves the session (or gives an untimed one a time): back to the free times."""
    ack()
    if (plan := _movable(body, action, context, respond)) is not None:
        open_picker(client, tenant_of(context), body["trigger_id"], plan)


def on_cancel(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """Either person cancels: a modal asks for an optional reason first."""
    ack()
    if _movable(body, action, context, respond) is not None:
        modal = views.cancel_modal(int(action["value"]))
        outbox.open_view(client, tenant_of(context), body["trigger_id"], modal)


def _movable(body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> Plan | None:
    """The plan for moving the clicked session, or None (and the clicker told why) when it cannot move."""
    if (click := clicked(body, action, context)) is None:
        return None
    plan = _plan_move(click.deps, click.team, click.user, click.id)
    if plan.status is Status.OK:
        return plan
    said = _not_now(Change(plan.status, info=plan.info), click.user)
    click.deps.background.submit(tell, respond, click.team, said)
    return None


def on_cancel_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    metadata = str(view.get("private_metadata") or "")
    reason = str(((view["state"]["values"].get("reason") or {}).get("value") or {}).get("value") or "").strip()
    with deps.tx() as repos:
        change = meeting.cancel(
            repos,
            team_id=team,
            session_id=int(metadata) if metadata.isdigit() else 0,
            user=user,
            reason=reason[: views.MAX_REASON] or None,
            now=utcnow(),
        )
    if change.status is Status.ALREADY:
        ack(response_action="errors", errors={"reason": "This session is already cancelled."})
        return
    ack()
    if change.status is Status.OK:
        deps.background.submit(after_cancel, deps, client, team, change)


def after_cancel(deps: Deps, client: WebClient, team: str, change: Change) -> None:
    booked = change.meeting
    assert booked is not None
    tz = deps.workspace(team).timezone
    if booked.channel_id:
        if booked.message_ts:
            outbox.update(client, team, booked.channel_id, booked.message_ts, **views.intro_cancelled(booked))
        outbox.post(client, team, booked.channel_id, **views.cancelled(change, tz))
    upload_calendar(client, team, booked, booked.info.expert.tz or tz, method="CANCEL")


def on_calendar_link(ack: Ack) -> None:
    """A link button opens the browser itself; Slack still reports the click, which needs only an ack."""
    ack()


def _not_now(change: Change, user: str) -> str:
    """A click that changes nothing says why."""
    if change.status is Status.NOT_YOURS:
        return "That button is for someone else, so it does nothing for you."
    if change.status is Status.GONE:
        return "This session was cancelled or is closed, so there's nothing to change here."
    return "That choice was already made (or replaced by a newer one), so nothing changed."


def register(app: App) -> None:
    app.view(ids.PROPOSE_MODAL)(on_pick)
    app.action(ids.any_numbered(ids.CONFIRM_TIME))(on_confirm)
    app.action(ids.RESCHEDULE)(on_reschedule)
    app.action(ids.CANCEL_SESSION)(on_cancel)
    app.view(ids.CANCEL_MODAL)(on_cancel_submit)
    app.action(ids.CALENDAR_LINK)(on_calendar_link)
