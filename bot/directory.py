"""Members as Slack knows them: users.info read after the ack, cached so busy commands don't call Slack."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.background import Background
from store.models import utcnow
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
    )


class MemberDirectory:
    """Refreshes members from users.info at most once per `ttl` per person and process."""

    def __init__(self, sessions: sessionmaker[Session], ttl: timedelta = timedelta(hours=6)) -> None:
        self.sessions = sessions
        self.ttl = ttl
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def refresh_soon(self, background: Background, client: WebClient, team_id: str, user_id: str) -> None:
        """Queue a refresh only when this process has not read the person lately: most requests queue nothing."""
        with self._lock:
            seen = self._seen.get((team_id, user_id))
        if seen is None or time.monotonic() - seen >= self.ttl.total_seconds():
            background.submit(self.refresh, client, team_id, user_id)

    def refresh(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Read users.info for this person unless it was read recently (here or by another replica)."""
        key = (team_id, user_id)
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and time.monotonic() - seen < self.ttl.total_seconds():
                return
            self._seen[key] = time.monotonic()
        with self.sessions.begin() as session:
            member = Repos(session).members.get(team_id, user_id)
            if member and member.refreshed_at and utcnow() - member.refreshed_at < self.ttl:
                return
        try:
            response = client.users_info(user=user_id)
        except SlackApiError as exc:
            logger.warning("users.info failed", extra={"team": team_id, "error": exc.response.get("error")})
            with self._lock:
                self._seen.pop(key, None)
            return
        self.apply(team_id, response["user"])

    def apply(self, team_id: str, user: Mapping[str, Any]) -> None:
        """Store what Slack says about a person (users.info or a user_change event)."""
        profile = profile_from_slack(user)
        with self.sessions.begin() as session:
            repos = Repos(session)
            member = repos.members.upsert_profile(team_id, profile)
            if profile.deleted:
                # A deactivated account can neither teach nor learn: withdraw what they had open.
                repos.offers.withdraw_all(member)
                repos.needs.cancel_all(member)
                repos.matches.expire_pending(member)
        with self._lock:
            self._seen[(team_id, profile.user_id)] = time.monotonic()
