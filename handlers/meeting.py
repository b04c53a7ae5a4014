"""Meeting times: the free-times modal, the other person's yes, the introduction with its calendar file, and
moving or cancelling a session.

Slack's own knowledge fills the gaps a calendar would: each person's timezone, their do-not-disturb hours
(`dnd.info`, at most a second; without it the times still respect working hours and sessions) and a vacation
status. A failed Slack call never blocks the flow: the form still opens, the introduction still arrives.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import URLError
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import ids
from bot.calendar import availability, ics
from bot.deps import Deps
from bot.forms import DEFAULT_SESSION_LENGTH, Proposal, read_proposal
from bot.services import asks, meeting
from bot.services.asks import Status
from bot.services.meeting import Change, Meeting, Plan, Result
from bot.slack.tenancy import tenant_of
from bot.views import asks as match_views
from bot.views import meeting as views
from handlers.replies import tell, update_clicked
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)

DND_BUDGET = 1  # seconds the accept flow may wait for Slack's do-not-disturb answers
CLASH = "That time meets another session, or a day off, of one of you. Pick another one."


def _decide(deps: Deps, fn: Any, **kwargs: Any) -> Any:
    with deps.db.begin() as session:
        return fn(Repos(session), **kwargs)


def read_dnd(slack: WebClient, users: list[str], tz: dict[str, str]) -> dict[str, list[availability.Interval]] | None:
    """Each person's do-not-disturb hours, or None when Slack did not answer within the budget.

    A client of its own, without retries: a 429 (or a slow Slack) must not hold up a modal Slack closes after
    three seconds.
    """
    client = WebClient(token=slack.token, base_url=slack.base_url, timeout=DND_BUDGET)
    pool = ThreadPoolExecutor(max_workers=len(users), thread_name_prefix="peerlearn-dnd")
    futures = {user: pool.submit(client.dnd_info, user=user) for user in users}
    done, _ = wait(futures.values(), timeout=DND_BUDGET)
    pool.shutdown(wait=False, cancel_futures=True)
    now = utcnow()
    found: dict[str, list[availability.Interval]] = {}
    for user, future in futures.items():
        if future not in done or future.exception() is not None:
            problem = "timeout" if future not in done else type(future.exception()).__name__
            logger.info("dnd.info unavailable (%s): proposing times without it", problem)
            return None
        found[user] = availability.dnd_intervals(future.result().data, tz=tz[user], now=now)  # type: ignore[arg-type]
    return found


def open_picker(deps: Deps, client: WebClient, trigger_id: str, plan: Plan) -> None:
    """Find the free times for both and open the modal that offers them (first: the trigger lasts 3 s)."""
    assert plan.info is not None and plan.me is not None and plan.other is not None
    me_user = plan.info.expert.user_id if plan.other_user == plan.info.learner.user_id else plan.info.learner.user_id
    dnd = read_dnd(client, [me_user, plan.other_user], {me_user: plan.me.tz, plan.other_user: plan.other.tz})
    me, other = plan.me, plan.other
    if dnd is not None:
        me, other = meeting.with_dnd(me, dnd[me_user]), meeting.with_dnd(other, dnd[plan.other_user])
    now = utcnow()
    found = availability.propose(me, other, length=timedelta(minutes=DEFAULT_SESSION_LENGTH), now=now)
    today = now.astimezone(ZoneInfo(me.tz)).date()
    view = views.pick_modal(plan, found, me.tz, today, dnd_known=dnd is not None)
    client.views_open(trigger_id=trigger_id, view=view)


def upload_calendar(client: WebClient, booked: Meeting, tz: str, method: ics.Method = "REQUEST") -> None:
    """The .ics invitation (or cancellation) in the group DM; a failure is logged, never raised."""
    if booked.starts_at is None or booked.channel_id is None:
        return
    info = booked.info
    length = timedelta(minutes=booked.minutes or DEFAULT_SESSION_LENGTH)
    content = ics.invitation(
        uid=ics.event_uid(booked.team_id, booked.session_id),
        sequence=booked.sequence,
        start=booked.starts_at,
        length=length,
        summary=f"{info.topic}: {info.expert.name} and {info.learner.name}",
        description=f"A peerlearn session: {info.learner.name} learns {info.topic} from {info.expert.name}.",
        organizer=info.expert.name,
        attendees=[info.expert.name, info.learner.name],
        url=f"https://slack.com/app_redirect?channel={booked.channel_id}",
        tz_name=tz,
        method=method,
    )
    title = "Cancelled" if method == "CANCEL" else "Calendar invitation"
    try:
        client.files_upload_v2(
            channel=booked.channel_id,
            content=content,
            filename=f"peerlearn-session-{booked.session_id}.ics",
            title=f"{title}: {info.topic}",
        )
    except (SlackApiError, SlackClientError, URLError, OSError) as exc:
        logger.warning("calendar file not delivered: %s", getattr(exc, "response", {}).get("error", type(exc).__name__))


def calendar_link(booked: Meeting) -> str | None:
    if booked.starts_at is None:
        return None
    info = booked.info
    return ics.google_calendar_link(
        start=booked.starts_at,
        length=timedelta(minutes=booked.minutes or DEFAULT_SESSION_LENGTH),
        summary=f"{info.topic}: {info.expert.name} and {info.learner.name}",
        details=f"A peerlearn session: {info.learner.name} learns {info.topic} from {info.expert.name}.",
    )


def introduce(deps: Deps, client: WebClient, team: str, booked: Meeting) -> None:
    """The group DM of learner, expert and peerlearn: who, what, when, the calendar file and its buttons."""
    info = booked.info
    opened = client.conversations_open(users=f"{info.expert.user_id},{info.learner.user_id}")
    channel = opened["channel"]["id"]
    effective = deps.workspace(team)
    buttons = views.session_buttons(booked, calendar_link(booked))
    payload = match_views.intro(
        info, booked.starts_at, booked.minutes, effective.timezone, effective.kudos_emoji[0], buttons=buttons
    )
    posted = client.chat_postMessage(channel=channel, **payload)
    _decide(deps, asks.record_intro, team_id=team, session_id=booked.session_id, channel=channel, ts=posted["ts"])
    asked = _decide(deps, asks.request_message, team_id=team, match_id=info.match_id)
    if asked.match and asked.match.dm_channel and asked.match.dm_ts:
        # The request message's "Propose a time" would only say it was done: it goes.
        client.chat_update(channel=asked.match.dm_channel, ts=asked.match.dm_ts, **match_views.introduced(info))
    upload_calendar(client, _with_channel(booked, channel, posted["ts"]), info.expert.tz or effective.timezone)


def _with_channel(booked: Meeting, channel: str, ts: str) -> Meeting:
    return replace(booked, channel_id=channel, message_ts=ts)


def register(app: App, deps: Deps) -> None:
    def tz_of(team: str) -> str:
        return deps.workspace(team).timezone

    @app.view(ids.PROPOSE_MODAL)
    def on_pick(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """A free time (or another, or just chat) is picked: it goes to the other person to confirm."""
        team, user = tenant_of(context), body["user"]["id"]
        match_id, offered = views.read_pick_metadata(str(view.get("private_metadata") or ""))
        with deps.db() as session:
            member = Repos(session).members.get(team, user)
        tz = (member.tz if member else None) or tz_of(team)
        picked = read_proposal(view["state"]["values"], tz, utcnow())
        if not isinstance(picked, Proposal):
            ack(response_action="errors", errors=picked)
            return
        change: Change = _decide(
            deps,
            meeting.pick,
            team_id=team,
            match_id=match_id,
            user=user,
            starts_at=picked.starts_at,
            minutes=picked.minutes,
            others=offered,
            now=utcnow(),
            tz=tz_of(team),
        )
        if change.result is Result.CLASH:
            ack(response_action="errors", errors={"when": CLASH})
            return
        ack()
        if change.status is not Status.OK:
            return  # a stale or second submit: the first one's messages stand
        if change.result is Result.BOOKED and change.meeting is not None:
            deps.background.submit(introduce, deps, client, team, change.meeting)
        elif change.result is Result.PROPOSED:
            deps.background.submit(ask_to_confirm, client, team, change)

    def ask_to_confirm(client: WebClient, team: str, change: Change) -> None:
        tz = tz_of(team)
        if change.meeting is not None and change.meeting.channel_id:  # moving: ask in the group DM, both see it
            client.chat_postMessage(channel=change.meeting.channel_id, **views.proposal(change, tz))
            return
        client.chat_postMessage(channel=change.to, **views.proposal(change, tz))
        asked = _decide(deps, asks.request_message, team_id=team, match_id=change.info.match_id if change.info else 0)
        if asked.match and asked.match.dm_channel and asked.match.dm_ts:
            client.chat_update(channel=asked.match.dm_channel, ts=asked.match.dm_ts, **views.proposed(change, tz))

    @app.action(ids.CONFIRM_TIME)
    def on_confirm(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """The other person takes one of the offered times: booked (or moved), once."""
        ack()
        team, user = tenant_of(context), body["user"]["id"]
        match_id, _, stamp = str(action.get("value", "")).partition(":")
        if not (match_id.isdigit() and stamp.isdigit()):
            return
        when = datetime.fromtimestamp(int(stamp), UTC)
        change: Change = _decide(
            deps,
            meeting.confirm,
            team_id=team,
            match_id=int(match_id),
            user=user,
            starts_at=when,
            now=utcnow(),
            tz=tz_of(team),
        )
        if change.status is not Status.OK:
            deps.background.submit(tell, respond, _not_now(change, user))
            return
        deps.background.submit(after_confirm, client, team, body, change)

    def after_confirm(client: WebClient, team: str, body: dict[str, Any], change: Change) -> None:
        tz = tz_of(team)
        if change.result is Result.TAKEN:
            update_clicked(client, body, views.taken(change, tz))
            return
        update_clicked(client, body, views.confirmed(change, tz))
        booked = change.meeting
        assert booked is not None
        if change.result is Result.BOOKED:
            introduce(deps, client, team, booked)
            return
        # Moved: the introduction shows the new time, both read it in the group DM, the calendar follows.
        if booked.channel_id and booked.message_ts:
            effective = deps.workspace(team)
            buttons = views.session_buttons(booked, calendar_link(booked))
            payload = match_views.intro(
                booked.info,
                booked.starts_at,
                booked.minutes,
                effective.timezone,
                effective.kudos_emoji[0],
                buttons=buttons,
            )
            client.chat_update(channel=booked.channel_id, ts=booked.message_ts, **payload)
            client.chat_postMessage(channel=booked.channel_id, **views.moved(booked, tz))
        upload_calendar(client, booked, booked.info.expert.tz or tz)

    @app.action(ids.RESCHEDULE)
    def on_reschedule(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """Either person moves the session (or gives an untimed one a time): back to the free times."""
        ack()
        value = str(action.get("value", ""))
        if not value.isdigit():
            return
        team, user = tenant_of(context), body["user"]["id"]
        plan: Plan = _decide(
            deps, meeting.plan_move, team_id=team, session_id=int(value), user=user, now=utcnow(), tz=tz_of(team)
        )
        if plan.status is Status.OK:
            open_picker(deps, client, body["trigger_id"], plan)
        else:
            deps.background.submit(tell, respond, _not_now(Change(plan.status, info=plan.info), user))

    @app.action(ids.CANCEL_SESSION)
    def on_cancel(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        value = str(action.get("value", ""))
        if not value.isdigit():
            return
        team, user = tenant_of(context), body["user"]["id"]
        plan: Plan = _decide(
            deps, meeting.plan_move, team_id=team, session_id=int(value), user=user, now=utcnow(), tz=tz_of(team)
        )
        if plan.status is Status.OK:
            client.views_open(trigger_id=body["trigger_id"], view=views.cancel_modal(int(value)))
        else:
            deps.background.submit(tell, respond, _not_now(Change(plan.status, info=plan.info), user))

    @app.view(ids.CANCEL_MODAL)
    def on_cancel_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        team, user = tenant_of(context), body["user"]["id"]
        metadata = str(view.get("private_metadata") or "")
        reason = str(((view["state"]["values"].get("reason") or {}).get("value") or {}).get("value") or "").strip()
        change: Change = _decide(
            deps,
            meeting.cancel,
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
            deps.background.submit(after_cancel, client, team, change)

    def after_cancel(client: WebClient, team: str, change: Change) -> None:
        booked = change.meeting
        assert booked is not None
        tz = tz_of(team)
        if booked.channel_id:
            if booked.message_ts:
                client.chat_update(channel=booked.channel_id, ts=booked.message_ts, **views.intro_cancelled(booked))
            client.chat_postMessage(channel=booked.channel_id, **views.cancelled(change, tz))
        upload_calendar(client, booked, booked.info.expert.tz or tz, method="CANCEL")

    @app.action(ids.CALENDAR_LINK)
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
