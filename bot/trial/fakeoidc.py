"""The fake Slack's Sign in with Slack: the authorize page (a browser already signed in to Slack, who approves at
once, or cancels), openid.connect.token, and the JWKS its id_tokens are signed with, from a key made for the run.

As strict as Slack where it matters to the dashboard: a code works once, for its redirect_uri and client only.
"""

from __future__ import annotations

import base64
import functools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

if TYPE_CHECKING:
    from bot.trial.fakeslack import FakeSlack

KEY_ID = "fake-slack-oidc-1"


@functools.cache
def _private_key() -> Any:
    """One RSA key per process: generating it is the slow part, and no test needs two."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeOIDC:
    client_id: str = "1234.5678"
    client_secret: str = "fake-oidc-client-secret"
    # Who the browser is signed in to Slack as (user id, team id); None: the person cancels (access_denied).
    signed_in: tuple[str, str] | None = None
    claims: dict[str, Any] = field(default_factory=dict)  # overrides for the next id_tokens (exp, nonce, team…)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    issued: list[str] = field(default_factory=list)  # every id_token handed out, for tests that replay one

    def authorize(self, query: str) -> tuple[int, dict[str, str]]:
        """GET /openid/connect/authorize: (status, headers); a redirect back to the app, as after approving."""
        args = dict(parse_qsl(query))
        redirect = args.get("redirect_uri", "")
        if args.get("client_id") != self.client_id or not redirect or args.get("response_type") != "code":
            return 400, {}
        if "openid" not in args.get("scope", "").split() or not args.get("state"):
            return 400, {}
        if self.signed_in is None:
            back = {"error": "access_denied", "state": args["state"]}
            return 302, {"Location": f"{redirect}?{urlencode(back)}"}
        user, team = self.signed_in
        code = secrets.token_urlsafe(12)
        self.codes[code] = {"user": user, "team": team, "nonce": args.get("nonce", ""), "redirect_uri": redirect}
        return 302, {"Location": f"{redirect}?{urlencode({'code': code, 'state': args['state']})}"}

    def token(self, fake: FakeSlack, args: dict[str, Any], auth: str | None) -> dict[str, Any]:
        """openid.connect.token: the client authenticates (HTTP Basic, as slack_sdk sends it, or form fields)."""
        client_id, secret = str(args.get("client_id", "")), str(args.get("client_secret", ""))
        if auth and auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return {"ok": False, "error": "invalid_client_id" if client_id != self.client_id else "bad_client_secret"}
        grant = self.codes.pop(str(args.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        if grant["redirect_uri"] != args.get("redirect_uri"):
            return {"ok": False, "error": "bad_redirect_uri"}
        now = int(time.time())
        person = fake.users.get(grant["user"])
        claims = {
            "iss": fake.base_url,
            "sub": grant["user"],
            "aud": self.client_id,
            "exp": now + 3600,
            "iat": now,
            "auth_time": now,
            "nonce": grant["nonce"],
            "https://slack.com/user_id": grant["user"],
            "https://slack.com/team_id": grant["team"],
            "name": person.name if person else grant["user"],
            "email": f"{grant['user'].lower()}@example.com",
        } | self.claims
        id_token = sign(claims)
        self.issued.append(id_token)
        return {
            "ok": True,
            "access_token": f"xoxp-oidc-{grant['user'].lower()}",
            "token_type": "Bearer",
            "id_token": id_token,
        }

    def keys(self) -> dict[str, Any]:
        """GET /openid/connect/keys: the public half of the signing key, as a JWKS."""
        from jwt.algorithms import RSAAlgorithm

        jwk = json.loads(RSAAlgorithm.to_jwk(_private_key().public_key()))
        return {"keys": [jwk | {"kid": KEY_ID, "alg": "RS256", "use": "sig"}]}


def sign(claims: dict[str, Any], key: Any = None) -> str:
    """An RS256 id_token with the fake's key (or another, for a test of a forged one)."""
    import jwt

    return jwt.encode(claims, key or _private_key(), algorithm="RS256", headers={"kid": KEY_ID})
