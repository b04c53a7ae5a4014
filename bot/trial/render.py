"""Block Kit as readable terminal text, for the console trial."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

EMOJI = {
    "books": "📚",
    "mortar_board": "🎓",
    "white_check_mark": "✅",
    "warning": "⚠️",
    "seedling": "🌱",
    "tada": "🎉",
    "double_vertical_bar": "⏸",
    "wave": "👋",
    "sparkles": "✨",
    "calendar": "📅",
    "raised_hands": "🙌",
    "clap": "👏",
    "star": "⭐",
    "bulb": "💡",
    "handshake": "🤝",
    "raising_hand": "🙋",
    "first_place_medal": "🥇",
    "second_place_medal": "🥈",
    "third_place_medal": "🥉",
    "alarm_clock": "⏰",
    "busts_in_silhouette": "👥",
    "speech_balloon": "💬",
    "mag": "🔍",
    "no_entry": "⛔",
    "thinking_face": "🤔",
    "slightly_smiling_face": "🙂",
    "hourglass_flowing_sand": "⏳",
    "x": "❌",
}
_MENTION = re.compile(r"<@(\w+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#(\w+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")
_DATE = re.compile(r"<!date\^(\d+)\^([^|^>]*)(?:\^[^|>]*)?\|([^>]*)>")  # Slack's time, in each reader's own zone
_DATE_TOKEN = re.compile(r"\{(\w+)\}")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)~(?![\w~])")


class Renderer:
    """Turns Slack payloads into text; `bold` wraps emphasised text (ANSI on a terminal, plain otherwise)."""

    def __init__(
        self,
        names: Callable[[str], str],
        *,
        color: bool,
        channels: Mapping[str, str] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.names = names
        self.color = color
        self.channels = dict(channels or {})  # channel id → name, as Slack shows `<#C…>`
        self.now = now or (lambda: datetime.now().astimezone())
        # The timezone of whoever reads what is rendered next: Slack shows each reader a `<!date^…>` in their own
        # zone. None: the token's fallback text, as a notification shows it.
        self.reader_tz: str | None = None
        # The console numbers buttons so they can be pressed; by default a button is just its label.
        self.button_label: Callable[[Mapping[str, Any]], str] = lambda element: str(element["text"]["text"])

    def mrkdwn(self, text: str) -> str:
        text = _DATE.sub(self._date, text)
        text = _MENTION.sub(lambda m: "@" + self.names(m[1]), text)
        text = _CHANNEL.sub(lambda m: "#" + (m[2] or self.channels.get(m[1], m[1])), text)
        text = _LINK.sub(lambda m: m[2] or m[1], text)
        text = _EMOJI_CODE.sub(lambda m: EMOJI.get(m[1], m[0]), text)
        text = _BOLD.sub(lambda m: self._style(m[1], "1"), text)
        if self.color:  # struck through on a terminal; plain text keeps Slack's ~tildes~, which read the same
            text = _STRIKE.sub(lambda m: self._style(m[1], "9"), text)
        text = re.sub(r"(?m)^>", "  │ ", text)
        return html.unescape(text)

    def _date(self, token: re.Match[str]) -> str:
        if self.reader_tz is None:
            return token[3]
        try:
            zone = ZoneInfo(self.reader_tz)
        except (KeyError, ValueError):
            return token[3]
        return slack_date(datetime.fromtimestamp(int(token[1]), zone), token[2], self.now().astimezone(zone))

    def _style(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def message(self, payload: Mapping[str, Any]) -> str:
        """A message (ack body, chat.postMessage or response_url payload): its blocks, else its text."""
        blocks = payload.get("blocks")
        if blocks:
            return self.blocks(blocks)
        return self.mrkdwn(str(payload.get("text", "")))

    def blocks(self, blocks: Iterable[Mapping[str, Any]]) -> str:
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                title = str(block["text"]["text"])
                lines += [self._style(title.upper(), "1"), "═" * min(len(title), 60)]
            elif kind == "section":
                if block.get("text"):
                    lines.append(self.mrkdwn(str(block["text"]["text"])))
                for item in block.get("fields") or []:
                    lines.append("  " + self.mrkdwn(str(item["text"])))
                if block.get("accessory", {}).get("type") == "button":
                    lines.append("  " + self._button(block["accessory"]))
            elif kind == "context":
                text = "  ".join(self.mrkdwn(str(e.get("text", ""))) for e in block.get("elements", []))
                lines.append(self._style(text, "2"))
            elif kind == "divider":
                lines.append("─" * 40)
            elif kind == "actions":
                lines.append("  ".join(self._button(e) for e in block.get("elements", []) if e.get("type") == "button"))
        return "\n".join(lines)

    def _button(self, element: Mapping[str, Any]) -> str:
        return self._style(f"[ {self.button_label(element)} ]", "36")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _ago(when: datetime, now: datetime) -> str:
    seconds = int((now - when).total_seconds())
    later, seconds = seconds < 0, abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            amount = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {amount}" if later else f"{amount} ago"
    return "just now"


def slack_date(when: datetime, template: str, now: datetime) -> str:
    """A `<!date^…>` token's template as Slack shows it to a reader in `when`'s timezone (`now` there too), on a
    24-hour clock."""
    day, today = when.date(), now.date()
    pretty = {today: "today", today + timedelta(days=1): "tomorrow", today - timedelta(days=1): "yesterday"}.get(day)
    long = f"{when:%A}, {when:%B} {_ordinal(day.day)}, {day.year}"
    this_year = f"{when:%A}, {when:%B} {_ordinal(day.day)}"
    words = {
        "date_num": f"{day:%Y-%m-%d}",
        "date_slash": f"{day:%d/%m/%Y}",
        "date": f"{when:%B} {_ordinal(day.day)}, {day.year}",
        "date_short": f"{when:%b} {day.day}, {day.year}",
        "date_long": long,
        "date_long_full": f"{when:%B} {day.day}, {day.year}",
        "time": f"{when:%H:%M}",
        "time_secs": f"{when:%H:%M:%S}",
        "ago": _ago(when, now),
    }
    words |= {
        "date_pretty": pretty or words["date"],
        "date_short_pretty": pretty or words["date_short"],
        "date_long_pretty": pretty or long,
        "day_divider_pretty": pretty or (this_year if day.year == today.year else long),
    }
    return _DATE_TOKEN.sub(lambda m: words.get(m[1], m[0]), template)
