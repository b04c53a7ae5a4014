"""`peerlearn console`: try peerlearn in a terminal, against an in-process fake Slack.

Every line you type becomes the signed request Slack would send; the real app handles it; what Slack would
show (ephemeral replies, DMs, the Home tab) is printed as text (bot/trial/screen.py).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import sys
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot import ids
from bot.config import Settings
from bot.jobs import JobContext
from bot.jobs.digest import Posted, post
from bot.services.workspace import DigestTarget
from bot.slack import payloads
from bot.slack.payloads import block_actions, command_body, event_body, interaction_body, view_submission
from bot.telemetry.logs import console_log_note
from bot.trial import clock, forms, prompt
from bot.trial.cast import CHANNELS, COLLEAGUES, GENERAL, LEARNING
from bot.trial.dashboard import TrialDashboard
from bot.trial.screen import Screen
from bot.trial.workspace import TrialWorkspace

HELP = """Type what you would type in Slack:
  /learn TOPIC            say what you want to learn; see who can teach it    (/learn alone: your needs)
  /learn done TOPIC       close a need  ·  /learn cancel TOPIC
  /teach TOPIC, TOPIC     offer what you can teach (add `level: expert` or ` -- a note`)
  /teach                  your topics  ·  /teach remove TOPIC  ·  /teach pause  ·  /teach resume
  I'd like to learn kubernetes    any line without a `/` is a direct message to peerlearn, in plain words
  @peerlearn who knows terraform? a mention in #general: only you see the answer
  help me  ·  how does this work?  peerlearn's own guide, as its reply to your DM (`help` alone is this list)
  /find m1                the "Find who knows this" shortcut on message m1  ·  /shortcut  "Learn or teach something"
  /say TEXT               post a message in #general (it gets an id like m1)
  :react EMOJI m1         react to message m1 (:mortar_board: gives kudos) · :unreact EMOJI m1
  /home                   open peerlearn's App Home tab
  /digest                 post this week's digest in #learning, as the scheduler would on its day
  /insights               the admins' dashboard over this trial's data, at a 127.0.0.1 address for your browser
  /time +2d               move the clock ahead (+30m, +2h, +2h30m, +2d, +1w): reminders, follow-ups,
                          re-routing, group slots and the digest happen as they fall due
  N  (or /click N)        press button [N] — in someone else's DM or a group DM you are not in: `/as THEM` first
  /as NAME                become someone else (a new name joins the workspace)
  /as NAME admin          …as a workspace admin (App Home then shows the workspace settings)
  /who                    who is in this workspace
  help  ·  quit           (arrow keys edit and recall earlier lines)"""


MENTION = "@peerlearn"
CONSOLE_WORDS = ("help", "?", "quit", "exit", "q")  # alone, for the console; "help me" is a DM to peerlearn


class Console:
    """The REPL: a fake Slack, the real app, and a screen."""

    def __init__(self, settings: Settings, *, database_url: str, me: str = "you") -> None:
        self.workspace = TrialWorkspace(settings, database_url=database_url)
        self.fake, self.deps, self.app, self.team = (
            self.workspace.fake,
            self.workspace.deps,
            self.workspace.app,
            self.workspace.team,
        )
        self._name_of = self.workspace.name_of
        self.screen = Screen(
            self.fake,
            self._name_of,
            color=sys.stdout.isatty() and "NO_COLOR" not in os.environ,
            channels={cid: name for name, cid in CHANNELS.items()},
            now=self.deps.clock.now,
        )
        self.messages: dict[str, tuple[str, str]] = {}  # console message id → (author, ts)
        self.said: dict[str, str] = {}  # console message id → its text (what a message shortcut reads)
        self._events = 0
        self.me = self.workspace.become(me)
        self.dashboard = TrialDashboard(self.workspace)

    # -- the loop ------------------------------------------------------------------------------------------
    def banner(self) -> str:
        names = ", ".join(c.name for c in COLLEAGUES)
        lines = [
            "peerlearn console — a trial workspace on this machine (a fake Slack; nothing is sent anywhere).",
            f"You are @{self._name_of(self.me)}. Colleagues here: {names}.",
            "Try:  /learn intro to kubernetes    I'd like to learn terraform    /teach python -- happy to help    "
            "/as priya    /home    help",
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
        if word.lower() == MENTION:
            self._mention(rest)
            return True
        if not line.startswith("/") and line.lower() not in CONSOLE_WORDS and not word.isdigit():
            self._direct_message(line)  # a sentence: written to peerlearn in its Messages tab
            return True
        word = word.lower().lstrip("/")
        if word in ("quit", "exit", "q"):
            return False
        if word in ("help", "?"):
            print(HELP)
        elif word == "as":
            self.me, said = self.workspace.switch(self.me, rest)
            print(said)
        elif word == "time":
            self._move_clock(rest.strip())
        elif word == "who":
            print("In this workspace: " + ", ".join(f"@{u.name} ({u.tz})" for u in self.fake.users.values()))
        elif word == "digest":
            self._show(self._digest)
        elif word == "insights":
            print(self.dashboard.announce(self.me))
        elif word == "home":
            self._event({"type": "app_home_opened", "user": self.me, "channel": "D0HOME", "tab": "home"})
        elif word == "say":
            message_id = f"m{len(self.messages) + 1}"
            self.messages[message_id] = (self.me, f"{1_700_000_000 + len(self.messages)}.000100")
            self.said[message_id] = rest.strip()
            print(f"#general  @{self._name_of(self.me)}: {rest.strip()}   ({message_id})")
        elif word in ("learn", "teach"):
            self._command(f"/{word}", rest)
        elif word in ("find", "shortcut"):
            self._shortcut(rest.strip() if word == "find" else None)
        elif word.isdigit() or (word == "click" and rest.strip().isdigit()):
            self._click(int(word if word.isdigit() else rest.strip()))
        else:
            print(f"Unknown: {line.split()[0]!r}. Type `help` to see what works here.")
        return True

    def close(self) -> None:
        self.dashboard.close()
        self.workspace.close()

    # -- what each line does -------------------------------------------------------------------------------
    def _command(self, command: str, text: str) -> None:
        body = command_body(command, text, team_id=self.team, user_id=self.me, response_url=self.fake.response_url())
        self._show(lambda: self.workspace.dispatch(body))

    def _event(self, event: dict[str, Any]) -> None:
        self._events += 1
        # Unique across runs: the trial's database remembers handled event ids, and a restarted console counting
        # from 1 again would see its first /home and reactions dropped as Slack retries.
        event_id = f"EvConsole{self._events}.{secrets.token_hex(4)}"
        body = event_body(event, team_id=self.team, event_id=event_id)
        self._show(lambda: self.workspace.dispatch(body))

    def _direct_message(self, text: str) -> None:
        """A message in the app's Messages tab (the DM of whoever is typing with peerlearn)."""
        self._event(payloads.direct_message(self.me, text, self._new_ts()))

    def _mention(self, text: str) -> None:
        self._event(payloads.app_mention(self.me, GENERAL, f"<@{self.fake.bot_user_id}> {text}", self._new_ts()))

    def _shortcut(self, message_id: str | None) -> None:
        """`/find m1`: the message shortcut on a /say message; `/shortcut`: the global one."""
        self._events += 1
        trigger = f"trigger.console.{self._events}"
        if message_id is None:
            payload = payloads.global_shortcut(
                team_id=self.team, user_id=self.me, callback_id=ids.LEARN_OR_TEACH, trigger_id=trigger
            )
        elif message_id in self.messages:
            author, ts = self.messages[message_id]
            message = {"user": author, "ts": ts, "text": self.said.get(message_id, "")}
            payload = payloads.message_shortcut(
                team_id=self.team,
                user_id=self.me,
                callback_id=ids.FIND_COLLEAGUE,
                channel=GENERAL,
                message=message,
                trigger_id=trigger,
                response_url=self.fake.response_url(),
            )
        else:
            print(f"There is no message {message_id or '(none given)'}: `/say TEXT` posts one, `/find m1` uses it.")
            return
        self._show(lambda: self.workspace.dispatch(interaction_body(payload)))

    def _new_ts(self) -> str:
        self._events += 1
        return f"{int(self.deps.clock.now().timestamp())}.{self._events:06d}"

    def _move_clock(self, text: str) -> None:
        """`/time +2d`: move the trial's clock ahead and run what has fallen due since, as the scheduler would."""
        ahead = clock.parse(text)
        if ahead is None or ahead > clock.MAX_AHEAD:
            print(clock.TOO_FAR if ahead else "Usage: /time +30m, +2h, +2h30m, +2d or +1w — moves the clock ahead.")
            return
        before = len(self.fake.calls)
        clock.run_ahead(self.deps, self.app.client, ahead)
        now = self.deps.clock.now().astimezone(self._zone())
        print(f"⏩ It is now {now:%a %d %b, %H:%M} ({now.tzname()}).")
        shown = [line for call in self.fake.calls[before:] if (line := self.screen.describe(call, self.me))]
        print("\n".join(shown) if shown else "(nothing fell due)")

    def _digest(self) -> None:
        effective = self.deps.workspace(self.team)
        # The trial has no channel settings of its own: #learning stands in for the learning channel.
        effective = dataclasses.replace(effective, learning_channel=effective.learning_channel or LEARNING)
        outcome = post(
            JobContext(self.deps, lambda _team: self.app.client),
            DigestTarget(self.team, self.team),
            self.deps.clock.now(),
            effective,
            force=True,
        )
        if outcome is Posted.NOTHING:
            print("Nothing to report this week, so no digest is posted (the scheduler would post none either).")

    def _react(self, rest: str, *, added: bool) -> None:
        emoji, _, message_id = rest.strip().partition(" ")
        message_id = message_id.strip()
        if not emoji or not message_id:
            print("Usage: :react EMOJI MESSAGE_ID, for example `:react mortar_board m1` (see /say).")
            return
        if message_id not in self.messages:
            said = ", ".join(self.messages) or "none yet: `/say TEXT` posts one"
            print(f"There is no message {message_id} (messages: {said}).")
            return
        author, ts = self.messages[message_id]
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": self.me,
            "reaction": emoji.strip(":"),
            "item_user": author,
            "item": {"type": "message", "channel": GENERAL, "ts": ts},
        }
        self._event(event)
        print(f"{'Reacted' if added else 'Removed'} :{emoji.strip(':')}: on {message_id}.")

    def _click(self, number: int) -> None:
        pressable = self.screen.buttons.get(number)
        if pressable is None:
            print(f"There is no button [{number}] on screen.")
            return
        place = pressable.place
        if not place.open_to(self.me):
            # In Slack, anyone in a group DM or a channel can press its buttons; a DM, Home or an ephemeral
            # message is its one person's.
            first = self._name_of(sorted(place.audience or ())[0]).lower()
            print(f"Button [{number}] is in {place.label}. Type `/as {first}` first.")
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
            channel=place.channel,
            ts=place.ts,
            response_url=self.fake.response_url(),
            trigger_id=f"trigger.console.{self._events}",
        )
        self._show(lambda: self.workspace.dispatch(interaction_body(payload)))

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
        reply = self.workspace.dispatch(interaction_body(payload))
        if reply and reply.get("response_action") == "errors":
            return dict(reply.get("errors") or {}) or {"": "Slack would not accept this form."}
        print("└")
        self.deps.background.wait_idle()
        self._print_calls(before)
        return None

    # -- talking to the app --------------------------------------------------------------------------------
    def _show(self, act: Callable[[], dict[str, Any] | None]) -> None:
        before = len(self.fake.calls)
        reply = act()
        self.deps.background.wait_idle()
        # Slack gathers a receiver's kudos DMs over a minute; the trial shows them straight away.
        self.deps.kudos_batch.flush()
        self.deps.background.wait_idle()
        if reply and "response_action" not in reply:
            print(self.screen.render(reply, self.screen.mine(self.me), self.me))
        self._print_calls(before)

    def _print_calls(self, before: int) -> None:
        for call in self.fake.calls[before:]:
            if call.method == "views.open" and call.refusal() is None:  # a refused modal never opens
                view = call.args.get("view") or {}
                submit = functools.partial(self._submit, view)
                self.screen.renderer.reader_tz = self.screen.tz_of(self.me)
                today = self.deps.clock.now().astimezone(self._zone()).date()
                forms.fill_modal(view, self.screen.renderer, submit, prompt.ask, today)
                continue
            shown = self.screen.describe(call, self.me)
            if shown:
                print(shown)

    def _zone(self) -> ZoneInfo:
        """The timezone of whoever is typing."""
        return ZoneInfo(self.workspace.tz_of(self.me))
