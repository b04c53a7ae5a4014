"""Workspace settings: what admins chose in App Home, over the environment defaults.

An Enterprise Grid org installed org-wide has one set for the whole org; each of its workspaces may add its own
digest channel and timezone, used when the org chose one digest per workspace (bot/slack/tenancy.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from datetime import time as clock
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cachetools import TTLCache

from bot import ids
from bot.config import WEEKDAYS, Settings
from bot.services import dashboard_admins
from bot.services.kudos import PAIR_WEEKLY_LIMIT
from bot.services.scope import Scope
from bot.slack.tenancy import is_org
from store.repos import Repos

_EMOJI = re.compile(r"[a-z0-9_+\-']+")
ORG_DIGEST, WORKSPACE_DIGESTS = "org", "workspace"


@dataclass(frozen=True)
class WorkspaceSettings:
    learning_channel: str | None
    digest_weekday: int
    digest_time: clock
    timezone: str
    kudos_emoji: tuple[str, ...]
    kudos_daily_limit: int
    kudos_pair_weekly_limit: int
    digest_scope: str = ORG_DIGEST  # an org-wide install's choice; a workspace install has one digest anyway


def effective(repos: Repos, settings: Settings, team_id: str) -> WorkspaceSettings:
    """The workspace's own choices where it made them, the environment's defaults elsewhere.

    For a workspace of an org-wide install: the org's settings, with that workspace's own digest channel (none
    until its admins choose one, so that no channel gets the org's digest twice) and timezone.
    """
    row = repos.workspaces.get(team_id)
    if row is not None and row.enterprise_id:
        org = effective(repos, settings, row.enterprise_id)
        return replace(org, learning_channel=row.learning_channel, timezone=row.timezone or org.timezone)
    default = settings.digest_schedule
    return WorkspaceSettings(
        learning_channel=(row.learning_channel if row else None) or settings.learning_channel,
        digest_weekday=row.digest_weekday if row and row.digest_weekday is not None else default.weekday,
        digest_time=clock.fromisoformat(row.digest_time) if row and row.digest_time else default.at,
        timezone=(row.timezone if row else None) or settings.timezone,
        kudos_emoji=tuple(row.kudos_emoji.split(",")) if row and row.kudos_emoji else settings.kudos_emoji,
        kudos_daily_limit=(row.kudos_daily_limit if row else None) or settings.kudos_daily_limit,
        kudos_pair_weekly_limit=(row.kudos_pair_weekly_limit if row else None) or PAIR_WEEKLY_LIMIT,
        digest_scope=(row.digest_scope if row else None) or ORG_DIGEST,
    )


@dataclass(frozen=True)
class DigestTarget:
    """A digest to post: `key` names its schedule, channel and weekly record; `tenant` whose data it shows."""

    key: str
    tenant: str


def digest_targets(repos: Repos, settings: Settings) -> list[DigestTarget]:
    """Every digest of the week: one per tenant, or one per workspace of an org that chose that."""
    targets: list[DigestTarget] = []
    for tenant in repos.workspaces.active_teams():
        if is_org(tenant) and effective(repos, settings, tenant).digest_scope == WORKSPACE_DIGESTS:
            targets += [DigestTarget(team, tenant) for team in repos.workspaces.of_org(tenant)]
        else:
            targets.append(DigestTarget(tenant, tenant))
    return targets


def tenant_of_key(repos: Repos, key: str) -> str:
    """The tenant a digest key belongs to (itself, unless it is a workspace of an org-wide install)."""
    row = repos.workspaces.get(key)
    return row.enterprise_id if row is not None and row.enterprise_id else key


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
    # An org-wide install's form only: one digest or one per workspace, and this workspace's channel and zone.
    digest_scope: str | None = None
    workspace_channel: str | None = None
    workspace_timezone: str | None = None
    # The dashboard's admins (None: the form had no such field); `full` False: the form held nothing else, as a
    # dashboard admin who is no workspace admin is shown it.
    dashboard_admins: tuple[str, ...] | None = None
    full: bool = True


def validate(form: SettingsForm) -> dict[str, str]:
    """Inline errors by field (block id); empty when the form can be saved."""
    errors: dict[str, str] = {}
    if not form.full:
        return errors
    zones = {ids.Field.TIMEZONE: form.timezone}
    if form.workspace_timezone and form.workspace_timezone.strip():
        zones[ids.Field.WORKSPACE_TIMEZONE] = form.workspace_timezone
    for field, zone in zones.items():
        try:
            ZoneInfo(zone.strip())
        except (ZoneInfoNotFoundError, ValueError):
            errors[field] = "Use a timezone name like Europe/Berlin or America/New_York."
    names = [part.strip().strip(":") for part in form.kudos_emoji.split(",") if part.strip()]
    if not names or not all(_EMOJI.fullmatch(name) for name in names):
        errors[ids.Field.KUDOS_EMOJI] = "Emoji names separated by commas, like mortar_board, clap."
    for field, top in ((ids.Field.KUDOS_DAILY_LIMIT, 100), (ids.Field.KUDOS_PAIR_WEEKLY_LIMIT, 50)):
        value = getattr(form, field).strip()
        if not value.isdigit() or not 1 <= int(value) <= top:
            errors[field] = f"A whole number from 1 to {top}."
    if form.digest_weekday not in WEEKDAYS:
        errors[ids.Field.DIGEST_WEEKDAY] = "Pick a weekday."
    if not form.digest_time:
        errors[ids.Field.DIGEST_TIME] = "Pick a time."
    return errors


def save(scope: Scope, form: SettingsForm, workspace_id: str | None = None) -> bool:
    """Store validated settings; only an admin may (False otherwise, and nothing changes).

    `workspace_id`: the workspace of an org-wide install the form was sent from, which keeps its own digest
    channel and timezone.
    """
    repos, team_id = scope.repos, scope.team
    if not form.full:  # the dashboard's admins alone, which a dashboard admin may choose too
        chosen = form.dashboard_admins
        return chosen is not None and dashboard_admins.choose(scope, chosen)
    member = repos.members.get(team_id, scope.user)
    if member is None or not member.is_admin or validate(form):
        return False
    if form.dashboard_admins is not None:
        dashboard_admins.choose(scope, form.dashboard_admins)
    if is_org(team_id) and workspace_id and workspace_id != team_id:
        repos.workspaces.in_org(workspace_id, team_id)
        here = repos.workspaces.get_one(workspace_id)
        here.learning_channel = form.workspace_channel or None
        here.timezone = (form.workspace_timezone or "").strip() or None
    row = repos.workspaces.ensure(team_id)
    if is_org(team_id) and form.digest_scope in (ORG_DIGEST, WORKSPACE_DIGESTS):
        row.digest_scope = form.digest_scope
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

    MAX_WORKSPACES = 10_000

    def __init__(self, ttl: float = 5.0, timer: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()  # request threads share it
        self._cached: TTLCache[str, WorkspaceSettings] = TTLCache(self.MAX_WORKSPACES, ttl, timer=timer)

    def fresh(self, team_id: str) -> WorkspaceSettings | None:
        """The cached settings while they last, else None: asking needs no database session."""
        with self._lock:
            return self._cached.get(team_id)

    def get(self, repos: Repos, settings: Settings, team_id: str) -> WorkspaceSettings:
        if (hit := self.fresh(team_id)) is not None:
            return hit
        value = effective(repos, settings, team_id)  # outside the lock: a database read
        with self._lock:
            self._cached[team_id] = value
        return value

    def forget(self, team_id: str) -> None:
        with self._lock:
            self._cached.pop(team_id, None)


def uninstalled(scope: Scope) -> None:
    """The app was removed (or its token revoked): the workspace's scheduled work stops until it is reinstalled."""
    scope.repos.workspaces.uninstalled(scope.team, scope.now)


def active_teams(repos: Repos) -> list[str]:
    """The tenants peerlearn still serves (installed, not uninstalled)."""
    return repos.workspaces.active_teams()


def forget_events_before(repos: Repos, cutoff: datetime) -> int:
    """Drop the ids of Slack events older than `cutoff` (Slack no longer retries them)."""
    return repos.events.forget_before(cutoff)
