"""Workspace settings: what admins chose in App Home, over the environment defaults."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import time as clock
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import WEEKDAYS, Settings
from bot.services.kudos import PAIR_WEEKLY_LIMIT
from store.repos import Repos

_EMOJI = re.compile(r"[a-z0-9_+\-']+")


@dataclass(frozen=True)
class WorkspaceSettings:
    learning_channel: str | None
    digest_weekday: int
    digest_time: clock
    timezone: str
    kudos_emoji: tuple[str, ...]
    kudos_daily_limit: int
    kudos_pair_weekly_limit: int


def effective(repos: Repos, settings: Settings, team_id: str) -> WorkspaceSettings:
    """The workspace's own choices where it made them, the environment's defaults elsewhere."""
    row = repos.workspaces.get(team_id)
    default = settings.digest_schedule
    return WorkspaceSettings(
        learning_channel=(row.learning_channel if row else None) or settings.learning_channel,
        digest_weekday=row.digest_weekday if row and row.digest_weekday is not None else default.weekday,
        digest_time=clock.fromisoformat(row.digest_time) if row and row.digest_time else default.at,
        timezone=(row.timezone if row else None) or settings.timezone,
        kudos_emoji=tuple(row.kudos_emoji.split(",")) if row and row.kudos_emoji else settings.kudos_emoji,
        kudos_daily_limit=(row.kudos_daily_limit if row else None) or settings.kudos_daily_limit,
        kudos_pair_weekly_limit=(row.kudos_pair_weekly_limit if row else None) or PAIR_WEEKLY_LIMIT,
    )


@dataclass(frozen=True)
class SettingsForm:
    """The settings modal's raw values."""

    learning_channel: str | None
    digest_weekday: str | None
    digest_time: str | None
    timezone: str
    kudos_emoji: str
    kudos_daily_limit: str
    kudos_pair_weekly_limit: str


def validate(form: SettingsForm) -> dict[str, str]:
    """Inline errors by field (block id); empty when the form can be saved."""
    errors: dict[str, str] = {}
    try:
        ZoneInfo(form.timezone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "Use a timezone name like Europe/Berlin or America/New_York."
    names = [part.strip().strip(":") for part in form.kudos_emoji.split(",") if part.strip()]
    if not names or not all(_EMOJI.fullmatch(name) for name in names):
        errors["kudos_emoji"] = "Emoji names separated by commas, like mortar_board, clap."
    for field, top in (("kudos_daily_limit", 100), ("kudos_pair_weekly_limit", 50)):
        value = getattr(form, field).strip()
        if not value.isdigit() or not 1 <= int(value) <= top:
            errors[field] = f"A whole number from 1 to {top}."
    if form.digest_weekday not in WEEKDAYS:
        errors["digest_weekday"] = "Pick a weekday."
    if not form.digest_time:
        errors["digest_time"] = "Pick a time."
    return errors


def save(repos: Repos, *, team_id: str, user_id: str, form: SettingsForm) -> bool:
    """Store validated settings; only a workspace admin may (False otherwise, and nothing changes)."""
    member = repos.members.get(team_id, user_id)
    if member is None or not member.is_admin or validate(form):
        return False
    row = repos.workspaces.ensure(team_id)
    row.learning_channel = form.learning_channel or None
    row.digest_weekday = WEEKDAYS.index(str(form.digest_weekday))
    row.digest_time = form.digest_time
    row.timezone = form.timezone.strip()
    row.kudos_emoji = ",".join(part.strip().strip(":") for part in form.kudos_emoji.split(",") if part.strip())
    row.kudos_daily_limit = int(form.kudos_daily_limit)
    row.kudos_pair_weekly_limit = int(form.kudos_pair_weekly_limit)
    return True


class SettingsCache:
    """Effective settings per workspace for a few seconds: reactions are frequent, settings rarely change.

    A save forgets the entry in its own process; other workers and replicas see it within `ttl`.
    """

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[float, WorkspaceSettings]] = {}

    def get(self, repos: Repos, settings: Settings, team_id: str) -> WorkspaceSettings:
        with self._lock:
            hit = self._cached.get(team_id)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        value = effective(repos, settings, team_id)
        with self._lock:
            self._cached[team_id] = (time.monotonic(), value)
        return value

    def forget(self, team_id: str) -> None:
        with self._lock:
            self._cached.pop(team_id, None)
