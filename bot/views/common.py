"""Helpers every view uses: escaping, truncation, local times, ephemeral replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.grammar import Invalid, NearCommand

SECTION_LIMIT = 3000

# What a click on a stale, garbled or tampered button is told (handlers/decoding.py answers it, nothing changes).
EXPIRED = "That choice has expired, so nothing changed."
STALE = "That choice has expired. Ask again with `/learn`."  # a "did you mean…?" or related topic
STALE_ASK = "That button is out of date. Try `/learn` again."  # an expert's Ask


def escape(text: str) -> str:
    """Escape user text for mrkdwn so it cannot mention @channel or fake a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Shorten user-supplied text to fit a Block Kit field."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def local_time(now: datetime, tz: str | None) -> str:
    """`14:05` in the person's timezone, or an empty string when Slack did not tell us one."""
    if not tz:
        return ""
    try:
        return now.astimezone(ZoneInfo(tz)).strftime("%H:%M")
    except (ZoneInfoNotFoundError, ValueError):
        return ""


def section(text: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)), accessory=accessory)


def button(
    label: str,
    action_id: str,
    value: str,
    *,
    primary: bool = False,
    danger: bool = False,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    style = "primary" if primary else "danger" if danger else None
    return ButtonElement(
        text=PlainTextObject(text=label), action_id=action_id, value=value, style=style, confirm=confirm
    )


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, SECTION_LIMIT))])


def modal(callback_id: str, title: str, submit: str, blocks: Sequence[Block], metadata: str | None = None) -> View:
    """A modal with our usual Cancel button; `metadata` travels back with the submission."""
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=metadata,
        title=PlainTextObject(text=title),
        submit=PlainTextObject(text=submit),
        close=PlainTextObject(text="Cancel"),
        blocks=list(blocks),
    )


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A chat.postMessage / chat.update payload."""
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}


def ephemeral(text: str, blocks: Sequence[Block] = ()) -> dict[str, Any]:
    """A reply only the caller sees; `text` is the notification and screen-reader fallback."""
    payload: dict[str, Any] = {"response_type": "ephemeral", "text": text}
    if blocks:
        payload["blocks"] = [block.to_dict() for block in blocks]
    return payload


# Every /learn is answered with one of its replies, so those are built as the plain dicts slack_sdk's models
# serialise to (keys in their order), with Block Kit's limits applied by clipping: validating and serialising the
# models cost a tenth of the request. tests/bot/views/test_views.py parses them back into valid models, unchanged.
BUTTON_TEXT_LIMIT = 75


def section_json(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    """`section(…).to_dict()`."""
    block: dict[str, Any] = {"text": {"text": clip(text, SECTION_LIMIT), "type": "mrkdwn"}, "type": "section"}
    return block if accessory is None else {"accessory": accessory, **block}


def button_json(label: str, action_id: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    """`button(…).to_dict()`; `value` must be within Slack's 2,000 characters (callers build short ones)."""
    text = {"text": clip(label, BUTTON_TEXT_LIMIT), "type": "plain_text"}
    if primary:
        return {"action_id": action_id, "style": "primary", "text": text, "type": "button", "value": value}
    return {"action_id": action_id, "text": text, "type": "button", "value": value}


def actions_json(elements: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"elements": list(elements), "type": "actions"}


def context_json(text: str) -> dict[str, Any]:
    """`context(…).to_dict()`."""
    return {"elements": [{"text": clip(text, SECTION_LIMIT), "type": "mrkdwn"}], "type": "context"}


def ephemeral_json(text: str, blocks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`ephemeral` of blocks built as dicts."""
    return {"response_type": "ephemeral", "text": text, "blocks": list(blocks)}


def problem(reason: str, usage: str) -> dict[str, Any]:
    """Bad input: what was wrong, then how to use the command."""
    return ephemeral(reason, [section(f":warning: {reason}"), context(usage)])


def near_command(suggestion: str, literal: str) -> dict[str, Any]:
    """A first word close to a subcommand: what they probably meant, and how to say it is a topic."""
    text = f"Did you mean `{escape(suggestion)}`? Nothing was saved."
    hint = f"If it really is a topic, put it in quotes: `{escape(literal)}`."
    return ephemeral(text, [section(f":thinking_face: {text}"), context(hint)])


def refused(parsed: Invalid | NearCommand, usage: str) -> dict[str, Any]:
    """The answer to command text we cannot act on: what was wrong, or the subcommand they probably meant."""
    if isinstance(parsed, Invalid):
        return problem(parsed.reason, usage)
    return near_command(parsed.suggestion, parsed.literal)


def apology() -> dict[str, Any]:
    """What a user sees when something broke on our side."""
    return ephemeral("Sorry, something went wrong on our side. Please try again in a moment.")


def slack_date(when: datetime, fallback_tz: str) -> str:
    """A time Slack shows in each reader's own timezone; the fallback (for notifications) is in `fallback_tz`."""
    fallback = when.astimezone(ZoneInfo(fallback_tz)).strftime(f"%a %d %b, %H:%M ({fallback_tz})")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def in_zone(when: datetime, tz: str | None, fallback_tz: str) -> tuple[datetime, str]:
    """`when` in the person's timezone, or the workspace's when Slack gave none (or an unknown one)."""
    for zone in (tz, fallback_tz, "UTC"):
        if zone:
            try:
                return when.astimezone(ZoneInfo(zone)), zone
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return when, "UTC"


def unknown_command(name: str | None) -> str:
    """A slash command pointed at this app that it does not know: what it does know."""
    return f"peerlearn doesn't know `{name or 'that command'}`. Try `/learn TOPIC` or `/teach TOPIC`."
