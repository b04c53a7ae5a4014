"""App Home: published when opened and after every change made from it (topics, pause, hours, privacy)."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.calendar.availability import WorkingHours, validate_hours
from bot.deps import Deps
from bot.forms import read_add_topics
from bot.grammar import Teach
from bot.services import home, teaching, workspace
from bot.services.learning import NotATopic
from bot.slack.tenancy import is_org, tenant_of, workspace_of
from bot.views.digest import channel_problem
from bot.views.home import (
    add_topics_modal,
    deleted_view,
    home_view,
    hours_modal,
    read_hours,
    read_settings,
    settings_modal,
)
from bot.views.sessions import colleague_left, withdrawn
from bot.views.teaching import unsure_topics
from handlers.teach import tell_waiting_learners
from store.models import utcnow
from store.repos import Repos

logger = logging.getLogger(__name__)


def tell_the_others(client: WebClient, user: str, left: list[home.Left], tz: str) -> None:
    """Each colleague who loses a session or a request is told; a request still waiting for them is closed."""
    for notice in left:
        if notice.dm_channel and notice.dm_ts:
            with contextlib.suppress(SlackApiError):  # an old message may be gone: the DM below still says it
                client.chat_update(channel=notice.dm_channel, ts=notice.dm_ts, **withdrawn(notice, user))
        try:
            client.chat_postMessage(channel=notice.user_id, **colleague_left(notice, user, tz))
        except SlackApiError as exc:
            logger.warning("could not tell a colleague their session is off: %s", exc.response.get("error"))


def register(app: App, deps: Deps) -> None:
    def publish(client: WebClient, team: str, user: str, here: str | None = None) -> None:
        """`here`: the workspace of an org-wide install the Home is opened in (its digest may be its own)."""
        with deps.db.begin() as session:
            repos = Repos(session)
            member = repos.members.get(team, user)
            if member is not None and not member.active:
                return  # a deactivated account: nothing to show, nothing to raise
            effective = deps.workspace_cache.get(repos, deps.settings, team)
            data = home.home(repos, team_id=team, user_id=user, now=utcnow(), default_tz=effective.timezone)
            admin = member is not None and member.is_admin
            own_digest = here is not None and effective.digest_scope == workspace.WORKSPACE_DIGESTS
            if own_digest and here is not None:
                effective = deps.workspace_cache.get(repos, deps.settings, here)
            last = repos.runs.latest(here if own_digest and here else team) if admin else None
        problem = None
        # Shown until a digest gets through or the admin picks another channel.
        if last is not None and last.error and last.channel_id == effective.learning_channel:
            problem = channel_problem(last.error, last.channel_id or "")
        view = home_view(data, effective if admin else None, problem, effective.kudos_emoji[0])
        client.views_publish(user_id=user, view=view)

    def change(body: dict[str, Any], context: BoltContext, client: WebClient, fn: Any, **kwargs: Any) -> None:
        """Apply one Home change for the clicking user, then republish their Home."""
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            fn(Repos(session), team_id=team, user_id=user, **kwargs)
        deps.background.submit(publish, client, team, user, workspace_of(context))

    @app.event(ids.APP_HOME_OPENED)
    def on_home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Publish a fresh Home tab; the Messages tab needs nothing from us."""
        if event.get("tab", "home") != "home":
            return
        team, user, here = tenant_of(context), event["user"], workspace_of(context)

        def refresh_and_publish() -> None:
            deps.directory.refresh(client, team, user)
            publish(client, team, user, here)

        deps.background.submit(refresh_and_publish)

    @app.action(ids.HOME_PAUSE)
    def on_pause(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            paused = action.get("value") == "pause"
            result = teaching.set_paused(Repos(session), team_id=team, user_id=user, paused=paused)
        deps.background.submit(publish, client, team, user, workspace_of(context))
        if result.notify:
            deps.background.submit(tell_waiting_learners, client, result.notify, user, back=True)

    @app.action(ids.HOME_OPT_OUT)
    def on_opt_out(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        change(body, context, client, home.set_opted_out, opted_out=action.get("value") == "out")

    @app.action(ids.HOME_KUDOS_DM)
    def on_kudos_dm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        change(body, context, client, home.set_kudos_dm, enabled=action.get("value") == "on")

    @app.action(ids.HOME_REMOVE_TOPIC)
    def on_remove_topic(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        topic = str(action.get("value", ""))
        change(body, context, client, teaching.remove_topics, catalog=deps.catalog, topics=[topic])

    @app.action(ids.HOME_EDIT_HOURS)
    def on_edit_hours(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        team, user = tenant_of(context), body["user"]["id"]
        default_tz = deps.workspace(team).timezone
        with deps.db() as session:
            mine = home.my_hours(Repos(session), team_id=team, user_id=user, default_tz=default_tz)
        view = hours_modal(mine.hours, mine.tz)
        deps.background.submit(client.views_open, trigger_id=body["trigger_id"], view=view)

    @app.view(ids.HOURS_MODAL)
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
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            home.set_working_hours(Repos(session), team_id=team, user_id=user, hours=hours)
        ack()
        deps.background.submit(publish, client, team, user, workspace_of(context))

    @app.action(ids.HOME_DEFAULT_HOURS)
    def on_default_hours(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        change(body, context, client, home.set_working_hours, hours=None)

    @app.action(ids.HOME_DELETE_DATA)
    def on_delete_data(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Confirmed in Slack's own dialog before it reaches us."""
        ack()
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            left = home.delete_my_data(Repos(session), team_id=team, user_id=user, now=utcnow())
        deps.background.submit(client.views_publish, user_id=user, view=deleted_view())
        if left:
            deps.background.submit(tell_the_others, client, user, left, deps.workspace(team).timezone)

    @app.action(ids.HOME_EDIT_SETTINGS)
    def on_edit_settings(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        team, here = tenant_of(context), workspace_of(context)
        # In an org-wide install the form also holds this workspace's own digest channel and timezone.
        own = deps.workspace(here) if is_org(team) and here and here != team else None
        view = settings_modal(deps.workspace(team), own)
        deps.background.submit(client.views_open, trigger_id=body["trigger_id"], view=view)

    @app.view(ids.SETTINGS_MODAL)
    def on_settings_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Admins only; bad values are shown next to their field and nothing is saved."""
        team, user, here = tenant_of(context), body["user"]["id"], workspace_of(context)
        form = read_settings(view["state"]["values"])
        errors = workspace.validate(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        with deps.db.begin() as session:
            saved = workspace.save(Repos(session), team_id=team, user_id=user, form=form, workspace_id=here)
        if not saved:
            ack(response_action="errors", errors={"timezone": "Only workspace admins can change these settings."})
            return
        ack()
        deps.workspace_cache.forget(team)
        if here:
            deps.workspace_cache.forget(here)
        deps.background.submit(publish, client, team, user, here)

    @app.action(ids.HOME_ADD_TOPICS)
    def on_add_topics(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.background.submit(client.views_open, trigger_id=body["trigger_id"], view=add_topics_modal())

    @app.view(ids.HOME_ADD_MODAL)
    def on_add_topics_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """The form's topics are checked as /teach's are, and unsure ones asked about beside the field."""
        parsed = read_add_topics(view["state"]["values"])
        if not isinstance(parsed, Teach):
            ack(response_action="errors", errors=parsed)
            return
        team, user = tenant_of(context), body["user"]["id"]
        with deps.db.begin() as session:
            result = teaching.offer_topics(
                Repos(session), deps.catalog, team_id=team, user_id=user, command=parsed, ask_first=True
            )
        if isinstance(result, NotATopic) or result.uncertain:
            ack(response_action="errors", errors={"topics": unsure_topics(result)})
            return
        ack()
        deps.background.submit(publish, client, team, user, workspace_of(context))
        if result.notify:
            deps.background.submit(tell_waiting_learners, client, result.notify, user)
