"""The trial workspace's colleagues: a small cast, so `/learn` shows somebody on the very first try."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colleague:
    name: str
    tz: str
    teaches: str
    wants: tuple[str, ...] = ()


COLLEAGUES = (
    Colleague(
        "Priya", "Asia/Kolkata", "helm, terraform, kubernetes level: expert -- happy to pair on cluster upgrades"
    ),
    Colleague("Marco", "Europe/Rome", "python, pandas, data visualization -- ask me about notebooks", ("rust",)),
    Colleague(
        "Aiko", "Asia/Tokyo", "日本語, product management -- lunch-and-learn on Thursdays", ("rust", "kubernetes")
    ),
    Colleague("Sam", "America/New_York", "react, typescript, accessibility level: expert", ("public speaking",)),
    Colleague("Lena", "Europe/Berlin", "kubernetes, sql, postgresql level: intermediate -- I love query plans"),
)


# The trial's channels by name, as a channel picker offers them and Slack shows `<#C…>`.
CHANNELS = {"learning": "C0LEARNING", "general": "C0GENERAL"}
LEARNING, GENERAL = CHANNELS["learning"], CHANNELS["general"]


NAME_MAX = 20  # a display name, not a paragraph


def plain_name(name: str) -> bool:
    """A name `/as` can take: letters and digits, with `.`, `-`, `_` or `'` between them, at most NAME_MAX long.
    Anything else would either read as nobody ("!!!", "🚀") or be cut into another person's id."""
    if not name or len(name) > NAME_MAX or not name[0].isalnum() or not name[-1].isalnum():
        return False
    return all(ch.isalnum() or ch in ".-_'" for ch in name)


def user_id(name: str) -> str:
    """The trial's Slack user id for a name (the same name, the same person, run after run)."""
    return "U" + "".join(ch for ch in name.upper() if ch.isalnum())[:10]
