"""The free-times modal: the next free times for both people, from Slack's timezones and do-not-disturb hours.

Without Slack's do-not-disturb answer (bot/slack/dnd.py) the times still respect working hours and sessions, and
the modal says so. Opened first after a click: Slack's trigger lasts three seconds.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.context import Ctx
from bot.services import meeting
from bot.services.meeting import Plan
from bot.views import meeting as views


def open_picker(ctx: Ctx, trigger_id: str, plan: Plan) -> None:
    """Find the free times for both and open the modal that offers them."""
    dnd = ctx.deps.dnd.read(ctx.client, {plan.user: plan.me.tz, plan.other_user: plan.other.tz}, ctx.now)
    found = meeting.free_times(plan, dnd, ctx.now)
    today = ctx.now.astimezone(ZoneInfo(plan.me.tz)).date()
    ctx.outbox.open_view(trigger_id, views.pick_modal(plan, found, plan.me.tz, today, dnd_known=dnd is not None))
