"""What the console prints for the fake Slack's calls: messages, DMs, the Home tab, files, with numbered buttons."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.calendar import ics
from bot.trial.fakeslack import Call, FakeSlack
from bot.trial.render import Renderer

# Calls that show nothing a person would see (the calendar file shows once, when it lands in the group DM).
QUIET_METHODS = frozenset({"auth.test", "users.info", "dnd.info", "files.getUploadURLExternal", "upload_url"})


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


class Screen:
    """Turns Slack calls into text; every button shown gets a number the person can type to press it."""

    def __init__(self, fake: FakeSlack, name_of: Callable[[str], str], *, color: bool) -> None:
        self.fake, self.name_of = fake, name_of
        self.renderer = Renderer(name_of, color=color)
        self.buttons: dict[int, Pressable] = {}
        self._numbers = itertools.count(1)

    def render(self, payload: dict[str, Any], owner: str, channel: str, ts: str) -> str:
        """A message's text and blocks; its buttons are `owner`'s, in `channel` at `ts`."""

        def label(element: Mapping[str, Any]) -> str:
            number = next(self._numbers)
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

    def describe(self, call: Call, me: str) -> str | None:
        """What a person would see of this call (`me`: who is typing), or None when nothing."""
        if call.method in QUIET_METHODS:
            return None
        if call.method == "views.publish":
            view = call.args.get("view") or {}
            home = {"blocks": view.get("blocks", []), "text": ""}
            # Buttons on a Home tab are its owner's, whoever was last speaking in the console.
            shown = self.render(home, str(call.args.get("user_id", me)), "D0HOME", "home")
            return "┌ App Home\n" + shown + "\n└"
        if call.method == "response_url":
            return self.render(call.args, me, "C0GENERAL", "ephemeral")
        if call.method in ("chat.postMessage", "chat.update"):
            channel = str(call.response.get("channel") or call.args.get("channel", ""))
            ts = str(call.response.get("ts", ""))
            owner = "U" + channel[1:] if channel.startswith("D") else me
            if channel.startswith("G"):
                where = "group DM " + ", ".join(f"@{self.name_of(u)}" for u in self._group_members(channel))
            elif channel.startswith("C"):
                where = "#learning" if channel == "C0LEARNING" else f"#{channel}"
            else:
                where = f"@{self.name_of(owner)}"
            verb = "✉ to" if call.method == "chat.postMessage" else "✎ updated for"
            return f"{verb} {where}:\n" + self.render(call.args, owner, channel, ts)
        if call.method == "conversations.open":
            return None
        if call.method == "files.completeUploadExternal":
            return self._describe_upload()
        return f"· Slack {call.method}"

    def _describe_upload(self) -> str:
        """The calendar file as it lands in the group DM, summarised (its method, summary, times, SEQUENCE)."""
        upload = self.fake.uploads[-1]
        where = "group DM " + ", ".join(f"@{self.name_of(u)}" for u in self._group_members(upload.channel_id or ""))
        summary = ics.describe(upload.content) if upload.filename.endswith(".ics") else f"{upload.length} bytes"
        return f"📎 {upload.filename} to {where}:\n  {summary}"

    def _group_members(self, channel: str) -> list[str]:
        for call in self.fake.calls_to("conversations.open"):
            if call.response.get("channel", {}).get("id") == channel:
                return str(call.args.get("users", "")).split(",")
        return []
