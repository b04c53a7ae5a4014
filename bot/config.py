"""Settings: the only reader of the environment (and of `.env`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SCHEDULE = re.compile(r"^\s*(?P<day>[a-z]{3})[a-z]*\s+(?P<h>\d{1,2}):(?P<m>\d{2})\s*$", re.IGNORECASE)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class NotConfiguredError(ConfigError):
    """No Slack credential is set at all: `run` explains both modes (or, from `make run`, opens the console trial)."""


RunMode = Literal["socket", "http"]
CREDENTIALS = ("slack_bot_token", "slack_signing_secret", "slack_app_token", "slack_client_id", "slack_client_secret")
OAUTH_NEEDS_HTTP = (
    "the OAuth install (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET) needs HTTP mode to serve /slack/install "
    "and /slack/oauth_redirect: set SLACK_SIGNING_SECRET and unset SLACK_APP_TOKEN"
)
_BOT_TOKEN_HOWTO = "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at api.slack.com/apps"


@dataclass(frozen=True)
class DigestSchedule:
    weekday: int  # 0 = Monday, as datetime.weekday()
    at: time

    @classmethod
    def parse(cls, text: str) -> DigestSchedule:
        """Parse `mon 09:00` (any weekday prefix, 24-hour time)."""
        found = _SCHEDULE.match(text)
        if not found or found["day"].lower() not in WEEKDAYS:
            raise ValueError(f"expected a weekday and a time like 'mon 09:00', got {text!r}")
        hour, minute = int(found["h"]), int(found["m"])
        if hour > 23 or minute > 59:
            raise ValueError(f"{hour:02d}:{minute:02d} is not a time of day")
        return cls(WEEKDAYS.index(found["day"].lower()), time(hour, minute))

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


class Settings(BaseSettings):
    """Every environment variable (README, Configuration), typed and validated at start."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///peerlearn.db", alias="DATABASE_URL")
    learning_channel: str | None = Field(default=None, alias="PEERLEARN_LEARNING_CHANNEL")
    # NoDecode: these are plain text in the environment, not JSON.
    kudos_emoji: Annotated[tuple[str, ...], NoDecode] = Field(default=("mortar_board",), alias="PEERLEARN_KUDOS_EMOJI")
    kudos_daily_limit: int = Field(default=5, ge=1, le=1000, alias="PEERLEARN_KUDOS_DAILY_LIMIT")
    digest_schedule: Annotated[DigestSchedule, NoDecode] = Field(
        default=DigestSchedule(0, time(9, 0)), alias="PEERLEARN_DIGEST_SCHEDULE"
    )
    timezone: str = Field(default="UTC", alias="PEERLEARN_TIMEZONE")
    port: int = Field(default=3000, ge=1, le=65535, alias="PORT")
    # HTTP mode: pre-forked worker processes on one socket (`run --workers N`); each is one more core for /learn.
    workers: int = Field(default=1, ge=1, le=64, alias="PEERLEARN_WORKERS")
    # How often the scheduler looks for due work, and how often a PostgreSQL replica campaigns for the lead.
    scheduler_interval: float = Field(default=60.0, ge=0.2, le=3600, alias="PEERLEARN_SCHEDULER_INTERVAL")
    leader_campaign: float = Field(default=15.0, ge=0.2, le=55, alias="PEERLEARN_LEADER_CAMPAIGN")
    log_format: Literal["text", "json"] = Field(default="text", alias="PEERLEARN_LOG_FORMAT")
    # Signs the insights dashboard's session cookies; without it there is no /insights.
    secret_key: str | None = Field(default=None, alias="PEERLEARN_SECRET_KEY")
    # Where people reach the dashboard (https://peerlearn.example.com): Slack's redirect URL is built from it.
    public_url: str | None = Field(default=None, alias="PEERLEARN_PUBLIC_URL")

    @field_validator(*CREDENTIALS, mode="before")
    @classmethod
    def _plain_ascii(cls, value: object) -> object:
        # Slack's tokens and secrets are ASCII; anything else (the README's "xoxb-…") would reach an HTTP header
        # and fail there as a UnicodeEncodeError, far from the variable that caused it.
        if isinstance(value, str) and not value.isascii():
            odd = next(char for char in value if not char.isascii())
            raise ValueError(
                f"contains {odd!r} (U+{ord(odd):04X}), a character that is not in a real token, probably from "
                "copying the README's placeholder: paste the whole value from api.slack.com/apps"
            )
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("an app-level token starts with 'xapp-'")
        return value or None

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("a bot token starts with 'xoxb-'")
        return value or None

    @field_validator("slack_signing_secret", "slack_client_id", "slack_client_secret", "learning_channel")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str | None) -> str | None:
        value = value.strip() if value else None
        if value and len(value) < 32:
            raise ValueError(
                "too short to sign cookies safely: use 32 characters or more "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return value or None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        value = value.strip().rstrip("/") if value else None
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, like https://peerlearn.example.com")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        # WebClient joins method names onto the base URL, so it must end with a slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(
                "expected a database URL like sqlite:///peerlearn.db or postgresql+psycopg://user@host/db"
            ) from None
        return value

    @field_validator("kudos_emoji", mode="before")
    @classmethod
    def _emoji_list(cls, value: object) -> object:
        if isinstance(value, str):
            names = tuple(part.strip().strip(":") for part in value.split(",") if part.strip().strip(":"))
            if not names or any(not re.fullmatch(r"[a-z0-9_+\-']+", name) for name in names):
                raise ValueError("expected comma-separated emoji names like 'mortar_board,clap'")
            return names
        return value

    @field_validator("digest_schedule", mode="before")
    @classmethod
    def _schedule(cls, value: object) -> object:
        return DigestSchedule.parse(value) if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}; use an IANA name like 'Europe/Berlin'") from None
        return value

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def http_mode(self) -> bool:
        return self.slack_signing_secret is not None

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def insights_enabled(self) -> bool:
        """The dashboard needs a key for its cookies and the app's client id and secret for Sign in with Slack."""
        return bool(self.secret_key and self.oauth_enabled)

    def run_mode(self) -> RunMode:
        """How `peerlearn run` reaches Slack; ConfigError naming what is missing when the credentials fall short."""
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_id else "SLACK_CLIENT_ID"
            raise ConfigError(
                f"{missing} is missing: the OAuth install needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "(Basic Information → App Credentials)"
            )
        if self.socket_mode:
            if self.oauth_enabled:
                raise ConfigError(OAUTH_NEEDS_HTTP)
            if not self.slack_bot_token:
                raise ConfigError(
                    f"SLACK_BOT_TOKEN is missing: Socket Mode needs it beside SLACK_APP_TOKEN; {_BOT_TOKEN_HOWTO}"
                )
            return "socket"
        if self.http_mode:
            if not (self.slack_bot_token or self.oauth_enabled):
                raise ConfigError(
                    "SLACK_BOT_TOKEN is missing: HTTP mode needs it beside SLACK_SIGNING_SECRET (or SLACK_CLIENT_ID "
                    f"and SLACK_CLIENT_SECRET to install in many workspaces); {_BOT_TOKEN_HOWTO}"
                )
            return "http"
        # Someone who set a credential wants Slack, not the console trial: say what is still missing.
        if self.slack_bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN is set, but Slack needs a way to reach peerlearn: set SLACK_APP_TOKEN=xapp-… "
                "(Socket Mode, no public URL) or SLACK_SIGNING_SECRET (HTTP mode); see README"
            )
        if self.oauth_enabled:
            raise ConfigError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, but the OAuth install needs HTTP mode: "
                "set SLACK_SIGNING_SECRET too (Basic Information → App Credentials)"
            )
        raise NotConfiguredError("no Slack credentials are set")


def load_settings(**overrides: object) -> Settings:
    """Read the environment and `.env`; raise ConfigError naming the first bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = error["loc"][0] if error["loc"] else "?"
        variable = _variable_name(str(field))
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"invalid setting {variable}: {message}") from None
    except SettingsError as exc:
        raise ConfigError(f"invalid settings: {exc}") from None


def _variable_name(field: str) -> str:
    for name, info in Settings.model_fields.items():
        if field in (name, info.alias):
            return info.alias or name.upper()
    return field
