"""What our buttons and modals carry through Slack, each as one typed codec: `AskValue(7, "U1").value` is the string
on the button, `AskValue.parse(s)` reads it back (None for a stale, garbled or tampered one).

Views build values only through these and the listeners' middleware (handlers/decoding.py) parses them, so a
button and its listener cannot disagree. The encodings are the ones buttons already posted in Slack carry: change
one and those buttons go stale. Slack keeps a button's value to 2,000 characters and a modal's metadata to 3,000.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, Self

from bot import ids
from bot.domain import Level
from bot.grammar import MAX_ASK_CHARS

VALUE_LIMIT = 2000
METADATA_LIMIT = 3000
MAX_NOTE = 300  # of a note carried on a "did you mean…?" button after /teach

# A row id: ASCII digits only (str.isdigit also takes "²", which int() refuses), and within a BIGINT.
_ROW_ID = re.compile(r"[0-9]{1,18}")


class Codec(Protocol):
    """A wire format: the value it puts on a button (or in a modal's metadata), and its reading of one."""

    @property
    def value(self) -> str: ...

    @classmethod
    def parse(cls, raw: str) -> Self | None: ...


def _row_id(raw: str) -> int | None:
    return int(raw) if _ROW_ID.fullmatch(raw) else None


def _instant(raw: str) -> datetime | None:
    """A POSIX timestamp in seconds, as the meeting buttons and modal carry it."""
    if not _ROW_ID.fullmatch(raw):
        return None
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _stamp(when: datetime) -> str:
    return str(int(when.timestamp()))


@dataclass(frozen=True)
class _RowValue:
    """A button (or modal) about one row: its id in decimal."""

    id: int

    @property
    def value(self) -> str:
        return str(self.id)

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        row = _row_id(raw)
        return None if row is None else cls(row)


class MatchValue(_RowValue):
    """Accept, Decline, Propose a time: the match."""


class NeedValue(_RowValue):
    """Offer help (after /teach): the open need."""


class SessionValue(_RowValue):
    """Reschedule, Cancel, Give kudos, Mark need done, and the cancel modal: the session."""


class InviteValue(_RowValue):
    """Host a group slot, Not now, and the slot modal: the invitation."""


class SlotValue(_RowValue):
    """Join, Leave: the group slot."""


@dataclass(frozen=True)
class AskValue:
    """Ask (an expert shown for a need): `need_id:expert`."""

    need_id: int
    expert: str

    @property
    def value(self) -> str:
        return f"{self.need_id}:{self.expert}"

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        need, _, expert = raw.partition(":")
        need_id = _row_id(need)
        return None if need_id is None or not expert else cls(need_id, expert)


@dataclass(frozen=True)
class ConfirmValue:
    """Yes, that time: `match_id:timestamp` of one offered start."""

    match_id: int
    starts_at: datetime

    @property
    def value(self) -> str:
        return f"{self.match_id}:{_stamp(self.starts_at)}"

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        match, _, stamp = raw.partition(":")
        match_id, starts_at = _row_id(match), _instant(stamp)
        return None if match_id is None or starts_at is None else cls(match_id, starts_at)


def _picked(raw: str) -> dict[str, Any] | None:
    """A choice button's JSON: the topic key ("t") and the words asked ("q") at least."""
    try:
        picked = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(picked, dict) or not isinstance(picked.get("t"), str) or not isinstance(picked.get("q"), str):
        return None
    return picked


@dataclass(frozen=True)
class PickValue:
    """A topic picked after /learn ("did you mean…?" or a related topic): its key ("" keeps the words as typed),
    the words asked, and whether those words become the topic's alias. Short JSON keys: the value is capped."""

    topic: str
    asked: str
    alias: bool = False

    @property
    def value(self) -> str:
        return json.dumps(self._fields(), ensure_ascii=False)

    def _fields(self) -> dict[str, Any]:
        return {"t": self.topic, "q": self.asked[:MAX_ASK_CHARS], **({"a": 1} if self.alias else {})}

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        picked = _picked(raw)
        return None if picked is None else cls(picked["t"], picked["q"], bool(picked.get("a")))


@dataclass(frozen=True)
class TeachPickValue(PickValue):
    """A topic picked after /teach: as after /learn, with the level and note the offer was typed with."""

    level: Level | None = None
    note: str | None = None

    def _fields(self) -> dict[str, Any]:
        return {**super()._fields(), "l": self.level.value if self.level else "", "n": (self.note or "")[:MAX_NOTE]}

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        picked = _picked(raw)
        if picked is None:
            return None
        level = next((level for level in Level if level.value == picked.get("l")), None)
        note = str(picked.get("n") or "") or None
        return cls(picked["t"], picked["q"], bool(picked.get("a")), level, note)


@dataclass(frozen=True)
class WordsValue:
    """I want to learn it / I can teach it: the words of the message, as an ask."""

    words: str

    @property
    def value(self) -> str:
        return self.words[:MAX_ASK_CHARS]

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        return cls(raw) if raw.strip() else None


@dataclass(frozen=True)
class TopicValue:
    """Remove (a topic one teaches, on App Home): its name."""

    topic: str

    @property
    def value(self) -> str:
        return self.topic[:VALUE_LIMIT]

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        return cls(raw) if raw.strip() else None


@dataclass(frozen=True)
class _Switch:
    """A button that sets one thing on or off: one word for each."""

    on: bool
    WORDS: ClassVar[tuple[str, str]] = ("", "")  # (on, off)

    @property
    def value(self) -> str:
        return self.WORDS[0] if self.on else self.WORDS[1]

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        return cls(raw == cls.WORDS[0]) if raw in cls.WORDS else None


class PauseValue(_Switch):
    """Pause / Resume matching (App Home)."""

    WORDS = ("pause", "resume")


class OptOutValue(_Switch):
    """Opt out / Opt back in (App Home)."""

    WORDS = ("out", "in")


class KudosDmValue(_Switch):
    """Turn kudos DMs on / off (App Home)."""

    WORDS = ("on", "off")


@dataclass(frozen=True)
class Verb:
    """A button whose value only names what it does (Change, Edit, Add topics…): its listener reads nothing."""

    word: str

    @property
    def value(self) -> str:
        return self.word

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        return cls(raw) if raw else None


@dataclass(frozen=True)
class PickMetadata:
    """The meeting-time modal's metadata: the match, and the free times it offered (`match_id|t1,t2,…`), so the
    times not picked can go along with the one that was."""

    match_id: int
    offered: tuple[datetime, ...] = ()

    @property
    def value(self) -> str:
        return f"{self.match_id}|{','.join(_stamp(when) for when in self.offered)}"

    @classmethod
    def parse(cls, raw: str) -> Self | None:
        head, _, offered = raw.partition("|")
        match_id = _row_id(head)
        if match_id is None:
            return None
        times = (_instant(part) for part in offered.split(","))
        return cls(match_id, tuple(when for when in times if when is not None))


# Every button's codec by the kind of its action id, and every modal's by its callback id: what a listener of it
# reads (tests/bot/test_wire.py parses every button of the golden views with these).
BUTTONS: dict[str, type[Codec]] = {
    ids.ASK: AskValue,
    ids.LEARN_PICK: PickValue,
    ids.TEACH_PICK: TeachPickValue,
    ids.OFFER_HELP: NeedValue,
    ids.ACCEPT: MatchValue,
    ids.DECLINE: MatchValue,
    ids.PROPOSE: MatchValue,
    ids.CONFIRM_TIME: ConfirmValue,
    ids.RESCHEDULE: SessionValue,
    ids.CANCEL_SESSION: SessionValue,
    ids.GIVE_KUDOS: SessionValue,
    ids.MARK_DONE: SessionValue,
    ids.LEARN_IT: WordsValue,
    ids.TEACH_IT: WordsValue,
    ids.HOME_REMOVE_TOPIC: TopicValue,
    ids.HOME_PAUSE: PauseValue,
    ids.HOME_OPT_OUT: OptOutValue,
    ids.HOME_KUDOS_DM: KudosDmValue,
    ids.HOME_ADD_TOPICS: Verb,
    ids.HOME_EDIT_HOURS: Verb,
    ids.HOME_DEFAULT_HOURS: Verb,
    ids.HOME_DELETE_DATA: Verb,
    ids.HOME_EDIT_SETTINGS: Verb,
    ids.SLOT_HOST: InviteValue,
    ids.SLOT_NOT_NOW: InviteValue,
    ids.SLOT_JOIN: SlotValue,
    ids.SLOT_LEAVE: SlotValue,
}
MODALS: dict[str, type[Codec]] = {
    ids.PROPOSE_MODAL: PickMetadata,
    ids.CANCEL_MODAL: SessionValue,
    ids.SLOT_MODAL: InviteValue,
}
