"""Block Kit as Slack's Web API checks it: what the fake Slack refuses with `invalid_blocks` (DESIGN §8).

Each block is parsed with slack_sdk.models and serialised again, which runs the limits the models know: 3,000
characters of section text, 75 of button text, 2,000 of a button value, 255 of an action_id or block_id, 25
elements in an actions block, 100 options in a static select, 5 in an overflow, 100 blocks in a view. A block that
does not come back unchanged had something the models do not know (an unknown type or key, an empty list), which
Slack refuses too. What the models leave out is checked here: ids unique in their block and in their message or
view, 50 blocks in a message, no empty text, a modal's title and its submit button when it has inputs.

Errors read like Slack's own: `reason [json-pointer:/blocks/1/elements/0/action_id]`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
FIELD_TEXT = 2000  # each of a section's fields (the models count the fields, not their length)
TEXT_TYPES = ("plain_text", "mrkdwn")
RESPONSE_ACTIONS = ("errors", "update", "push", "clear")


def pointer(where: str, reason: str) -> str:
    return f"{reason} [json-pointer:{where}]"


def decoded(value: Any) -> Any:
    """A form-encoded `blocks` or `view` arrives as a JSON string: its value, or the string if it is not JSON."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def blocks_errors(blocks: Any, where: str = "/blocks", *, limit: int = MESSAGE_BLOCKS) -> list[str]:
    """Why Slack would refuse these blocks of a message (or, with limit=VIEW_BLOCKS, of a view); [] if it would not."""
    blocks = decoded(blocks)
    if not isinstance(blocks, list):
        return [pointer(where, "must provide an array")]
    errors = [pointer(where, f"no more than {limit} items allowed")] if len(blocks) > limit else []
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        here = f"{where}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            errors.append(pointer(here, "must provide an object with a type"))
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                errors.append(pointer(f"{here}/block_id", f"duplicate block_id {block_id!r}"))
            block_ids.add(block_id)
        errors += _action_id_errors(block, here)
        errors += _text_errors(block, here)
        errors += _model_errors(block, here)
    return errors


def message_errors(payload: Mapping[str, Any]) -> list[str]:
    """Why Slack would refuse the blocks of a message (chat.*, a response_url body, a command's ack)."""
    if payload.get("blocks") is None:
        return []
    return blocks_errors(payload["blocks"])


def has_text(payload: Mapping[str, Any]) -> bool:
    """Whether a message says something: Slack answers `no_text` to one with no text, blocks or attachments."""
    return any(decoded(payload.get(key)) for key in ("text", "blocks", "attachments"))


def view_errors(view: Any, where: str = "/view") -> list[str]:
    """Why Slack would refuse this view (views.open, publish, update, push, or a submission's update/push)."""
    view = decoded(view)
    if not isinstance(view, dict):
        return [pointer(where, "must provide an object")]
    errors = blocks_errors(view.get("blocks"), f"{where}/blocks", limit=VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        text = view.get(key)
        if text is not None and (not isinstance(text, dict) or text.get("type") != "plain_text"):
            errors.append(pointer(f"{where}/{key}", "must be a plain_text object"))
    if view.get("type") == "modal":
        if not view.get("title"):
            errors.append(pointer(f"{where}/title", "missing required field: title"))
        blocks = decoded(view.get("blocks"))
        has_inputs = isinstance(blocks, list) and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_inputs and not view.get("submit"):
            errors.append(pointer(f"{where}/submit", "a modal with input blocks must have a submit button"))
    try:
        # The view's own rules (type, title, submit and close lengths, private_metadata, callback_id): its blocks
        # were checked above, one by one, so validate_json (which does not descend into them) is enough.
        View(**view).validate_json()
    except SlackObjectFormationError as exc:
        errors.append(pointer(where, str(exc)))
    except (TypeError, AttributeError, ValueError) as exc:
        errors.append(pointer(where, f"not a view: {exc}"))
    return errors


def ack_errors(body: Mapping[str, Any]) -> list[str]:
    """Why Slack would refuse what the app answered a request with (the body of its HTTP 200)."""
    action = body.get("response_action")
    if action is None:  # a command's reply (or an action's, which Slack ignores): a message
        return message_errors(body)
    if action not in RESPONSE_ACTIONS:
        return [pointer("/response_action", f"unknown response_action {action!r}")]
    if action in ("update", "push"):
        return view_errors(body.get("view"))
    if action == "errors":
        errors = body.get("errors")
        valid = isinstance(errors, dict) and errors and all(isinstance(v, str) and v for v in errors.values())
        return [] if valid else [pointer("/errors", "must map block ids to messages")]
    return []


def _interactive(block: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The elements of a block that carry an action_id, with their json-pointer suffix."""
    for index, element in enumerate(block.get("elements") or []):
        if isinstance(element, dict):
            yield f"/elements/{index}", element
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            yield f"/{key}", block[key]


def _action_id_errors(block: Mapping[str, Any], here: str) -> list[str]:
    seen: set[str] = set()
    errors = []
    for suffix, element in _interactive(block):
        action_id = element.get("action_id")
        if not isinstance(action_id, str):
            continue  # Slack makes one up
        if action_id in seen:
            errors.append(pointer(f"{here}{suffix}/action_id", f"duplicate action_id {action_id!r}"))
        seen.add(action_id)
    return errors


def _text_errors(node: Any, here: str) -> list[str]:
    """Empty text objects anywhere (Slack: "must be more than 0 characters"), and over-long section fields."""
    errors = []
    if isinstance(node, dict):
        if node.get("type") in TEXT_TYPES and not node.get("text"):
            errors.append(pointer(f"{here}/text", "must be more than 0 characters"))
        for index, field in enumerate(node.get("fields") or [] if node.get("type") == "section" else []):
            if isinstance(field, dict) and len(str(field.get("text", ""))) > FIELD_TEXT:
                errors.append(pointer(f"{here}/fields/{index}/text", f"must be less than {FIELD_TEXT + 1} characters"))
        for key, value in node.items():
            errors += _text_errors(value, f"{here}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            errors += _text_errors(value, f"{here}/{index}")
    return errors


def _model_errors(block: dict[str, Any], here: str) -> list[str]:
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [pointer(f"{here}/type", f"unknown block type {block['type']!r}")]
        rendered = parsed.to_dict()
    except SlackObjectFormationError as exc:  # a limit the models know: the block is whole, the reason is theirs
        return [pointer(here, str(exc))]
    except (TypeError, AttributeError, ValueError, KeyError) as exc:  # not even the shape of a block
        return [pointer(here, f"cannot be parsed: {exc}")]
    if rendered != block:
        return [pointer(_difference(block, rendered, here), "invalid additional property or value")]
    return []


def _difference(sent: Any, parsed: Any, here: str) -> str:
    """Where what was sent and what the models made of it first differ: the part Slack would not understand."""
    if isinstance(sent, dict) and isinstance(parsed, dict):
        for key in sorted(set(sent) | set(parsed)):
            if sent.get(key) != parsed.get(key):
                return _difference(sent.get(key), parsed.get(key), f"{here}/{key}")
    if isinstance(sent, list) and isinstance(parsed, list) and len(sent) == len(parsed):
        for index, (one, other) in enumerate(zip(sent, parsed, strict=True)):
            if one != other:
                return _difference(one, other, f"{here}/{index}")
    return here
