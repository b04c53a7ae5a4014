"""What the fake Slack records and serves: calls, faults to inject, users, uploaded files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One request Slack received: the API method (or `response_url`), its arguments and token."""

    method: str
    args: dict[str, Any]
    token: str | None = None
    response: dict[str, Any] = field(default_factory=dict)  # what the fake answered

    def refusal(self) -> str | None:
        """One line saying Slack refused this call's message or view, and why (the console prints it), or None."""
        error = self.response.get("error")
        if self.response.get("ok") is not False or error not in REFUSALS:
            return None
        # A message's refusal lists its errors; a view's only messages, after "failed to match all allowed schemas".
        details = self.response.get("errors") or self.response.get("response_metadata", {}).get("messages", [])[1:]
        return f"⚠ Slack refused this {self.method} ({error}): " + "; ".join(details or ["no text"])


# Slack's answers to a message or view it will not show (bot/trial/blockkit.py).
REFUSALS = frozenset({"invalid_blocks", "invalid_arguments", "no_text"})


@dataclass(frozen=True)
class Violation:
    """A payload Slack would refuse (or that breaks our own rule for it): where it was sent (an API method,
    `response_url`, or `ack` for the body of the app's HTTP answer), why, and what it was."""

    method: str
    errors: list[str]
    payload: dict[str, Any]


@dataclass
class Fault:
    method: str
    status: int = 500
    error: str | None = None
    retry_after: int = 0
    times: int = 1
    channel: str | None = None  # only calls aimed at this channel fail


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str = "UTC"
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False
    status_emoji: str = ""
    status_text: str = ""
    status_expiration: int = 0  # epoch seconds the status ends, as Slack says it; 0: no expiry
    # Enterprise Grid: the org this user belongs to (their id is the same in all its workspaces), and whether
    # they administer the org itself.
    enterprise_id: str | None = None
    is_org_admin: bool = False
    home_team: str | None = None  # an org member's own workspace: users.info's team_id (else the asking one)

    def as_slack(self, team_id: str) -> dict[str, Any]:
        grid = (
            {"enterprise_user": {"id": self.id, "enterprise_id": self.enterprise_id, "is_admin": self.is_org_admin}}
            if self.enterprise_id
            else {}
        )
        return grid | {
            "id": self.id,
            "team_id": self.home_team or team_id,
            "name": self.name.lower().replace(" ", "."),
            "real_name": self.name,
            "tz": self.tz,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_bot": self.is_bot,
            "deleted": self.deleted,
            "profile": {
                "display_name": self.name,
                "real_name": self.name,
                "status_emoji": self.status_emoji,
                "status_text": self.status_text,
                "status_expiration": self.status_expiration,
            },
        }


@dataclass
class Upload:
    """A file sent the way files_upload_v2 sends it: files.getUploadURLExternal announces it, a POST to the
    upload URL carries its bytes, and files.completeUploadExternal shares it (then it is in `FakeSlack.uploads`)."""

    file_id: str
    filename: str
    length: int
    content: bytes = b""
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


# What dnd.info tells a bot about a user with no DND schedule (a bot never sees another user's snooze fields).
DND_OFF: dict[str, Any] = {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
