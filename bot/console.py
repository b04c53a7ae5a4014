"""`peerlearn console`: try peerlearn in a terminal, against an in-process fake Slack.

Every line you type becomes the signed request Slack would send; the real app handles it; what Slack would
show (ephemeral replies, DMs, the Home tab) is printed as text.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltRequest

from bot.app import build_app
from bot.config import Settings
from bot.deps import Deps
from bot.fakeslack import Call, FakeSlack
from bot.payloads import command_body, event_body, sign
from bot.render import Renderer
from store.migrate import upgrade
from store.repos import Repos

HISTORY = Path.home() / ".peerlearn_history"
QUIET_METHODS = frozenset({"auth.test", "users.info"})


@dataclass(frozen=True)
class Colleague:
    name: str
    tz: str
    teaches: str
    wants: tuple[str, ...] = ()


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
  /home                   open peerlearn's App Home tab
  /as NAME                become someone else (a new name joins the workspace)
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
            }
        )
        self.deps = Deps.from_settings(self.settings)
        upgrade(self.deps.engine)
        self.app: App = build_app(self.settings, self.deps)
        self.renderer = Renderer(self._name_of, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        self.team = self.fake.team_id
        self._seed()
        self.me = self._become(me)
        self._events = 0

    # -- people --------------------------------------------------------------------------------------------
    def _user_id(self, name: str) -> str:
        return "U" + "".join(ch for ch in name.upper() if ch.isalnum())[:10]

    def _become(self, name: str) -> str:
        user_id = self._user_id(name)
        if user_id not in self.fake.users:
            self.fake.add_user(user_id, name.strip().title(), tz="Europe/London")
        return user_id

    def _name_of(self, user_id: str) -> str:
        user = self.fake.users.get(user_id)
        return user.name if user else user_id

    def _seed(self) -> None:
        for colleague in COLLEAGUES:
            self.fake.add_user(self._user_id(colleague.name), colleague.name, tz=colleague.tz)
        with self.deps.sessions.begin() as session:
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
        return (
            "peerlearn console — a trial workspace on this machine (a fake Slack; nothing is sent anywhere).\n"
            f"You are @{self._name_of(self.me)}. Colleagues here: {names}.\n"
            "Try:  /learn kubernetes    /teach python -- happy to help    /as priya    /home    help"
        )

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
        word = word.lower().lstrip("/")
        if word in ("quit", "exit", "q"):
            return False
        if word in ("help", "?"):
            print(HELP)
        elif word == "as":
            if not rest.strip():
                print("Who? Try `/as priya`.")
            else:
                self.me = self._become(rest.strip().split()[0])
                print(f"You are now @{self._name_of(self.me)}.")
        elif word == "who":
            print("In this workspace: " + ", ".join(f"@{u.name} ({u.tz})" for u in self.fake.users.values()))
        elif word == "home":
            self._event({"type": "app_home_opened", "user": self.me, "channel": "D0HOME", "tab": "home"})
        elif word in ("learn", "teach"):
            self._command(f"/{word}", rest)
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
        body = event_body(event, team_id=self.team, event_id=f"EvConsole{self._events}")
        self._show(lambda: self._dispatch(body))

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
        if reply:
            print(self.renderer.message(reply))
        for call in self.fake.calls[before:]:
            shown = self._describe(call)
            if shown:
                print(shown)

    def _describe(self, call: Call) -> str | None:
        if call.method in QUIET_METHODS:
            return None
        if call.method == "views.publish":
            view = call.args.get("view") or {}
            return "┌ App Home\n" + self.renderer.blocks(view.get("blocks", [])) + "\n└"
        if call.method == "response_url":
            return self.renderer.message(call.args)
        if call.method == "chat.postMessage":
            where = str(call.args.get("channel", ""))
            target = f"@{self._name_of(where)}" if where.startswith("U") else f"#{where}"
            return f"✉ to {target}:\n" + self.renderer.message(call.args)
        return f"· Slack {call.method}"


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
