"""App Home: published when opened and after every change made from it (topics, pause, privacy)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.grammar import Invalid, Teach, parse_teach
from bot.services import home, teaching, workspace
from bot.services.learning import NotATopic
from bot.views.digest import channel_problem
from bot.views.home import add_topics_modal, deleted_view, home_view, read_settings, settings_modal
from bot.views.teaching import unsure_topics
from handlers import ids
from handlers.teach import tell_waiting_learners
from store.models import utcnow
from store.repos import Repos


def register(app: App, deps: Deps) -> None:
    def publish(client: WebClient, team: str, user: str) -> None:
        with deps.sessions.begin() as session:
            repos = Repos(session)
            member = repos.members.get(team, user)
            if member is not None and not member.active:
                return  # a deactivated account: nothing to show, nothing to raise
            chosen = deps.workspace_cache.get(repos, deps.settings, team)
            data = home.home(repos, team_id=team, user_id=user, now=utcnow(), default_tz=chosen.timezone)
            admin = member is not None and member.is_admin
            last = repos.runs.latest(team) if admin else None
        problem = None
        # Shown until a digest gets through or the admin picks another channel.
        if last is not None and last.error and last.channel_id == chosen.learning_channel:
            problem = channel_problem(last.error, last.channel_id or "")
        client.views_publish(user_id=user, view=home_view(data, chosen if admin else None, problem))

    def change(body: dict[str, Any], client: WebClient, fn: Any, **kwargs: Any) -> None:
        """Apply one Home change for the clicking user, then republish their Home."""
        team, user = body["team"]["id"], body["user"]["id"]
        with deps.sessions.begin() as session:
            fn(Repos(session), team_id=team, user_id=user, **kwargs)
        deps.background.submit(publish, client, team, user)

    @app.event(ids.APP_HOME_OPENED)
    def on_home_opened(event: dict[str, Any], context: dict[str, Any], client: WebClient) -> None:
        """Publish a fresh Home tab; the Messages tab needs nothing from us."""
        if event.get("tab", "home") != "home":
            return
        team, user = context["team_id"], event["user"]

        def refresh_and_publish() -> None:
            deps.directory.refresh(client, team, user)
            publish(client, team, user)

        deps.background.submit(refresh_and_publish)

    @app.action(ids.HOME_PAUSE)
    def on_pause(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        change(body, client, teaching.set_paused, paused=action.get("value") == "pause")

    @app.action(ids.HOME_OPT_OUT)
    def on_opt_out(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        change(body, client, home.set_opted_out, opted_out=action.get("value") == "out")

    @app.action(ids.HOME_KUDOS_DM)
    def on_kudos_dm(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        change(body, client, home.set_kudos_dm, enabled=action.get("value") == "on")

    @app.action(ids.HOME_REMOVE_TOPIC)
    def on_remove_topic(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        topic = str(action.get("value", ""))
        change(body, client, teaching.remove_topics, catalog=deps.catalog, topics=[topic])

    @app.action(ids.HOME_DELETE_DATA)
    def on_delete_data(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Confirmed in Slack's own dialog before it reaches us."""
        ack()
        team, user = body["team"]["id"], body["user"]["id"]
        with deps.sessions.begin() as session:
            home.delete_my_data(Repos(session), team_id=team, user_id=user)
        deps.background.submit(client.views_publish, user_id=user, view=deleted_view())

    @app.action(ids.HOME_EDIT_SETTINGS)
    def on_edit_settings(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        chosen = deps.workspace(body["team"]["id"])
        deps.background.submit(client.views_open, trigger_id=body["trigger_id"], view=settings_modal(chosen))

    @app.view(ids.SETTINGS_MODAL)
    def on_settings_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Admins only; bad values are shown next to their field and nothing is saved."""
        team, user = body["team"]["id"], body["user"]["id"]
        form = read_settings(view["state"]["values"])
        errors = workspace.validate(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        with deps.sessions.begin() as session:
            saved = workspace.save(Repos(session), team_id=team, user_id=user, form=form)
        if not saved:
            ack(response_action="errors", errors={"timezone": "Only workspace admins can change these settings."})
            return
        ack()
        deps.workspace_cache.forget(team)
        deps.background.submit(publish, client, team, user)

    @app.action(ids.HOME_ADD_TOPICS)
    def on_add_topics(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.background.submit(client.views_open, trigger_id=body["trigger_id"], view=add_topics_modal())

    @app.view(ids.HOME_ADD_MODAL)
    def on_add_topics_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """The modal speaks /teach's grammar, so its checks (and their wording) are the same."""
        values = view["state"]["values"]
        topics = (values.get("topics", {}).get("value", {}) or {}).get("value") or ""
        level = ((values.get("level", {}).get("value", {}) or {}).get("selected_option") or {}).get("value")
        note = (values.get("note", {}).get("value", {}) or {}).get("value") or ""
        text = topics.replace("--", "—") + (f" level: {level}" if level else "") + (f" -- {note}" if note else "")
        parsed = parse_teach(text)
        if not isinstance(parsed, Teach):
            reason = parsed.reason if isinstance(parsed, Invalid) else "Tell me what you can teach."
            ack(response_action="errors", errors={"topics": reason})
            return
        team, user = body["team"]["id"], body["user"]["id"]
        with deps.sessions.begin() as session:
            result = teaching.offer_topics(
                Repos(session), deps.catalog, team_id=team, user_id=user, command=parsed, ask_first=True
            )
        if isinstance(result, NotATopic) or result.uncertain:
            ack(response_action="errors", errors={"topics": unsure_topics(result)})
            return
        ack()
        deps.background.submit(publish, client, team, user)
        if result.notify:
            deps.background.submit(tell_waiting_learners, client, result.notify, user)
