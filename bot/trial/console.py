"""`peerlearn console`: try peerlearn in a terminal, against an in-process fake Slack.

Every line you type becomes the signed request Slack would send; the real app handles it; what Slack would
show (ephemeral replies, DMs, the Home tab) is printed as text (bot/trial/screen.py).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import secrets
import sys
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest

from bot.app import build_app
from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs.digest import Posted, post
from bot.ops.logs import console_log_note
from bot.services.reconcile import reconcile_all
from bot.services.workspace import DigestTarget
from bot.slack.payloads import block_actions, command_body, event_body, interaction_body, sign, view_submission
from bot.trial import clock, forms, prompt
from bot.trial.cast import COLLEAGUES, user_id
from bot.trial.fakeslack import FakeSlack
from bot.trial.screen import Screen
from store.migrate import upgrade
from store.models import utcnow
from store.repos import Repos

HELP = """Type what you would type in Slack:
  /learn TOPIC            say what you want to learn; see who can teach it    (/learn alone: your needs)
  /learn done TOPIC       close a need  ·  /learn cancel TOPIC
  /teach TOPIC, TOPIC     offer what you can teach (add `level: expert` or ` -- a note`)
  /teach                  your topics  ·  /teach remove TOPIC  ·  /teach pause  ·  /teach resume
  /say TEXT               post a message in #general (it gets an id like m1)
  :react EMOJI m1         react to message m1 (:mortar_board: gives kudos) · :unreact EMOJI m1
  /home                   open peerlearn's App Home tab
  /digest                 post this week's digest in #learning, as the scheduler would on its day
  /time +2d               move the clock ahead (+30m, +2h, +2d, +1w): reminders, follow-ups, re-routing,
                          group slots and the digest happen as they fall due
  N  (or /click N)        press button [N] — buttons in someone else's DM need `/as THEM` first
  /as NAME                become someone else (a new name joins the workspace)
  /as NAME admin          …as a workspace admin (App Home then shows the workspace settings)
  /who                    who is in this workspace
  help  ·  quit           (arrow keys edit and recall earlier lines)"""


class Console:
    """The REPL: a fake Slack, the real app, and a screen."""

    def __init__(self, settings: Settings, *, database_url: str, me: str = "you") -> None:
        self.fake = FakeSlack().start()
        secret = secrets.token_hex(16)
        self.settings = settings.model_copy(
            update={
                "slack_api_url": self.fake.api_url,
                "slack_bot_token": "xoxb-console-trial",
                "slack_signing_secret": secret,
                "slack_app_token": None,
                "database_url": database_url,
                # The trial's #learning: where the scheduler posts the digest and group slots.
                "learning_channel": settings.learning_channel or "C0LEARNING",
            }
        )
        self.deps = Deps.from_settings(self.settings)
        upgrade(self.deps.engine)
        reconcile_all(self.deps.db, self.deps.catalog)
        self.app: App = build_app(self.settings, self.deps)
        self.screen = Screen(self.fake, self._name_of, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        self.team = self.fake.team_id
        self.messages: dict[str, tuple[str, str]] = {}  # console message id → (author, ts)
        self._events = 0
        self._seed()
        self.me = self._become(me)

    # -- people --------------------------------------------------------------------------------------------
    def _become(self, name: str) -> str:
        user = user_id(name)
        if user not in self.fake.users:
            self.fake.add_user(user, name.strip().title(), tz="Europe/London")
        return user

    def _make_admin(self, user_id: str) -> bool:
        """Make this person a workspace admin, as Slack would tell peerlearn (users.info)."""
        user = self.fake.users[user_id]
        user.is_admin = True
        self.deps.directory.apply(self.team, user.as_slack(self.team))
        return True

    def _name_of(self, user_id: str) -> str:
        user = self.fake.users.get(user_id)
        return user.name if user else user_id

    def _seed(self) -> None:
        for colleague in COLLEAGUES:
            self.fake.add_user(user_id(colleague.name), colleague.name, tz=colleague.tz)
        with self.deps.db.begin() as db:
            member = Repos(db).members.get(self.team, user_id(COLLEAGUES[0].name))
        if member is not None:
            return  # seeded on an earlier run: keep what the trial user did since
        for colleague in COLLEAGUES:
            user = user_id(colleague.name)
            self._dispatch(command_body("/teach", colleague.teaches, team_id=self.team, user_id=user))
            for topic in colleague.wants:
                self._dispatch(command_body("/learn", topic, team_id=self.team, user_id=user))
        self.deps.background.wait_idle()

    # -- the loop ------------------------------------------------------------------------------------------
    def banner(self) -> str:
        names = ", ".join(c.name for c in COLLEAGUES)
        lines = [
            "peerlearn console — a trial workspace on this machine (a fake Slack; nothing is sent anywhere).",
            f"You are @{self._name_of(self.me)}. Colleagues here: {names}.",
            "Try:  /learn intro to kubernetes    /teach python -- happy to help    /as priya    /home    help",
        ]
        note = console_log_note()
        return "\n".join([*lines, note] if note else lines)

    def loop(self) -> int:
        interactive = sys.stdin.isatty()
        if interactive:
            prompt.enable_line_editing()
        print(self.banner())
        try:
            while True:
                try:
                    line = input(f"{self._name_of(self.me).lower()}> " if interactive else "")
                except EOFError:
                    break
                if not interactive and line.strip():
                    print(f"> {line}")
                if not self.handle(line):
                    break
        except KeyboardInterrupt:
            print()
        finally:
            if interactive:
                prompt.save_history()
            self.close()
        return 0

    def handle(self, line: str) -> bool:
        """Act on one typed line and print what Slack would show; False to quit."""
        line = line.strip()
        if not line:
            return True
        word, _, rest = line.partition(" ")
        if word in (":react", ":unreact"):
            self._react(rest, added=word == ":react")
            return True
        word = word.lower().lstrip("/")
        if word in ("quit", "exit", "q"):
            return False
        if word in ("help", "?"):
            print(HELP)
        elif word == "as":
            parts = rest.split()
            if not parts:
                print("Who? Try `/as priya`, or `/as sam admin` to be a workspace admin.")
            else:
                self.me = self._become(parts[0])
                admin = parts[1:2] == ["admin"] and self._make_admin(self.me)
                print(f"You are now @{self._name_of(self.me)}" + (", a workspace admin." if admin else "."))
        elif word == "time":
            self._move_clock(rest.strip())
        elif word == "who":
            print("In this workspace: " + ", ".join(f"@{u.name} ({u.tz})" for u in self.fake.users.values()))
        elif word == "digest":
            self._show(self._digest)
        elif word == "home":
            self._event({"type": "app_home_opened", "user": self.me, "channel": "D0HOME", "tab": "home"})
        elif word == "say":
            message_id = f"m{len(self.messages) + 1}"
            self.messages[message_id] = (self.me, f"{1_700_000_000 + len(self.messages)}.000100")
            print(f"#general  @{self._name_of(self.me)}: {rest.strip()}   ({message_id})")
        elif word in ("learn", "teach"):
            self._command(f"/{word}", rest)
        elif word.isdigit() or (word == "click" and rest.strip().isdigit()):
            self._click(int(word if word.isdigit() else rest.strip()))
        else:
            print(f"Unknown: {line.split()[0]!r}. Type `help` to see what works here.")
        return True

    def close(self) -> None:
        self.deps.background.wait_idle()
        self.deps.close()
        self.fake.stop()

    # -- what each line does -------------------------------------------------------------------------------
    def _command(self, command: str, text: str) -> None:
        body = command_body(command, text, team_id=self.team, user_id=self.me, response_url=self.fake.response_url())
        self._show(lambda: self._dispatch(body))

    def _event(self, event: dict[str, Any]) -> None:
        self._events += 1
        # Unique across runs: the trial's database remembers handled event ids, and a restarted console counting
        # from 1 again would see its first /home and reactions dropped as Slack retries.
        event_id = f"EvConsole{self._events}.{secrets.token_hex(4)}"
        body = event_body(event, team_id=self.team, event_id=event_id)
        self._show(lambda: self._dispatch(body))

    def _move_clock(self, text: str) -> None:
        """`/time +2d`: move the trial's clock ahead and run what has fallen due since, as the scheduler would."""
        ahead = clock.parse(text)
        if ahead is None:
            print("Usage: /time +30m, +2h, +2d or +1w — moves the trial's clock ahead and runs what fell due.")
            return
        before = len(self.fake.calls)
        clock.run_ahead(self.deps, self.app.client, ahead)
        now = utcnow().astimezone(ZoneInfo(self.deps.workspace(self.team).timezone))
        print(f"⏩ It is now {now:%a %d %b, %H:%M} ({now.tzname()}).")
        shown = [line for call in self.fake.calls[before:] if (line := self.screen.describe(call, self.me))]
        print("\n".join(shown) if shown else "(nothing fell due)")

    def _digest(self) -> None:
        effective = self.deps.workspace(self.team)
        # The trial has no channel settings of its own: #learning stands in for the learning channel.
        effective = dataclasses.replace(effective, learning_channel=effective.learning_channel or "C0LEARNING")
        outcome = post(
            JobContext(self.deps, lambda _team: self.app.client),
            DigestTarget(self.team, self.team),
            utcnow(),
            effective,
            force=True,
        )
        if outcome is Posted.NOTHING:
            print("Nothing to report this week, so no digest is posted (the scheduler would post none either).")

    def _react(self, rest: str, *, added: bool) -> None:
        emoji, _, message_id = rest.strip().partition(" ")
        message = self.messages.get(message_id.strip())
        if not emoji or message is None:
            print("Usage: :react EMOJI MESSAGE_ID, for example `:react mortar_board m1` (see /say).")
            return
        author, ts = message
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": self.me,
            "reaction": emoji.strip(":"),
            "item_user": author,
            "item": {"type": "message", "channel": "C0GENERAL", "ts": ts},
        }
        self._event(event)
        # The receiver's DM is batched per minute in Slack; here it is shown straight away.
        before = len(self.fake.calls)
        self.deps.kudos_batch.flush()
        self.deps.background.wait_idle()
        self._print_calls(before)
        print(f"{'Reacted' if added else 'Removed'} :{emoji.strip(':')}: on {message_id.strip()}.")

    def _click(self, number: int) -> None:
        pressable = self.screen.buttons.get(number)
        if pressable is None:
            print(f"There is no button [{number}] on screen.")
            return
        if pressable.owner != self.me:
            owner = self._name_of(pressable.owner)
            print(f"Button [{number}] is in @{owner}'s messages. Type `/as {owner.lower()}` first.")
            return
        if pressable.confirm and not prompt.confirmed(pressable.confirm):
            print("Nothing was done.")
            return
        if pressable.url:
            print(f"🔗 In Slack this opens your browser at:\n{pressable.url}")
        self._events += 1
        payload = block_actions(
            team_id=self.team,
            user_id=self.me,
            action_id=pressable.action_id,
            value=pressable.value,
            channel=pressable.channel,
            ts=pressable.ts,
            response_url=self.fake.response_url(),
            trigger_id=f"trigger.console.{self._events}",
        )
        self._show(lambda: self._dispatch(interaction_body(payload)))

    def _submit(self, view: dict[str, Any], state: dict[str, dict[str, Any]]) -> dict[str, str] | None:
        """Submit the modal; the errors to show beside its fields, or None once it is accepted."""
        payload = view_submission(
            team_id=self.team,
            user_id=self.me,
            callback_id=view.get("callback_id"),
            private_metadata=view.get("private_metadata", ""),
            values=state,
            view_id="VCONSOLE",
        )
        before = len(self.fake.calls)
        reply = self._dispatch(interaction_body(payload))
        if reply and reply.get("response_action") == "errors":
            return dict(reply.get("errors") or {}) or {"": "Slack would not accept this form."}
        print("└")
        self.deps.background.wait_idle()
        self._print_calls(before)
        return None

    # -- talking to the app --------------------------------------------------------------------------------
    def _dispatch(self, body: str) -> dict[str, Any] | None:
        signed = sign(self.settings.slack_signing_secret or "", body)
        response = self.app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
        if response.body and response.body.startswith("{"):
            return dict(json.loads(response.body))
        return None

    def _show(self, act: Callable[[], dict[str, Any] | None]) -> None:
        before = len(self.fake.calls)
        reply = act()
        self.deps.background.wait_idle()
        if reply and "response_action" not in reply:
            print(self.screen.render(reply, self.me, "C0GENERAL", "ephemeral"))
        self._print_calls(before)

    def _print_calls(self, before: int) -> None:
        for call in self.fake.calls[before:]:
            if call.method == "views.open":
                view = call.args.get("view") or {}
                submit = functools.partial(self._submit, view)
                forms.fill_modal(view, self.screen.renderer, submit, prompt.ask, utcnow().date())
                continue
            shown = self.screen.describe(call, self.me)
            if shown:
                print(shown)
