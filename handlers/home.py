"""App Home: published when opened and after every change made from it (topics, pause, hours, privacy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.calendar.hours import WorkingHours, validate_hours
from bot.deps import Deps, deps_of
from bot.forms import read_add_topics, read_hours, read_settings
from bot.grammar import Teach
from bot.insights.mount import dashboard_url
from bot.services import dashboard_admins, home, teaching, workspace
from bot.services.learning import NotATopic
from bot.slack import outbox
from bot.slack.tenancy import is_org, tenant_of, workspace_of
from bot.views.digest import channel_problem
from bot.views.home import add_topics_modal, deleted_view, home_view, hours_modal, settings_modal
from bot.views.insights_home import dashboard_admins_modal
from bot.views.sessions import colleague_left, withdrawn
from bot.views.teaching import not_a_topic, teach_reply
from handlers.replies import tell_waiting_learners
from store.models import utcnow
from store.repos import Repos


def publish(deps: Deps, client: WebClient, team: str, user: str, here: str | None = None) -> None:
    """`here`: the workspace of an org-wide install the Home is opened in (its digest may be its own)."""
    effective = deps.workspace(team)
    own_digest = here is not None and effective.digest_scope == workspace.WORKSPACE_DIGESTS
    shown = deps.workspace(here) if own_digest and here else effective
    with deps.tx() as repos:
        page = home.page(
            repos,
            team_id=team,
            user_id=user,
            now=utcnow(),
            default_tz=effective.timezone,
            digest_key=here if own_digest and here else team,
        )
    if page is None:
        return  # a deactivated account: nothing to show, nothing to raise
    problem = None
    # Shown until a digest gets through or the admin picks another channel.
    if page.last_error and page.last_channel == shown.learning_channel:
        problem = channel_problem(page.last_error, page.last_channel or "")
    link = dashboard_url(deps.settings)  # the insights dashboard, for admins
    admin = shown if page.admin else None
    view = home_view(page.data, admin, problem, shown.kudos_emoji[0], page.insights, link, page.dashboard_admins)
    outbox.publish(client, team, user, view)


def republish(deps: Deps, client: WebClient, context: BoltContext, user: str) -> None:
    """After a change made from the Home, the clicker sees it there."""
    deps.background.submit(publish, deps, client, tenant_of(context), user, workspace_of(context))


def tell_the_others(client: WebClient, team: str, user: str, left: list[home.Left], tz: str) -> None:
    """Each colleague who loses a session or a request is told; a request still waiting for them is closed."""
    for notice in left:
        if notice.dm_channel and notice.dm_ts:  # an old message may be gone: the DM below still says it
            outbox.update(client, team, notice.dm_channel, notice.dm_ts, **withdrawn(notice, user))
        outbox.post(client, team, notice.user_id, **colleague_left(notice, user, tz))


def on_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Publish a fresh Home tab; the Messages tab needs nothing from us."""
    if event.get("tab", "home") != "home":
        return
    deps = deps_of(context)
    deps.background.submit(refresh_and_publish, deps, client, tenant_of(context), event["user"], workspace_of(context))


def refresh_and_publish(deps: Deps, client: WebClient, team: str, user: str, here: str | None) -> None:
    """Their name, timezone and admin rights from Slack first (cached), then the Home built with them."""
    deps.directory.refresh(client, team, user)
    publish(deps, client, team, user, here)


def on_pause(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    with deps.tx() as repos:
        result = teaching.set_paused(repos, team_id=team, user_id=user, paused=action.get("value") == "pause")
    republish(deps, client, context, user)
    if result.notify:
        deps.background.submit(tell_waiting_learners, client, team, result.notify, user, back=True)


# A change to one's own Home, made in the click's transaction: (repos, deps, tenant, user, the button's value).
HomeChange = Callable[[Repos, Deps, str, str, str], object]


def _change_own_home(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext, change: HomeChange
) -> None:
    """Apply one change for the clicking user, then show them their Home with it."""
    deps, user = deps_of(context), body["user"]["id"]
    with deps.tx() as repos:
        change(repos, deps, tenant_of(context), user, str(action.get("value", "")))
    republish(deps, client, context, user)


def on_opt_out(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    _change_own_home(body, action, client, context, _opt_out)


def on_kudos_dm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    _change_own_home(body, action, client, context, _kudos_dm)


def on_remove_topic(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    _change_own_home(body, action, client, context, _remove_topic)


def on_default_hours(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    _change_own_home(body, action, client, context, _default_hours)


def _opt_out(repos: Repos, deps: Deps, team: str, user: str, value: str) -> None:
    home.set_opted_out(repos, team_id=team, user_id=user, opted_out=value == "out")


def _kudos_dm(repos: Repos, deps: Deps, team: str, user: str, value: str) -> None:
    home.set_kudos_dm(repos, team_id=team, user_id=user, enabled=value == "on")


def _remove_topic(repos: Repos, deps: Deps, team: str, user: str, value: str) -> None:
    teaching.remove_topics(repos, deps.catalog, team_id=team, user_id=user, topics=[value])


def _default_hours(repos: Repos, deps: Deps, team: str, user: str, value: str) -> None:
    home.set_working_hours(repos, team_id=team, user_id=user, hours=None)


def on_edit_hours(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    default_tz = deps.workspace(team).timezone
    with deps.tx() as repos:
        mine = home.my_hours(repos, team_id=team, user_id=user, default_tz=default_tz)
    deps.background.submit(outbox.open_view, client, team, body["trigger_id"], hours_modal(mine.hours, mine.tz))


def on_hours_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Wrong hours are shown beside their field and nothing is saved. A retried or double submit saves the
    same hours again, which changes nothing."""
    form = read_hours(view["state"]["values"])
    errors = validate_hours(form.days, form.start, form.end)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    hours = WorkingHours.from_form(form.days, form.start, form.end)
    deps, user = deps_of(context), body["user"]["id"]
    with deps.tx() as repos:
        home.set_working_hours(repos, team_id=tenant_of(context), user_id=user, hours=hours)
    ack()
    republish(deps, client, context, user)


def on_delete_data(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Confirmed in Slack's own dialog before it reaches us."""
    ack()
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    with deps.tx() as repos:
        left = home.delete_my_data(repos, team_id=team, user_id=user, now=utcnow())
    deps.background.submit(outbox.publish, client, team, user, deleted_view())
    if left:
        deps.background.submit(tell_the_others, client, team, user, left, deps.workspace(team).timezone)


def on_edit_settings(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps, team, here = deps_of(context), tenant_of(context), workspace_of(context)
    with deps.tx() as repos:
        rights = dashboard_admins.access(repos, team_id=team, user_id=body["user"]["id"])
    # In an org-wide install the form also holds this workspace's own digest channel and timezone.
    own = deps.workspace(here) if is_org(team) and here and here != team else None
    view = settings_modal(deps.workspace(team), own, rights.admins)
    if rights.dashboard_admin and not rights.workspace_admin:
        view = dashboard_admins_modal(rights.admins)
    deps.background.submit(outbox.open_view, client, team, body["trigger_id"], view)


def on_settings_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Admins only; bad values are shown next to their field and nothing is saved."""
    deps, team, user, here = deps_of(context), tenant_of(context), body["user"]["id"], workspace_of(context)
    form = read_settings(view["state"]["values"])
    errors = workspace.validate(form)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    with deps.tx() as repos:
        saved = workspace.save(repos, team_id=team, user_id=user, form=form, workspace_id=here)
    if not saved:
        refused = {"timezone": "Only workspace admins can change these settings."}
        if not form.full:
            refused = {"dashboard_admins": "Only admins and dashboard admins can choose them."}
        ack(response_action="errors", errors=refused)
        return
    ack()
    deps.workspace_cache.forget(team)
    if here:
        deps.workspace_cache.forget(here)
    deps.background.submit(publish, deps, client, team, user, here)


def on_add_topics(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps = deps_of(context)
    deps.background.submit(outbox.open_view, client, tenant_of(context), body["trigger_id"], add_topics_modal())


def on_add_topics_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The form's topics are saved as /teach's are, at once; a "did you mean…?" for one it is unsure of comes
    as a DM with its buttons, since a closed form has none."""
    parsed = read_add_topics(view["state"]["values"])
    if not isinstance(parsed, Teach):
        ack(response_action="errors", errors=parsed)
        return
    deps, team, user = deps_of(context), tenant_of(context), body["user"]["id"]
    with deps.tx() as repos:
        result = teaching.offer_topics(repos, deps.catalog, team_id=team, user_id=user, command=parsed)
    if isinstance(result, NotATopic):
        ack(response_action="errors", errors={"topics": not_a_topic(result)})
        return
    ack()
    republish(deps, client, context, user)
    if result.uncertain:
        dm = {k: v for k, v in teach_reply(result).items() if k != "response_type"}  # a DM, not a reply
        deps.background.submit(outbox.post, client, team, user, **dm)
    if result.notify:
        deps.background.submit(tell_waiting_learners, client, team, result.notify, user)


def register(app: App) -> None:
    app.event(ids.APP_HOME_OPENED)(on_home_opened)
    app.action(ids.HOME_PAUSE)(on_pause)
    app.action(ids.HOME_OPT_OUT)(on_opt_out)
    app.action(ids.HOME_KUDOS_DM)(on_kudos_dm)
    app.action(ids.HOME_REMOVE_TOPIC)(on_remove_topic)
    app.action(ids.HOME_EDIT_HOURS)(on_edit_hours)
    app.view(ids.HOURS_MODAL)(on_hours_submit)
    app.action(ids.HOME_DEFAULT_HOURS)(on_default_hours)
    app.action(ids.HOME_DELETE_DATA)(on_delete_data)
    app.action(ids.HOME_EDIT_SETTINGS)(on_edit_settings)
    app.view(ids.SETTINGS_MODAL)(on_settings_submit)
    app.action(ids.HOME_ADD_TOPICS)(on_add_topics)
    app.view(ids.HOME_ADD_MODAL)(on_add_topics_submit)
