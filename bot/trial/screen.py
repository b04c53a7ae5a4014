"""What the console prints for the fake Slack's calls: messages, DMs, the Home tab, files, with numbered buttons."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.calendar import ics
from bot.trial.cast import GENERAL
from bot.trial.fakeslack import Call, FakeSlack
from bot.trial.render import Renderer

# Calls that show nothing a person would see (the calendar file shows once, when it lands in the group DM).
QUIET_METHODS = frozenset({"auth.test", "users.info", "dnd.info", "files.getUploadURLExternal", "upload_url"})


@dataclass(frozen=True)
class Place:
    """Where a message is: its channel and ts, who sees it (and may press its buttons), and how to say where."""

    channel: str
    ts: str
    audience: frozenset[str] | None  # None: a channel, where anyone in the workspace may press its buttons
    label: str  # "@Priya's DM", "the group DM of @Priya and @You", "#learning"

    def open_to(self, user: str) -> bool:
        return self.audience is None or user in self.audience


@dataclass(frozen=True)
class Pressable:
    """A button on screen: what pressing it sends, and where it is (who may press it)."""

    action_id: str
    value: str
    place: Place
    confirm: dict[str, Any] | None = None  # Slack asks "are you sure?" before sending this one
    url: str | None = None  # a link button: Slack opens it in the browser (and still reports the click)


class Screen:
    """Turns Slack calls into text; every button shown gets a number the person can type to press it. Slack's
    date tokens read in the reader's own timezone, as Slack shows them to each person."""

    def __init__(
        self,
        fake: FakeSlack,
        name_of: Callable[[str], str],
        *,
        color: bool,
        channels: Mapping[str, str] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.fake, self.name_of = fake, name_of
        self.channels = dict(channels or {})  # channel id → name
        self.renderer = Renderer(name_of, color=color, channels=self.channels, now=now)
        self.buttons: dict[int, Pressable] = {}
        self._numbers = itertools.count(1)

    def tz_of(self, user: str) -> str | None:
        person = self.fake.users.get(user)
        return person.tz if person else None

    def mine(self, me: str, ts: str = "ephemeral") -> Place:
        """What only `me` sees: an ephemeral reply, a form."""
        return Place(GENERAL, ts, frozenset({me}), f"a message only @{self.name_of(me)} saw")

    def render(self, payload: dict[str, Any], place: Place, reader: str) -> str:
        """A message's text and blocks, as `reader` sees it; its buttons are in `place`."""

        def label(element: Mapping[str, Any]) -> str:
            number = next(self._numbers)
            self.buttons[number] = Pressable(
                str(element["action_id"]),
                str(element.get("value", "")),
                place,
                element.get("confirm"),
                element.get("url"),
            )
            return f"{number}: {element['text']['text']}"

        self.renderer.button_label = label
        self.renderer.reader_tz = self.tz_of(reader)
        return self.renderer.message(payload)

    def describe(self, call: Call, me: str) -> str | None:
        """What a person would see of this call (`me`: who is typing), or None when nothing."""
        if (refused := call.refusal()) is not None:  # Slack showed nobody anything: say so, never render it
            return refused
        if call.method in QUIET_METHODS:
            return None
        if call.method == "views.publish":
            view = call.args.get("view") or {}
            home = {"blocks": view.get("blocks", []), "text": ""}
            # Buttons on a Home tab are its owner's, whoever was last speaking in the console.
            owner = str(call.args.get("user_id", me))
            place = Place("D0HOME", "home", frozenset({owner}), f"@{self.name_of(owner)}'s App Home")
            return "┌ App Home\n" + self.render(home, place, owner) + "\n└"
        if call.method == "response_url":
            return self.render(call.args, self.mine(me), me)
        if call.method == "chat.postEphemeral":
            user, channel = str(call.args.get("user", me)), str(call.args.get("channel", ""))
            place = Place(channel, "ephemeral", frozenset({user}), f"a message only @{self.name_of(user)} saw")
            shown = self.render(call.args, place, user)
            return f"✉ only @{self.name_of(user)} sees, in {self._where(channel)}:\n{shown}"
        if call.method in ("chat.postMessage", "chat.update"):
            channel = str(call.response.get("channel") or call.args.get("channel", ""))
            place = self.place(channel, str(call.response.get("ts", "")))
            # A DM reads in its owner's zone; a group DM or a channel in the zone of whoever is typing (a member).
            members = sorted(place.audience or ())
            reader = me if place.open_to(me) or not members else members[0]
            verb = "✉ to" if call.method == "chat.postMessage" else "✎ updated for"
            return f"{verb} {self._where(channel)}:\n" + self.render(call.args, place, reader)
        if call.method == "conversations.open":
            return None
        if call.method == "files.completeUploadExternal":
            return self._describe_upload()
        return f"· Slack {call.method}"

    def place(self, channel: str, ts: str) -> Place:
        """A message posted in `channel`: a DM is its owner's, a group DM its members', a channel anyone's."""
        if channel.startswith("D"):
            owner = self._dm_owner(channel)
            return Place(channel, ts, frozenset({owner}), f"@{self.name_of(owner)}'s DM")
        if channel.startswith("G"):
            members = self._members(channel)
            names = " and ".join(f"@{self.name_of(u)}" for u in members)
            return Place(channel, ts, frozenset(members), f"the group DM of {names}")
        return Place(channel, ts, None, self._where(channel))

    def _where(self, channel: str) -> str:
        if channel.startswith("G"):
            return "group DM " + ", ".join(f"@{self.name_of(u)}" for u in self._members(channel))
        if channel.startswith("C"):
            return f"#{self.channels.get(channel, channel)}"
        return f"@{self.name_of(self._dm_owner(channel))}"

    def _dm_owner(self, channel: str) -> str:
        # The fake puts a message posted to a user id in "D" + the rest of that id; conversations.open says whose
        # a DM it opened is.
        opened = self._members(channel)
        return opened[0] if len(opened) == 1 else "U" + channel[1:]

    def _describe_upload(self) -> str:
        """The calendar file as it lands in the group DM, summarised (its method, summary, times, SEQUENCE)."""
        upload = self.fake.uploads[-1]
        summary = ics.describe(upload.content) if upload.filename.endswith(".ics") else f"{upload.length} bytes"
        return f"📎 {upload.filename} to {self._where(upload.channel_id or '')}:\n  {summary}"

    def _members(self, channel: str) -> list[str]:
        for call in self.fake.calls_to("conversations.open"):
            if call.response.get("channel", {}).get("id") == channel:
                return str(call.args.get("users", "")).split(",")
        return []
