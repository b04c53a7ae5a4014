"""Members as Slack knows them: users.info read after the ack, cached so busy commands don't call Slack."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.calendar.availability import epoch
from bot.clock import Clock
from bot.slack.background import Background
from bot.slack.client import keep_alive
from store.repos import Repos, UserProfile

logger = logging.getLogger(__name__)


def profile_from_slack(user: Mapping[str, Any]) -> UserProfile:
    """A UserProfile from a users.info `user` object (also the shape of a user_change event)."""
    profile = user.get("profile") or {}
    org = user.get("enterprise_user") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name") or ""
    return UserProfile(
        user_id=str(user["id"]),
        display_name=str(name)[:200],
        tz=user.get("tz"),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        # In a Grid, an org admin or owner administers every workspace of the org, and an org-wide install.
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or org.get("is_admin") or org.get("is_owner")),
        deleted=bool(user.get("deleted")),
        status_emoji=profile.get("status_emoji") or None,
        status_text=(profile.get("status_text") or "")[:200] or None,
        status_expires_at=epoch(profile.get("status_expiration")),  # 0: it does not expire
        workspace_id=user.get("team_id") or None,
    )


class MemberDirectory:
    """Refreshes members from users.info at most once per `ttl` per person and process.

    A request only queues the person (`refresh_soon`). A background task reads the queue in batches: one query for
    who another replica refreshed lately, users.info for the others over connections kept open, and one
    transaction that stores them all. Read one at a time, a first-time asker cost more than their /learn. A longer
    queue gets more such tasks (Slack answers in tens of milliseconds: one task would fall behind a busy day).
    """

    BATCH = 20
    DRAINERS = 4
    MAX_SEEN = 100_000  # people remembered as read lately; the oldest are read again sooner if more

    def __init__(
        self,
        db: sessionmaker[Session],
        clock: Clock,
        ttl: timedelta = timedelta(hours=6),
        timer: Callable[[], float] = time.monotonic,  # the ttl's: tests move it instead of sleeping
    ) -> None:
        self.db = db
        self.clock = clock
        self.ttl = ttl
        # Who this process read within the ttl (guarded by _lock): their next request queues nothing.
        self._seen: TTLCache[tuple[str, str], bool] = TTLCache(self.MAX_SEEN, ttl.total_seconds(), timer=timer)
        self._lock = threading.Lock()
        self._queue: dict[tuple[str, str], WebClient] = {}
        self._drainers = 0  # background tasks reading the queue
        self._clients: dict[tuple[str | None, str, str | None], WebClient] = {}

    def refresh_soon(self, background: Background, client: WebClient, team_id: str, user_id: str) -> None:
        """Queue a refresh only when this process has not read the person lately: most requests queue nothing."""
        key = (team_id, user_id)
        with self._lock:
            if self._fresh(key) or key in self._queue:
                return
            self._queue[key] = client
            more = self._drainers < self.DRAINERS and len(self._queue) > self.BATCH * self._drainers
            if not more:
                return
            self._drainers += 1
        background.submit(self._drain)

    def refresh(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Read users.info for this person unless it was read recently (here or by another replica).

        Someone this process read lately but who has no row any more (they deleted their data) is read again: what
        Slack says of them, an admin's rights above all, must not wait hours for this process to forget them.
        """
        key = (team_id, user_id)
        with self._lock:
            remembered = self._fresh(key)
        if remembered:
            with self.db() as session:
                gone = user_id not in Repos(session, self.clock.now).members.refreshed(team_id, [user_id])
            if gone:
                with self._lock:
                    self._seen.pop(key, None)
        self.refresh_many({key: client})

    def refresh_many(self, people: Mapping[tuple[str, str], WebClient]) -> None:
        """`refresh` for each (team, user): one read of when they were last refreshed, one write for them all."""
        with self._lock:
            due = {key: client for key, client in people.items() if not self._fresh(key)}
            for key in due:
                self._seen[key] = True
        if not due:
            return
        teams: dict[str, list[str]] = {}
        for team_id, user_id in due:
            teams.setdefault(team_id, []).append(user_id)
        with self.db.begin() as session:
            members = Repos(session, self.clock.now).members
            refreshed = {
                (team, user): at for team, users in teams.items() for user, at in members.refreshed(team, users).items()
            }
        users = []
        for key, client in due.items():
            at = refreshed.get(key)
            if at is not None and self.clock.now() - at < self.ttl:
                continue
            try:
                response = self._kept(client).users_info(user=key[1])
            except SlackApiError as exc:
                logger.warning("users.info failed", extra={"team": key[0], "error": exc.response.get("error")})
                with self._lock:
                    self._seen.pop(key, None)
                continue
            users.append((key[0], response["user"]))
        self.apply_many(users)

    def apply(self, team_id: str, user: Mapping[str, Any]) -> None:
        """Store what Slack says about a person (users.info or a user_change event)."""
        self.apply_many([(team_id, user)])

    def apply_many(self, users: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """`apply` for each (team, users.info user), in one transaction."""
        if not users:
            return
        profiles = [(team_id, profile_from_slack(user)) for team_id, user in users]
        teams: dict[str, list[UserProfile]] = {}
        for team_id, profile in profiles:
            teams.setdefault(team_id, []).append(profile)
        with self.db.begin() as session:
            repos = Repos(session, self.clock.now)
            for team_id, found in teams.items():
                repos.members.store_profiles(team_id, found)
            for team_id, profile in profiles:
                member = repos.members.get(team_id, profile.user_id) if profile.deleted else None
                if member is not None:
                    # A deactivated account can neither teach nor learn: withdraw what they had open.
                    repos.offers.withdraw_all(member)
                    repos.needs.cancel_all(member)
                    repos.matches.expire_pending(member)
        with self._lock:
            for team_id, profile in profiles:
                self._seen[(team_id, profile.user_id)] = True

    def _fresh(self, key: tuple[str, str]) -> bool:
        """Read by this process within the ttl (the caller holds the lock)."""
        return key in self._seen

    def _drain(self) -> None:
        """Refresh whoever is queued, a batch at a time, until nobody is."""
        while batch := self._next_batch():
            try:
                self.refresh_many(batch)
            except Exception:
                logger.exception("refreshing members failed", extra={"members": len(batch)})

    def _next_batch(self) -> dict[tuple[str, str], WebClient]:
        with self._lock:
            batch = {key: self._queue.pop(key) for key in list(itertools.islice(self._queue, self.BATCH))}
            if not batch:
                self._drainers -= 1
            return batch

    def _kept(self, per_request: WebClient) -> WebClient:
        """Bolt makes a client per request: users.info goes through a long-lived twin of it (same token, URL and
        retries) whose connections stay open."""
        key = (per_request.token, per_request.base_url, per_request.default_params.get("team_id"))
        with self._lock:
            kept = self._clients.get(key)
            if kept is None:
                kept = self._clients[key] = keep_alive(per_request)
        return kept
