"""`peerlearn console`: try peerlearn in a terminal, against an in-process fake Slack.

Every line you type becomes the signed request Slack would send; the real app handles it; what Slack would
show (ephemeral replies, DMs, the Home tab) is printed as text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest

from bot.app import build_app
from bot.calendar import ics
from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs.digest import post
from bot.ops.logs import console_log_note
from bot.scheduler import Scheduler
from bot.services.reconcile import reconcile_all
from bot.services.workspace import DigestTarget
from bot.slack.payloads import command_body, event_body, interaction_body, sign
from bot.trial import forms
from bot.trial.fakeslack import Call, FakeSlack
from bot.trial.render import Renderer
from store.migrate import upgrade
from store.models import move_clock, utcnow
from store.repos import Repos

HISTORY = Path.home() / ".peerlearn_history"
_CLOCK = re.compile(r"^\+?\s*(\d{1,4})\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_EARLY = timedelta(minutes=5)  # before a session's start: inside its reminder's ten minutes
# Calls that show nothing a person would see (the calendar file shows once, when it lands in the group DM).
QUIET_METHODS = frozenset({"auth.test", "users.info", "dnd.info", "files.getUploadURLExternal", "upload_url"})


@dataclass(frozen=True)
class Colleague:
    name: str
    tz: str
    teaches: str
    wants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pressable:
    """A button on screen: what pressing it sends, and whose message it is in."""

    action_id: str
    value: str
    channel: str
    ts: str
    owner: str
    confirm: dict[str, Any] | None = None  # Slack asks "are you sure?" before sending this one
    url: str | None = None  # a link button: Slack opens it in the browser (and still reports the click)


# A small cast so `/learn` shows somebody on the very first try.
COLLEAGUES = (
    Colleague(
        "Priya", "Asia/Kolkata", "kubernetes, helm, terraform level: expert -- happy to pair on cluster upgrades"
    ),
    Colleague("Marco", "Europe/Rome", "python, pandas, data visualization -- ask me about notebooks", ("rust",)),
    Colleague(
        "Aiko", "Asia/Tokyo", "日本語, product management -- lunch-and-learn on Thursdays", ("rust", "kubernetes")
    ),
    Colleague("Sam", "America/New_York", "react, typescript, accessibility level: expert", ("public speaking",)),
    Colleague("Lena", "Europe/Berlin", "postgresql, sql, kubernetes level: intermediate -- I love query plans"),
)

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
    """The REPL: a fake Slack, the real app, and a renderer."""

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
        self.renderer = Renderer(self._name_of, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        self.team = self.fake.team_id
        self.buttons: dict[int, Pressable] = {}
        self.messages: dict[str, tuple[str, str]] = {}  # console message id → (author, ts)
        self._button_numbers = itertools.count(1)
        self._events = 0
        self._seed()
        self.me = self._become(me)

    # -- people --------------------------------------------------------------------------------------------
    def _user_id(self, name: str) -> str:
        return "U" + "".join(ch for ch in name.upper() if ch.isalnum())[:10]

    def _become(self, name: str) -> str:
        user_id = self._user_id(name)
        if user_id not in self.fake.users:
            self.fake.add_user(user_id, name.strip().title(), tz="Europe/London")
        return user_id

    def _make_admin(self, user_id: str) -> bool:
        """Make this person a workspace admin, as Slack would tell peerlearn (users.info)."""
        user = self.fake.users[user_id]
        user.is_admin = True
        self.deps.directory.apply(self.team, user.as_slack(self.team))
        return True

    def _move_clock(self, text: str) -> None:
        """`/time +2d`: move the trial's clock ahead and run what has fallen due since, as the scheduler would."""
        match = _CLOCK.match(text)
        if match is None:
            print("Usage: /time +30m, +2h, +2d or +1w — moves the trial's clock ahead and runs what fell due.")
            return
        start = utcnow()
        end = start + timedelta(**{_UNITS[match[2]]: int(match[1])})
        # The scheduler ticks every minute; the trial stops each hour, and just before each session starts, so
        # what is due only for a while (a reminder, the digest's morning) still happens on the way.
        with self.deps.db() as session:
            starts = Repos(session).sessions.starts_between(start, end)
        hours = int((end - start).total_seconds() // 3600)
        stops = sorted({*(start + timedelta(hours=h) for h in range(1, hours + 1)), *(s - _EARLY for s in starts)})
        stops = [stop for stop in stops if start < stop < end] + [end]
        scheduler = Scheduler(JobContext(self.deps, lambda _team: self.app.client), interval=60, campaign_every=15)
        before = len(self.fake.calls)
        for stop in stops:
            move_clock(stop - utcnow())
            scheduler.run_all(stop)
            self.deps.background.wait_idle()
        now = utcnow().astimezone(ZoneInfo(self.deps.workspace(self.team).timezone))
        print(f"⏩ It is now {now:%a %d %b, %H:%M} ({now.tzname()}).")
        shown = [line for call in self.fake.calls[before:] if (line := self._describe(call))]
        print("\n".join(shown) if shown else "(nothing fell due)")

    def _name_of(self, user_id: str) -> str:
        user = self.fake.users.get(user_id)
        return user.name if user else user_id

    def _seed(self) -> None:
        for colleague in COLLEAGUES:
            self.fake.add_user(self._user_id(colleague.name), colleague.name, tz=colleague.tz)
        with self.deps.db.begin() as session:
            member = Repos(session).members.get(self.team, self._user_id(COLLEAGUES[0].name))
        if member is not None:
            return  # seeded on an earlier run: keep what the trial user did since
        for colleague in COLLEAGUES:
            user = self._user_id(colleague.name)
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
            _enable_line_editing()
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
                _save_history()
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

    # -- talking to the app --------------------------------------------------------------------------------
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

    def _digest(self) -> None:
        effective = self.deps.workspace(self.team)
        # The trial has no channel settings of its own: #learning stands in for the learning channel.
        effective = dataclasses.replace(effective, learning_channel=effective.learning_channel or "C0LEARNING")
        post(
            JobContext(self.deps, lambda _team: self.app.client),
            DigestTarget(self.team, self.team),
            utcnow(),
            effective,
            force=True,
        )

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
        pressable = self.buttons.get(number)
        if pressable is None:
            print(f"There is no button [{number}] on screen.")
            return
        if pressable.owner != self.me:
            owner = self._name_of(pressable.owner)
            print(f"Button [{number}] is in @{owner}'s messages. Type `/as {owner.lower()}` first.")
            return
        if pressable.confirm and not _confirmed(pressable.confirm):
            print("Nothing was done.")
            return
        if pressable.url:
            print(f"🔗 In Slack this opens your browser at:\n{pressable.url}")
        self._events += 1
        payload = {
            "type": "block_actions",
            "team": {"id": self.team},
            "user": {"id": self.me},
            "api_app_id": "APEERLRN",
            "trigger_id": f"trigger.console.{self._events}",
            "container": {"type": "message", "channel_id": pressable.channel, "message_ts": pressable.ts},
            "channel": {"id": pressable.channel},
            "message": {"ts": pressable.ts},
            "response_url": self.fake.response_url(),
            "actions": [
                {"action_id": pressable.action_id, "block_id": "b", "value": pressable.value, "type": "button"}
            ],
        }
        self._show(lambda: self._dispatch(interaction_body(payload)))

    def _fill_modal(self, view: dict[str, Any]) -> None:
        """A modal opened: ask for its fields at the prompt, then submit it as Slack would."""
        print(f"┌ {view.get('title', {}).get('text', 'Form')}")
        shown = [b for b in view.get("blocks", []) if b.get("type") in ("section", "context")]
        if shown:
            print(self.renderer.blocks(shown))
        print("  (Enter keeps the value in [brackets]; `cancel` closes the form)")
        today = utcnow().date()
        state: dict[str, dict[str, Any]] = {}
        asking = forms.fields(view)
        try:
            for _ in range(5):
                for field in asking:
                    state[field.block_id] = {field.action_id: forms.fill(field, _ask, today)}
                errors = self._submit(view, state)
                if errors is None:
                    return
                for message in errors.values():
                    print(f"  ⚠ {message}")
                # Only the fields Slack would mark in red are asked again.
                asking = [field for field in forms.fields(view) if field.block_id in errors] or asking
        except forms.CancelledError:
            print("└ (closed: nothing was sent)")
            return
        print("└ (closed)")

    def _submit(self, view: dict[str, Any], state: dict[str, dict[str, Any]]) -> dict[str, str] | None:
        """Submit the modal; the errors to show beside its fields, or None once it is accepted."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.team},
            "user": {"id": self.me},
            "api_app_id": "APEERLRN",
            "view": {
                "id": "VCONSOLE",
                "type": "modal",
                "callback_id": view.get("callback_id"),
                "private_metadata": view.get("private_metadata", ""),
                "state": {"values": state},
            },
        }
        before = len(self.fake.calls)
        reply = self._dispatch(interaction_body(payload))
        if reply and reply.get("response_action") == "errors":
            return dict(reply.get("errors") or {}) or {"": "Slack would not accept this form."}
        print("└")
        self.deps.background.wait_idle()
        self._print_calls(before)
        return None

    def _dispatch(self, body: str) -> dict[str, Any] | None:
        signed = sign(self.settings.slack_signing_secret or "", body)
        response = self.app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
        if response.body and response.body.startswith("{"):
            return dict(json.loads(response.body))
        return None

    def _show(self, act: Any) -> None:
        before = len(self.fake.calls)
        reply = act()
        self.deps.background.wait_idle()
        if reply and "response_action" not in reply:
            print(self._render(reply, self.me, "C0GENERAL", "ephemeral"))
        self._print_calls(before)

    def _print_calls(self, before: int) -> None:
        for call in self.fake.calls[before:]:
            if call.method == "views.open":
                self._fill_modal(call.args.get("view") or {})
                continue
            shown = self._describe(call)
            if shown:
                print(shown)

    def _render(self, payload: dict[str, Any], owner: str, channel: str, ts: str) -> str:
        def label(element: Mapping[str, Any]) -> str:
            number = next(self._button_numbers)
            self.buttons[number] = Pressable(
                str(element["action_id"]),
                str(element.get("value", "")),
                channel,
                ts,
                owner,
                element.get("confirm"),
                element.get("url"),
            )
            return f"{number}: {element['text']['text']}"

        self.renderer.button_label = label
        return self.renderer.message(payload)

    def _describe(self, call: Call) -> str | None:
        if call.method in QUIET_METHODS:
            return None
        if call.method == "views.publish":
            view = call.args.get("view") or {}
            home = {"blocks": view.get("blocks", []), "text": ""}
            # Buttons on a Home tab are its owner's, whoever was last speaking in the console.
            shown = self._render(home, str(call.args.get("user_id", self.me)), "D0HOME", "home")
            return "┌ App Home\n" + shown + "\n└"
        if call.method == "response_url":
            return self._render(call.args, self.me, "C0GENERAL", "ephemeral")
        if call.method in ("chat.postMessage", "chat.update"):
            channel = str(call.response.get("channel") or call.args.get("channel", ""))
            ts = str(call.response.get("ts", ""))
            owner = "U" + channel[1:] if channel.startswith("D") else self.me
            if channel.startswith("G"):
                where = "group DM " + ", ".join(f"@{self._name_of(u)}" for u in self._group_members(channel))
            elif channel.startswith("C"):
                where = "#learning" if channel == "C0LEARNING" else f"#{channel}"
            else:
                where = f"@{self._name_of(owner)}"
            verb = "✉ to" if call.method == "chat.postMessage" else "✎ updated for"
            return f"{verb} {where}:\n" + self._render(call.args, owner, channel, ts)
        if call.method == "conversations.open":
            return None
        if call.method == "files.completeUploadExternal":
            return self._describe_upload()
        return f"· Slack {call.method}"

    def _describe_upload(self) -> str:
        """The calendar file as it lands in the group DM, summarised (its method, summary, times, SEQUENCE)."""
        upload = self.fake.uploads[-1]
        where = "group DM " + ", ".join(f"@{self._name_of(u)}" for u in self._group_members(upload.channel_id or ""))
        summary = ics.describe(upload.content) if upload.filename.endswith(".ics") else f"{upload.length} bytes"
        return f"📎 {upload.filename} to {where}:\n  {summary}"

    def _group_members(self, channel: str) -> list[str]:
        for call in self.fake.calls_to("conversations.open"):
            if call.response.get("channel", {}).get("id") == channel:
                return str(call.args.get("users", "")).split(",")
        return []


def _confirmed(confirm: dict[str, Any]) -> bool:
    """Slack's "are you sure?" dialog, at the prompt."""
    title = (confirm.get("title") or {}).get("text", "Are you sure?")
    text = (confirm.get("text") or {}).get("text", "")
    yes = (confirm.get("confirm") or {}).get("text", "Yes")
    print(f"┌ {title}\n{text}\n└")
    return _ask(f"{yes}? [y/N] ").strip().lower() in ("y", "yes")


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


def _enable_line_editing() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the console still works without it
        return
    with contextlib.suppress(OSError):  # no history yet on a first run
        readline.read_history_file(HISTORY)
    readline.set_history_length(500)


def _save_history() -> None:
    with contextlib.suppress(ImportError, OSError):
        import readline

        readline.write_history_file(HISTORY)
