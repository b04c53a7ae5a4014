"""The free-times modal: the next free times for both people, from Slack's timezones and do-not-disturb hours.

`dnd.info` gets a second at most; without it the times still respect working hours and sessions, and the modal
says so. Opened first after a click: Slack's trigger lasts three seconds.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.calendar import availability
from bot.context import Ctx
from bot.forms import DEFAULT_SESSION_LENGTH
from bot.services import meeting
from bot.services.meeting import Plan
from bot.views import meeting as views

logger = logging.getLogger(__name__)

DND_BUDGET = 1  # seconds the accept flow may wait for Slack's do-not-disturb answers


def read_dnd(
    slack: WebClient, users: list[str], tz: dict[str, str], now: datetime
) -> dict[str, list[availability.Interval]] | None:
    """Each person's do-not-disturb hours, or None when Slack did not answer within the budget.

    A client of its own, without retries: a 429 (or a slow Slack) must not hold up a modal Slack closes after
    three seconds.
    """
    client = WebClient(token=slack.token, base_url=slack.base_url, timeout=DND_BUDGET)
    pool = ThreadPoolExecutor(max_workers=len(users), thread_name_prefix="peerlearn-dnd")
    futures = {user: pool.submit(client.dnd_info, user=user) for user in users}
    done, _ = wait(futures.values(), timeout=DND_BUDGET)
    pool.shutdown(wait=False, cancel_futures=True)
    found: dict[str, list[availability.Interval]] = {}
    for user, future in futures.items():
        if future not in done or future.exception() is not None:
            problem = "timeout" if future not in done else type(future.exception()).__name__
            logger.info("dnd.info unavailable (%s): proposing times without it", problem)
            return None
        found[user] = availability.dnd_intervals(future.result().data, tz=tz[user], now=now)  # type: ignore[arg-type]
    return found


def open_picker(ctx: Ctx, trigger_id: str, plan: Plan) -> None:
    """Find the free times for both and open the modal that offers them."""
    assert plan.info is not None and plan.me is not None and plan.other is not None
    me_user = plan.info.expert.user_id if plan.other_user == plan.info.learner.user_id else plan.info.learner.user_id
    now = ctx.now
    dnd = read_dnd(ctx.client, [me_user, plan.other_user], {me_user: plan.me.tz, plan.other_user: plan.other.tz}, now)
    me, other = plan.me, plan.other
    if dnd is not None:
        me, other = meeting.with_dnd(me, dnd[me_user]), meeting.with_dnd(other, dnd[plan.other_user])
    # Free for as long as the session lasts: a moved session keeps its length.
    length = timedelta(minutes=plan.minutes or DEFAULT_SESSION_LENGTH)
    found = availability.propose(me, other, length=length, now=now)
    today = now.astimezone(ZoneInfo(me.tz)).date()
    view = views.pick_modal(plan, found, me.tz, today, dnd_known=dnd is not None)
    ctx.outbox.open_view(trigger_id, view)
