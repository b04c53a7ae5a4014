"""Sign in with Slack, end to end: the whole HTTP app, the fake Slack's authorize page, openid.connect.token and
JWKS, a real signed id_token, users.info for the admin check, the session cookie and sign-out."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from werkzeug.test import Client

from bot.deps import Deps
from bot.insights.auth import COOKIE
from bot.trial.fakeoidc import sign
from store.repos.signins import SignInRepo
from tests.bot.insights.dashboard import dashboard, sign_in, through_slack
from tests.fakes.slack_api import FakeSlack

__all__ = ["dashboard"]


def cookie_of(browser: Client) -> str:
    found = browser.get_cookie(COOKIE, path="/insights")
    assert found is not None
    return found.value


def test_without_a_session_the_dashboard_sends_you_to_slack_with_state_nonce_and_team(
    dashboard: Client, fake_slack: FakeSlack
) -> None:
    first = dashboard.get("/insights")
    assert first.status_code == 302 and first.headers["Location"] == "/insights/login"
    start = dashboard.get("/insights/login")
    url = urlparse(start.headers["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{fake_slack.base_url}/openid/connect/authorize"
    assert query["scope"] == ["openid profile email"]
    assert query["response_type"] == ["code"]
    assert query["team"] == [fake_slack.team_id]
    assert query["redirect_uri"] == ["http://localhost/insights/callback"]
    assert len(query["state"][0]) >= 24 and len(query["nonce"][0]) >= 24


def test_an_admin_signs_in_and_sees_the_dashboard_with_a_safe_cookie(
    dashboard: Client, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    back = sign_in(dashboard, fake_slack)
    assert back.status_code == 302 and back.headers["Location"] == "/insights"
    header = back.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Max-Age=28800" in header
    assert "Secure" not in header  # plain HTTP here; behind HTTPS it is Secure (test below)
    page = dashboard.get("/insights")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Learning insights · Demo" in text and "Signed in as Ada Admin" in text
    assert [c.method for c in fake_slack.calls_to("openid.connect.token")] == ["openid.connect.token"]
    # Nothing secret reaches the logs: not the code, the id_token or the cookie.
    code = parse_qs(urlparse(fake_slack.calls_to("openid.connect.token")[0].args.get("code", "x")).path)
    logged = caplog.text
    assert fake_slack.oidc.issued[0] not in logged and cookie_of(dashboard) not in logged
    assert all(value not in logged for value in code)


def test_the_cookie_is_secure_behind_https_and_rotated_at_each_sign_in(
    dashboard: Client, fake_slack: FakeSlack
) -> None:
    fake_slack.oidc.signed_in = ("UADMIN", fake_slack.team_id)
    start = dashboard.get("/insights/login", base_url="https://peerlearn.example.com")
    back = dashboard.get(through_slack(start.headers["Location"]), base_url="https://peerlearn.example.com")
    assert "Secure" in back.headers["Set-Cookie"]
    sign_in(dashboard, fake_slack)
    first = cookie_of(dashboard)
    sign_in(dashboard, fake_slack)
    assert cookie_of(dashboard) != first


def test_a_wrong_or_reused_state_is_refused_with_a_way_to_try_again(dashboard: Client, fake_slack: FakeSlack) -> None:
    fake_slack.oidc.signed_in = ("UADMIN", fake_slack.team_id)
    callback = through_slack(dashboard.get("/insights/login").headers["Location"])
    wrong = dashboard.get(callback.replace("state=", "state=forged"))
    assert wrong.status_code == 400 and 'href="/insights/login"' in wrong.get_data(as_text=True)
    assert dashboard.get(callback).status_code == 302  # the right one still works, once
    dashboard.delete_cookie(COOKIE, path="/insights")
    again = dashboard.get(callback)
    assert again.status_code == 400 and "expired" in again.get_data(as_text=True)


def test_a_replayed_id_token_fails_on_its_nonce(dashboard: Client, fake_slack: FakeSlack) -> None:
    sign_in(dashboard, fake_slack)
    old_token = fake_slack.oidc.issued[-1]
    dashboard.delete_cookie(COOKIE, path="/insights")
    # An attacker who kept the old id_token gets Slack to hand it out again on a new sign-in.
    fake_slack.oidc.claims = {"nonce": "the-old-sign-in-nonce"}
    refused = sign_in(dashboard, fake_slack)
    assert refused.status_code == 401 and "sign in again" in refused.get_data(as_text=True)
    assert old_token != fake_slack.oidc.issued[-1]
    assert dashboard.get("/insights").status_code == 302


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, id="expired"),
        pytest.param({"https://slack.com/team_id": "TOTHER"}, id="another-team"),
        pytest.param({"aud": "someone-elses-app"}, id="another-app"),
        pytest.param({"iss": "https://evil.example.com"}, id="another-issuer"),
    ],
)
def test_an_id_token_that_is_not_for_this_sign_in_is_refused(
    dashboard: Client, fake_slack: FakeSlack, claims: dict
) -> None:
    fake_slack.oidc.claims = claims
    refused = sign_in(dashboard, fake_slack)
    assert refused.status_code == 401
    assert COOKIE not in refused.headers.get("Set-Cookie", "")


def test_a_token_signed_with_another_key_is_refused(fake_slack: FakeSlack) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from bot.insights.auth import Provider, SignInError

    forged = sign({"sub": "UADMIN"}, rsa.generate_private_key(public_exponent=65537, key_size=2048))
    provider = Provider(fake_slack.api_url, fake_slack.oidc.client_id, fake_slack.oidc.client_secret)
    with pytest.raises(SignInError, match="InvalidSignatureError"):
        provider.verify(forged, nonce="n", team=None)


def test_a_person_who_cancels_at_slack_is_offered_to_try_again(dashboard: Client, fake_slack: FakeSlack) -> None:
    fake_slack.oidc.signed_in = None  # the person clicks Cancel on Slack's page
    start = dashboard.get("/insights/login")
    back = dashboard.get(through_slack(start.headers["Location"]))
    assert back.status_code == 401
    assert 'href="/insights/login"' in back.get_data(as_text=True) and "Try again" in back.get_data(as_text=True)


def test_a_member_who_is_not_an_admin_gets_a_polite_403_naming_who_can_grant(
    dashboard: Client, fake_slack: FakeSlack, deps: Deps
) -> None:
    with deps.tx() as repos:
        admin = repos.members.ensure(fake_slack.team_id, "UADMIN", "Ada Admin")
        admin.is_admin = True
    refused = sign_in(dashboard, fake_slack, user="UBOB")
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "this page is for admins" in text and "Ada Admin" in text
    assert dashboard.get("/insights").status_code == 302


def test_peerlearns_own_admins_are_let_in_too(dashboard: Client, fake_slack: FakeSlack, deps: Deps) -> None:

    with deps.tx() as repos:
        SignInRepo(repos.db).grant(fake_slack.team_id, "UBOB", datetime.now(UTC))
    assert sign_in(dashboard, fake_slack, user="UBOB").status_code == 302
    assert dashboard.get("/insights").status_code == 200


def test_a_tampered_cookie_is_no_session(dashboard: Client, fake_slack: FakeSlack) -> None:
    sign_in(dashboard, fake_slack)
    value = cookie_of(dashboard)
    dashboard.set_cookie(COOKIE, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"), path="/insights")
    assert dashboard.get("/insights").status_code == 302


def test_sign_out_needs_its_csrf_token(dashboard: Client, fake_slack: FakeSlack) -> None:
    sign_in(dashboard, fake_slack)
    page = dashboard.get("/insights").get_data(as_text=True)
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    assert dashboard.post("/insights/logout", data={}).status_code == 403
    assert dashboard.post("/insights/logout", data={"csrf": "guess"}).status_code == 403
    assert dashboard.get("/insights").status_code == 200  # still signed in
    out = dashboard.post("/insights/logout", data={"csrf": csrf})
    assert out.status_code == 200 and "Signed out" in out.get_data(as_text=True)
    assert dashboard.get("/insights").status_code == 302


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?colour=red", "does not take colour"),
        ("?period=decade", "The period can be"),
        ("?workspace=TNOTOURS", "not one of yours"),
    ],
)
def test_a_url_the_dashboard_does_not_understand_gets_a_short_400(
    dashboard: Client, fake_slack: FakeSlack, query: str, says: str
) -> None:
    sign_in(dashboard, fake_slack)
    answer = dashboard.get(f"/insights{query}")
    assert answer.status_code == 400 and says in answer.get_data(as_text=True)
    assert dashboard.get("/insights?period=year").status_code == 200  # and nothing broke
