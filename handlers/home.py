"""App Home: published when opened and after every change made from it (topics, pause, hours, privacy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.calendar.hours import WorkingHours, validate_hours
from bot.context import Ctx
from bot.forms import read_add_topics, read_hours, read_settings
from bot.grammar import Teach
from bot.insights.mount import dashboard_url
from bot.services import dashboard_admins, home, teaching, workspace
from bot.services.learning import NotATopic
from bot.services.scope import Scope
from bot.slack.tenancy import is_org
from bot.views.digest import channel_problem
from bot.views.home import ADMINS_ONLY, add_topics_modal, deleted_view, home_view, hours_modal, settings_modal
from bot.views.insights_home import DASHBOARD_ADMINS_ONLY, dashboard_admins_modal
from bot.views.sessions import colleague_left, withdrawn
from bot.views.teaching import not_a_topic, teach_reply
from bot.wire import KudosDmValue, OptOutValue, PauseValue, TopicValue
from handlers.decoding import decoded
from handlers.replies import tell_waiting_learners


def publish(ctx: Ctx) -> None:
    """The requester's Home. In an org-wide install it is opened in one workspace, whose digest may be its own."""
    team, here, effective = ctx.team, ctx.workspace_id, ctx.settings
    own_digest = here is not None and effective.digest_scope == workspace.WORKSPACE_DIGESTS
    shown = ctx.deps.workspace(here) if own_digest and here else effective
    with ctx.tx() as scope:
        page = home.page(scope, default_tz=effective.timezone, digest_key=here if own_digest and here else team)
    if page is None:
        return  # a deactivated account: nothing to show, nothing to raise
    problem = None
    # Shown until a digest gets through or the admin picks another channel.
    if page.last_error and page.last_channel == shown.learning_channel:
        problem = channel_problem(page.last_error, page.last_channel or "")
    link = dashboard_url(ctx.deps.settings)  # the insights dashboard, for admins
    admin = shown if page.admin else None
    view = home_view(page.data, admin, problem, shown.kudos_emoji[0], page.insights, link, page.dashboard_admins)
    ctx.outbox.publish(ctx.user, view)


def republish(ctx: Ctx) -> None:
    """After a change made from the Home, the clicker sees it there."""
    ctx.background.submit(publish, ctx)


def tell_the_others(ctx: Ctx, left: list[home.Left], tz: str) -> None:
    """Each colleague who loses a session or a request is told; a request still waiting for them is closed."""
    for notice in left:
        if notice.dm_channel and notice.dm_ts:  # an old message may be gone: the DM below still says it
            ctx.outbox.update(notice.dm_channel, notice.dm_ts, **withdrawn(notice, ctx.user))
        ctx.outbox.post(notice.user_id, **colleague_left(notice, ctx.user, tz))


def on_home_opened(event: dict[str, Any], ctx: Ctx) -> None:
    """Publish a fresh Home tab; the Messages tab needs nothing from us."""
    if event.get("tab", "home") != "home":
        return
    ctx.background.submit(refresh_and_publish, ctx)


def refresh_and_publish(ctx: Ctx) -> None:
    """Their name, timezone and admin rights from Slack first (cached), then the Home built with them."""
    ctx.directory.refresh(ctx.client, ctx.team, ctx.user)
    publish(ctx)


def on_pause(ack: Ack, value: PauseValue, ctx: Ctx) -> None:
    ack()
    with ctx.tx() as scope:
        result = teaching.set_paused(scope, paused=value.on)
    republish(ctx)
    if result.notify:
        ctx.background.submit(tell_waiting_learners, ctx, result.notify, back=True)


def _change_own_home(ctx: Ctx, change: Callable[[Scope], object]) -> None:
    """Apply one change for the clicking user, in the click's transaction, then show them their Home with it."""
    with ctx.tx() as scope:
        change(scope)
    republish(ctx)


def on_opt_out(ack: Ack, value: OptOutValue, ctx: Ctx) -> None:
    ack()
    _change_own_home(ctx, lambda scope: home.set_opted_out(scope, opted_out=value.on))


def on_kudos_dm(ack: Ack, value: KudosDmValue, ctx: Ctx) -> None:
    ack()
    _change_own_home(ctx, lambda scope: home.set_kudos_dm(scope, enabled=value.on))


def on_remove_topic(ack: Ack, value: TopicValue, ctx: Ctx) -> None:
    ack()
    _change_own_home(ctx, lambda scope: teaching.remove_topics(scope, topics=[value.topic]))


def on_default_hours(ack: Ack, ctx: Ctx) -> None:
    ack()
    _change_own_home(ctx, lambda scope: home.set_working_hours(scope, hours=None))


def on_edit_hours(ack: Ack, body: dict[str, Any], ctx: Ctx) -> None:
    ack()
    with ctx.tx() as scope:
        mine = home.my_hours(scope, default_tz=ctx.settings.timezone)
    ctx.background.submit(ctx.outbox.open_view, body["trigger_id"], hours_modal(mine.hours, mine.tz))


def on_hours_submit(ack: Ack, view: dict[str, Any], ctx: Ctx) -> None:
    """Wrong hours are shown beside their field and nothing is saved. A retried or double submit saves the
    same hours again, which changes nothing."""
    form = read_hours(view["state"]["values"])
    errors = validate_hours(form.days, form.start, form.end)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    hours = WorkingHours.from_form(form.days, form.start, form.end)
    with ctx.tx() as scope:
        home.set_working_hours(scope, hours=hours)
    ack()
    republish(ctx)


def on_delete_data(ack: Ack, ctx: Ctx) -> None:
    """Confirmed in Slack's own dialog before it reaches us."""
    ack()
    with ctx.tx() as scope:
        left = home.delete_my_data(scope)
    ctx.background.submit(ctx.outbox.publish, ctx.user, deleted_view())
    if left:
        ctx.background.submit(tell_the_others, ctx, left, ctx.settings.timezone)


def on_edit_settings(ack: Ack, body: dict[str, Any], ctx: Ctx) -> None:
    ack()
    team, here = ctx.team, ctx.workspace_id
    with ctx.tx() as scope:
        rights = dashboard_admins.access(scope)
    # In an org-wide install the form also holds this workspace's own digest channel and timezone.
    own = ctx.deps.workspace(here) if is_org(team) and here and here != team else None
    view = settings_modal(ctx.settings, own, rights.admins)
    if rights.dashboard_admin and not rights.workspace_admin:
        view = dashboard_admins_modal(rights.admins)
    ctx.background.submit(ctx.outbox.open_view, body["trigger_id"], view)


def on_settings_submit(ack: Ack, view: dict[str, Any], ctx: Ctx) -> None:
    """Admins only; bad values are shown next to their field and nothing is saved."""
    team, here = ctx.team, ctx.workspace_id
    form = read_settings(view["state"]["values"])
    errors = workspace.validate(form)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    with ctx.tx() as scope:
        saved = workspace.save(scope, form, workspace_id=here)
    if not saved:
        refused = {ids.Field.TIMEZONE: ADMINS_ONLY}
        if not form.full:
            refused = {ids.Field.DASHBOARD_ADMINS: DASHBOARD_ADMINS_ONLY}
        ack(response_action="errors", errors=refused)
        return
    ack()
    ctx.deps.workspace_cache.forget(team)
    if here:
        ctx.deps.workspace_cache.forget(here)
    ctx.background.submit(publish, ctx)  # this request read no settings before: the Home shows the new ones


def on_add_topics(ack: Ack, body: dict[str, Any], ctx: Ctx) -> None:
    ack()
    ctx.background.submit(ctx.outbox.open_view, body["trigger_id"], add_topics_modal())


def on_add_topics_submit(ack: Ack, view: dict[str, Any], ctx: Ctx) -> None:
    """The form's topics are saved as /teach's are, at once; a "did you mean…?" for one it is unsure of comes
    as a DM with its buttons, since a closed form has none."""
    parsed = read_add_topics(view["state"]["values"])
    if not isinstance(parsed, Teach):
        ack(response_action="errors", errors=parsed)
        return
    with ctx.tx() as scope:
        result = teaching.offer_topics(scope, command=parsed)
    if isinstance(result, NotATopic):
        ack(response_action="errors", errors={ids.Field.TOPICS: not_a_topic(result)})
        return
    ack()
    republish(ctx)
    if result.uncertain:
        dm = {k: v for k, v in teach_reply(result).items() if k != "response_type"}  # a DM, not a reply
        ctx.background.submit(ctx.outbox.post, ctx.user, **dm)
    if result.notify:
        ctx.background.submit(tell_waiting_learners, ctx, result.notify)


def register(app: App) -> None:
    app.event(ids.APP_HOME_OPENED)(on_home_opened)
    app.action(ids.HOME_PAUSE, middleware=[decoded(PauseValue)])(on_pause)
    app.action(ids.HOME_OPT_OUT, middleware=[decoded(OptOutValue)])(on_opt_out)
    app.action(ids.HOME_KUDOS_DM, middleware=[decoded(KudosDmValue)])(on_kudos_dm)
    app.action(ids.HOME_REMOVE_TOPIC, middleware=[decoded(TopicValue)])(on_remove_topic)
    app.action(ids.HOME_EDIT_HOURS)(on_edit_hours)
    app.view(ids.HOURS_MODAL)(on_hours_submit)
    app.action(ids.HOME_DEFAULT_HOURS)(on_default_hours)
    app.action(ids.HOME_DELETE_DATA)(on_delete_data)
    app.action(ids.HOME_EDIT_SETTINGS)(on_edit_settings)
    app.view(ids.SETTINGS_MODAL)(on_settings_submit)
    app.action(ids.HOME_ADD_TOPICS)(on_add_topics)
    app.view(ids.HOME_ADD_MODAL)(on_add_topics_submit)
