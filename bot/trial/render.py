"""Block Kit as readable terminal text, for the console trial."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

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
    "hourglass_flowing_sand": "⏳",
    "x": "❌",
}
_MENTION = re.compile(r"<@(\w+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#(\w+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")
_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")  # Slack's reader-local time: shown by its fallback
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")


class Renderer:
    """Turns Slack payloads into text; `bold` wraps emphasised text (ANSI on a terminal, plain otherwise)."""

    def __init__(self, names: Callable[[str], str], *, color: bool) -> None:
        self.names = names
        self.color = color
        # The console numbers buttons so they can be pressed; by default a button is just its label.
        self.button_label: Callable[[Mapping[str, Any]], str] = lambda element: str(element["text"]["text"])

    def mrkdwn(self, text: str) -> str:
        text = _DATE.sub(lambda m: m[1], text)
        text = _MENTION.sub(lambda m: "@" + self.names(m[1]), text)
        text = _CHANNEL.sub(lambda m: "#" + (m[2] or m[1]), text)
        text = _LINK.sub(lambda m: m[2] or m[1], text)
        text = _EMOJI_CODE.sub(lambda m: EMOJI.get(m[1], m[0]), text)
        text = _BOLD.sub(lambda m: self._style(m[1], "1"), text)
        text = re.sub(r"(?m)^>", "  │ ", text)
        return html.unescape(text)

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
