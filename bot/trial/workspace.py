"""The trial's Slack side: a fake Slack on this machine, the real app on it, and the seeded colleagues."""

from __future__ import annotations

import json
import secrets
from typing import Any

from slack_bolt import App, BoltRequest

from bot.app import build_app
from bot.config import Settings
from bot.deps import Deps
from bot.services.reconcile import reconcile_all
from bot.slack.payloads import command_body, sign
from bot.trial import clock
from bot.trial.cast import COLLEAGUES, LEARNING, NAME_MAX, plain_name, user_id
from bot.trial.fakeslack import FakeSlack
from store.migrate import upgrade
from store.repos import Repos

NEWCOMER_TZ = "Europe/London"  # the zone Slack gives a name the trial has not seen before


class TrialWorkspace:
    """One workspace: every request is signed as Slack signs it and handled by the real app."""

    def __init__(self, settings: Settings, *, database_url: str) -> None:
        self.fake = FakeSlack().start()
        self.settings = settings.model_copy(
            update={
                "slack_api_url": self.fake.api_url,
                "slack_bot_token": "xoxb-console-trial",
                "slack_signing_secret": secrets.token_hex(16),
                "slack_app_token": None,
                "database_url": database_url,
                # The trial's #learning: where the scheduler posts the digest and group slots.
                "learning_channel": settings.learning_channel or LEARNING,
            }
        )
        self.deps = Deps.from_settings(self.settings)
        upgrade(self.deps.engine)
        clock.resume(self.deps)  # a restarted trial goes on from where its clock reached, before anything happens
        reconcile_all(self.deps.db, self.deps.catalog)
        self.app: App = build_app(self.settings, self.deps)
        self.team = self.fake.team_id
        self._seed()

    def dispatch(self, body: str) -> dict[str, Any] | None:
        """Send a request body to the app, signed; its JSON answer (an ack's body), if any."""
        signed = sign(self.settings.slack_signing_secret or "", body)
        response = self.app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
        if refused := self.fake.check_ack(response.body or ""):  # Slack would show an error, not this answer
            print(f"⚠ Slack refused peerlearn's answer: {'; '.join(refused)}")
            return None
        if response.body and response.body.startswith("{"):
            return dict(json.loads(response.body))
        return None

    def become(self, name: str) -> str:
        """The user id of `name`; a new name joins the workspace."""
        user = user_id(name)
        if user not in self.fake.users:
            self.fake.add_user(user, name.strip().title(), tz=NEWCOMER_TZ)
        return user

    def switch(self, me: str, typed: str) -> tuple[str, str]:
        """`/as NAME [admin]`: who is typing now, and the line that says so (or why not)."""
        parts = typed.split()
        if not parts:
            return me, "Who? Try `/as priya`, or `/as sam admin` to be a workspace admin."
        if not plain_name(parts[0]):
            return me, f"`/as` takes a plain name: letters and digits, up to {NAME_MAX} characters (`/as priya`)."
        user = self.become(parts[0])
        admin = parts[1:2] == ["admin"] and self.make_admin(user)
        return user, f"You are now @{self.name_of(user)}" + (", a workspace admin." if admin else ".")

    def make_admin(self, user: str) -> bool:
        """Make this person a workspace admin, as Slack would tell peerlearn (users.info)."""
        person = self.fake.users[user]
        person.is_admin = True
        self.deps.directory.apply(self.team, person.as_slack(self.team))
        return True

    def name_of(self, user: str) -> str:
        person = self.fake.users.get(user)
        return person.name if person else user

    def tz_of(self, user: str) -> str:
        """The person's timezone as Slack knows it (the workspace's for someone unknown)."""
        person = self.fake.users.get(user)
        return person.tz if person else self.deps.workspace(self.team).timezone

    def close(self) -> None:
        self.deps.background.wait_idle()
        clock.remember(self.deps)  # the time reached, so the next start in this folder goes on from it
        self.deps.close()
        self.fake.stop()

    def _seed(self) -> None:
        for colleague in COLLEAGUES:
            self.fake.add_user(user_id(colleague.name), colleague.name, tz=colleague.tz)
        with self.deps.db.begin() as db:
            member = Repos(db).members.get(self.team, user_id(COLLEAGUES[0].name))
        if member is not None:
            return  # seeded on an earlier run: keep what the trial user did since
        for colleague in COLLEAGUES:
            user = user_id(colleague.name)
            self.dispatch(command_body("/teach", colleague.teaches, team_id=self.team, user_id=user))
            for topic in colleague.wants:
                self.dispatch(command_body("/learn", topic, team_id=self.team, user_id=user))
        self.deps.background.wait_idle()
