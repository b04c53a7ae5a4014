"""Sign in with Slack (OpenID Connect) for the dashboard, and its session cookie.

Slack's OIDC endpoints sit beside its Web API (https://slack.com/openid/connect/…, issuer https://slack.com), so
they are found from SLACK_API_URL: the tests' fake Slack serves the same paths with a key of its own.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from itsdangerous import BadSignature, URLSafeTimedSerializer
from slack_sdk import WebClient

logger = logging.getLogger(__name__)

SCOPES = "openid profile email"
SESSION_HOURS = 8
COOKIE = "peerlearn_insights"
TEAM_CLAIM = "https://slack.com/team_id"
USER_CLAIM = "https://slack.com/user_id"


class SignInError(Exception):
    """The id_token or the exchange was refused; the message says why (never the token or the code)."""


@dataclass(frozen=True)
class Identity:
    """Who Slack says signed in."""

    user_id: str
    team_id: str
    name: str


@dataclass(frozen=True)
class SignedIn:
    """What the session cookie holds. `sid` is new at every sign-in (the session is rotated), `csrf` guards POSTs."""

    sid: str
    tenant: str
    team_name: str
    user_id: str
    name: str
    csrf: str
    granted: bool = False  # let in as a dashboard admin (not a workspace admin): checked again on every request

    @classmethod
    def new(cls, tenant: str, team_name: str, who: Identity, *, granted: bool = False) -> SignedIn:
        sid, csrf = secrets.token_urlsafe(16), secrets.token_urlsafe(24)
        return cls(sid, tenant, team_name, who.user_id, who.name, csrf, granted)

    def csrf_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf, str(given))


class Sessions:
    """Signed, timestamped cookies (itsdangerous): a changed byte or one older than 8 hours is no session."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="peerlearn-insights-session")

    def dump(self, session: SignedIn) -> str:
        return self._serializer.dumps(asdict(session))

    def load(self, cookie: str | None) -> SignedIn | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=SESSION_HOURS * 3600)
            return SignedIn(**data)
        except (BadSignature, TypeError, ValueError):
            logger.warning("insights: a session cookie was refused (tampered with or expired)")
            return None


class Provider:
    """Slack as an OpenID Connect provider, for one Slack app (its client id and secret)."""

    def __init__(self, api_url: str, client_id: str, client_secret: str, client: WebClient | None = None) -> None:
        site = api_url.removesuffix("api/")
        self.authorize_endpoint = f"{site}openid/connect/authorize"
        self.issuer = site.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        # slack_sdk logs whole request and response bodies at DEBUG: here those hold the code and the id_token.
        quiet = logging.getLogger(f"{__name__}.slack")
        quiet.setLevel(logging.INFO)
        self._client = client or WebClient(base_url=api_url, logger=quiet)
        # Slack's keys change rarely: cached for an hour, and fetched again for a key id not seen yet.
        self._keys = jwt.PyJWKClient(f"{site}openid/connect/keys", cache_keys=True, lifespan=3600)

    def authorize_url(self, *, state: str, nonce: str, redirect_uri: str, team: str | None) -> str:
        params = {
            "response_type": "code",
            "scope": SCOPES,
            "client_id": self.client_id,
            "state": state,
            "nonce": nonce,
            "redirect_uri": redirect_uri,
        }
        if team:
            params["team"] = team  # pinned: Slack signs the person in to this workspace, not another
        return f"{self.authorize_endpoint}?{urlencode(params)}"

    def exchange(self, code: str, redirect_uri: str) -> str:
        """The id_token for an authorization code (openid.connect.token)."""
        from slack_sdk.errors import SlackApiError

        try:
            answer = self._client.openid_connect_token(
                client_id=self.client_id, client_secret=self._secret, code=code, redirect_uri=redirect_uri
            )
        except SlackApiError as exc:
            raise SignInError(f"openid.connect.token refused: {exc.response.get('error')}") from None
        token = answer.get("id_token")
        if not isinstance(token, str):
            raise SignInError("openid.connect.token answered no id_token")
        return token

    def verify(self, id_token: str, *, nonce: str, team: str | None) -> Identity:
        """Check the signature against Slack's keys, then issuer, audience, expiry, nonce and team."""
        try:
            key = self._keys.get_signing_key_from_jwt(id_token)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                leeway=30,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SignInError(f"id_token refused: {type(exc).__name__}") from None
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInError("id_token refused: its nonce is not this sign-in's")
        signed_team = str(claims.get(TEAM_CLAIM, ""))
        if not signed_team or (team and signed_team != team):
            raise SignInError("id_token refused: it is for another workspace")
        user = str(claims.get(USER_CLAIM) or claims["sub"])
        return Identity(user, signed_team, str(claims.get("name") or claims.get("given_name") or user))


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """An admin or owner of the workspace (or of its Enterprise org), by users.info."""
    from slack_sdk.errors import SlackApiError

    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        logger.warning("insights: users.info failed: %s", exc.response.get("error"))
        return False
    org = user.get("enterprise_user") or {}
    flags = ("is_admin", "is_owner", "is_primary_owner")
    return not user.get("deleted") and any(bool(user.get(f) or org.get(f)) for f in flags)


def new_state() -> tuple[str, str]:
    """A fresh (state, nonce) pair."""
    return secrets.token_urlsafe(24), secrets.token_urlsafe(24)
