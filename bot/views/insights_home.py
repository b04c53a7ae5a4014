"""App Home's insights for admins: the dashboard's three numbers, who else may open it, and the field that chooses
them (in the settings modal, or alone for a dashboard admin who is no workspace admin)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, InputBlock, UserMultiSelectElement
from slack_sdk.models.views import View

from bot import ids
from bot.insights.report import Headline
from bot.views.common import button, modal, section
from bot.wire import Verb

MAX_ADMINS = 50


def insights_summary(numbers: Headline, url: str | None, admins: Sequence[str] | None = None) -> Block:
    """Admins' three headline numbers, the way to the dashboard (bot/insights) when it is on, and its admins."""
    where = f"<{url}|Open the insights dashboard>" if url else "The insights dashboard is off (README: Insights)."
    text = (
        "*Learning insights* (admins)\n"
        f"Learners waiting: *{numbers.waiting}* · Median wait: *{numbers.median_wait}* · "
        f"Sessions in the last 30 days: *{numbers.sessions_month}*\n{where}"
    )
    if admins is None:
        return section(text)
    chosen = ", ".join(f"<@{user}>" for user in admins[:MAX_ADMINS]) or "nobody yet"
    text += f"\nDashboard admins, beside the workspace's admins: {chosen}"
    return section(text, button("Dashboard admins", ids.HOME_EDIT_SETTINGS, Verb("dashboard").value))


DASHBOARD_ADMINS_ONLY = "Only admins and dashboard admins can choose them."


def dashboard_admins_field(admins: Sequence[str]) -> InputBlock:
    """Who may open the dashboard beside the workspace's admins and owners."""
    return InputBlock(
        block_id=ids.Field.DASHBOARD_ADMINS,
        label="Dashboard admins",
        hint="They may open the insights dashboard and choose its admins, beside the workspace's admins and owners",
        element=UserMultiSelectElement(
            action_id=ids.INPUT, initial_users=list(admins[:MAX_ADMINS]) or None, max_selected_items=MAX_ADMINS
        ),
        optional=True,
    )


def dashboard_admins_modal(admins: Sequence[str]) -> View:
    """The settings modal as a dashboard admin who is no workspace admin sees it: the dashboard's admins alone."""
    return modal(ids.SETTINGS_MODAL, "Dashboard admins", "Save", [dashboard_admins_field(admins)])
