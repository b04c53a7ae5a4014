"""Filling a Slack modal at the console's prompt, one field at a time, as the pickers in Slack would allow.

Slack's date and time pickers and its menus cannot send "tomorrow" or "25:00": the console checks what is typed
the same way and asks again, so the app receives what Slack would send.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot import ids
from bot.forms import JUST_CHAT
from bot.trial.cast import CHANNELS
from bot.trial.render import Renderer

Ask = Callable[[str], str]  # prompt → the line typed ("" at the end of input)
CANCEL = "cancel"
MAX_UNANSWERED = 3
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class CancelledError(Exception):
    """The person typed `cancel`: the modal closes, nothing is submitted."""


@dataclass(frozen=True)
class Field:
    block_id: str
    action_id: str
    label: str
    kind: str  # the element's Block Kit type
    optional: bool
    element: dict[str, Any]
    hint: str = ""  # the line Slack shows under the field

    @classmethod
    def of(cls, block: dict[str, Any]) -> Field:
        element = dict(block.get("element") or {})
        label = str((block.get("label") or {}).get("text", block.get("block_id", "")))
        return cls(
            str(block.get("block_id")),
            str(element.get("action_id", "value")),
            label,
            str(element.get("type")),
            bool(block.get("optional")),
            element,
            str((block.get("hint") or {}).get("text", "")),
        )


def fields(view: dict[str, Any]) -> list[Field]:
    """The view's input fields, in order."""
    return [Field.of(block) for block in view.get("blocks", []) if block.get("type") == "input"]


def fill(field: Field, ask: Ask, today: date) -> dict[str, Any]:
    """Ask for one field until what is typed is something its Slack element could send; its state value."""
    unanswered = 0
    if field.hint:
        print(f"  ({field.hint})")
    while True:
        answer = ask(f"{field.label}{_choices(field)}{_default_hint(field)}: ").strip()
        if answer.lower() == CANCEL:
            raise CancelledError
        value, problem = _read(field, answer, today)
        if problem is None:
            return value
        print(f"  ⚠ {problem}")
        unanswered = unanswered + 1 if not answer else 0
        if unanswered >= MAX_UNANSWERED:  # the input ended (a script, a closed pipe): close the form, do not spin
            print("  (no answer: the form is closed)")
            raise CancelledError


def _options(field: Field) -> list[dict[str, Any]]:
    return list(field.element.get("options") or [])


def _choices(field: Field) -> str:
    if field.kind == "checkboxes" and len(_options(field)) > 1:
        names = [f"{i}) {o['text']['text']}" for i, o in enumerate(_options(field), start=1)]
        return " (" + ", ".join(names) + "; several: 1-5 or 1,3,5)"
    if field.kind == "checkboxes":
        return " — " + " / ".join(str(o["text"]["text"]) for o in _options(field)) + "? (y/n)"
    if field.kind in ("static_select", "radio_buttons"):
        names = [f"{i}) {o['text']['text']}" for i, o in enumerate(_options(field), start=1)]
        return " (" + ", ".join(names) + ")"
    return ""


def _default(field: Field) -> str:
    element = field.element
    if field.kind == "datepicker":
        return str(element.get("initial_date") or "")
    if field.kind == "timepicker":
        return str(element.get("initial_time") or "")
    if field.kind in ("static_select", "radio_buttons"):
        return str(((element.get("initial_option") or {}).get("text") or {}).get("text", ""))
    if field.kind in ("conversations_select", "channels_select"):
        chosen = element.get("initial_conversation") or element.get("initial_channel") or ""
        return next((f"#{name}" for name, cid in CHANNELS.items() if cid == chosen), str(chosen))
    if field.kind in ("plain_text_input", "number_input"):
        return str(element.get("initial_value") or "")
    if field.kind == "multi_users_select":
        return " ".join(element.get("initial_users") or [])
    if field.kind == "checkboxes" and len(_options(field)) > 1:
        checked = [o.get("value") for o in element.get("initial_options") or []]
        return _numbers([i for i, o in enumerate(_options(field), start=1) if o.get("value") in checked])
    return ""


def _default_hint(field: Field) -> str:
    default = _default(field)
    return f" [{default}]" if default else (" (optional)" if field.optional else "")


def _read(field: Field, answer: str, today: date) -> tuple[dict[str, Any], str | None]:
    """What the element would send for `answer`, or why it cannot."""
    typed = answer or _default(field)
    kind = field.kind
    if not typed and not field.optional and kind != "checkboxes":
        return {}, "This one is required."
    if kind == "datepicker":
        picked = _date(typed, today) if typed else None
        if typed and picked is None:
            return {}, "Type a date like 2026-11-24 (or today, tomorrow)."
        return {"type": kind, "selected_date": picked}, None
    if kind == "timepicker":
        if typed and not _TIME.match(typed):
            return {}, "Type a time of day like 09:30 or 14:00."
        time_picked: dict[str, Any] = {"type": kind, "selected_time": _two_digit(typed) if typed else None}
        if field.element.get("timezone"):  # Slack sends back the zone a time picker showed, with its time
            time_picked["timezone"] = field.element["timezone"]
        return time_picked, None
    if kind in ("static_select", "radio_buttons"):
        option = _pick(_options(field), typed) if typed else None
        if typed and option is None:
            return {}, "Pick one of the options: its number or its name."
        return {"type": kind, "selected_option": option}, None
    if kind == "checkboxes" and len(_options(field)) > 1:
        checked = _checked(_options(field), typed)
        if checked is None:
            return {}, "Pick from the options: their numbers (1-5 or 1,3,5) or their names."
        if not checked and not field.optional:
            return {}, "Check at least one: this one is required."
        return {"type": kind, "selected_options": checked}, None
    if kind == "checkboxes":
        yes = typed.lower() in ("y", "yes", "1", "x")
        return {"type": kind, "selected_options": _options(field)[:1] if yes else []}, None
    if kind in ("conversations_select", "channels_select"):
        channel = CHANNELS.get(typed.lstrip("#").lower(), typed if typed.startswith("C") else "")
        if typed and not channel:
            return {}, "Pick a channel: " + ", ".join(f"#{name}" for name in CHANNELS) + "."
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        return {"type": kind, key: channel or None}, None
    if kind == "multi_users_select":  # user ids or @mentions, separated by spaces or commas
        return {"type": kind, "selected_users": [u.strip("<@>") for u in typed.replace(",", " ").split()]}, None
    if kind == "number_input" and typed and not typed.lstrip("-").isdigit():
        return {}, "Type a whole number."
    return {"type": kind, "value": typed or None}, None


def _date(text: str, today: date) -> str | None:
    words = {"today": today, "tomorrow": today + timedelta(days=1)}
    if text.lower() in words:
        return words[text.lower()].isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _two_digit(clock: str) -> str:
    hours, _, minutes = clock.partition(":")
    return f"{int(hours):02d}:{minutes}"


def _checked(options: list[dict[str, Any]], typed: str) -> list[dict[str, Any]] | None:
    """The options a list like "1-5", "1,3,5" or "mon, wed" checks ("none": none), in the form's order; None
    when one of them is not an option."""
    numbers: set[int] = set()
    if typed.strip().lower() == "none":
        return []
    for part in (p.strip() for p in typed.split(",") if p.strip()):
        first, _, last = part.partition("-")
        if first.strip().isdigit() and last.strip().isdigit():
            numbers.update(range(int(first), int(last) + 1))
            continue
        option = _pick(options, part)
        if option is None:
            return None
        numbers.add(options.index(option) + 1)
    if any(not 1 <= n <= len(options) for n in numbers):
        return None
    return [option for i, option in enumerate(options, start=1) if i in numbers]


def _numbers(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1-3,5": the checked options as `_checked` reads them back."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _pick(options: list[dict[str, Any]], typed: str) -> dict[str, Any] | None:
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1]
    for option in options:
        if typed.lower() in (str(option["text"]["text"]).lower(), str(option.get("value", "")).lower()):
            return option
    return None


def applies(view: dict[str, Any], field: Field, state: dict[str, dict[str, Any]]) -> bool:
    """Whether `field` needs an answer, given the answers above it. Slack shows a modal's fields all at once and
    people pass over those that do not apply; the prompt asks one at a time, so it skips them: in the meeting-time
    modal, a free time needs no other date or time, and "just chat" no length either."""
    if view.get("callback_id") != ids.PROPOSE_MODAL:
        return True
    chosen = (state.get("when") or {}).get("value") or {}
    choice = str((chosen.get("selected_option") or {}).get("value") or "")
    if choice == JUST_CHAT:
        return field.block_id not in ("duration", "date", "time")
    if choice.isdigit():  # one of the free times offered
        return field.block_id not in ("date", "time")
    return True


# Fields read together with another: asked again when it is. A new date with the old time would book a time the
# person never chose for that day (and the line they type next for it would become a message instead).
FOLLOWS = {"date": ("time",)}

Submit = Callable[[dict[str, dict[str, Any]]], dict[str, str] | None]  # state → errors by block id, or None


def fill_modal(view: dict[str, Any], renderer: Renderer, submit: Submit, ask: Ask, today: date) -> None:
    """A modal opened: ask for its fields at the prompt, then `submit` it as Slack would, until it is accepted
    (only the fields Slack would mark in red are asked again) or cancelled."""
    print(f"┌ {view.get('title', {}).get('text', 'Form')}")
    shown = [b for b in view.get("blocks", []) if b.get("type") in ("section", "context")]
    if shown:
        print(renderer.blocks(shown))
    print("  (Enter keeps the value in [brackets]; `cancel` closes the form)")
    state: dict[str, dict[str, Any]] = {}
    every = fields(view)
    asking, answered = {field.block_id for field in every}, set[str]()
    try:
        for _ in range(5):
            for field in every:
                if field.block_id in answered and field.block_id not in asking:
                    continue  # answered, and not marked wrong: it stands
                if not applies(view, field, state):
                    # Left as it was, it sends what it showed (its initial value), as an untouched field does.
                    state[field.block_id] = {field.action_id: _read(field, "", today)[0]}
                    answered.discard(field.block_id)
                    continue
                state[field.block_id] = {field.action_id: fill(field, ask, today)}
                answered.add(field.block_id)
            errors = submit(state)
            if errors is None:
                return
            for message in errors.values():
                print(f"  ⚠ {message}")
            asking = set(errors) or asking
            asking |= {after for wrong in set(asking) for after in FOLLOWS.get(wrong, ())}
    except CancelledError:
        print("└ (closed: nothing was sent)")
        return
    print("└ (closed)")
