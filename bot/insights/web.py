"""/insights as a Flask app mounted beside Bolt (bot/slack/server.py routes /insights* here): the dashboard, its CSVs,
Sign in with Slack and sign-out. Every refusal is a short page and a log line without codes, tokens or cookies."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from cachetools import TTLCache
from flask import Flask, Response, redirect, request
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.insights import page
from bot.insights.auth import COOKIE, SESSION_HOURS, Provider, Sessions, SignedIn, SignInError, is_workspace_admin
from bot.insights.auth import new_state as fresh_state
from bot.insights.report import DEFAULT_PERIOD, PERIODS, Report, build
from store.models import Workspace
from store.repos.insights import InsightsRepo
from store.repos.signins import SignInRepo

logger = logging.getLogger(__name__)

PARAMS = frozenset({"period", "workspace"})
CACHE_SECONDS = 60
TRIAL_HOST = "127.0.0.1"


class BadQueryError(Exception):
    """A URL the dashboard does not understand; the message is shown on the 400 page."""


def create_app(
    *,
    db: sessionmaker[Session],
    secret_key: str,
    provider: Provider | None,
    client_for: Callable[[str], WebClient],
    public_url: str | None = None,
    trial: SignedIn | None = None,
    clock: Clock | None = None,
    timer: Callable[[], float] = time.monotonic,  # the cache's: tests move it instead of sleeping
) -> Flask:
    """The dashboard's WSGI app. `trial` signs in whoever connects from 127.0.0.1 (the console trial only)."""
    app = Flask(__name__)
    now_of = (clock or Clock()).now  # the Deps' clock: the console trial's moved one included
    sessions = Sessions(secret_key)
    cache: TTLCache[tuple[str, str, str | None], tuple[Report, datetime]] = TTLCache(
        maxsize=256, ttl=CACHE_SECONDS, timer=timer
    )

    def html(body: str, status: int = 200) -> Response:
        return Response(body, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"})

    def refuse(status: int, title: str, text: str, *, retry: bool = False, people: list[str] | None = None) -> Response:
        logger.info("insights: %s %s", status, title)
        return html(page.message(title, text, retry="/insights/login" if retry else None, people=people or []), status)

    def current() -> SignedIn | None:
        if trial is not None and request.remote_addr == TRIAL_HOST:
            return trial
        who = sessions.load(request.cookies.get(COOKIE))
        if who is not None and who.granted:
            # A dashboard admin removed in the settings is out at once, not when the cookie expires.
            with db() as session:
                if not SignInRepo(session).is_extra_admin(who.tenant, who.user_id):
                    logger.info("insights: %s of %s is no longer a dashboard admin", who.user_id, who.tenant)
                    return None
        return who

    def redirect_uri() -> str:
        return (public_url or request.host_url).rstrip("/") + "/insights/callback"

    def secure() -> bool:
        return request.is_secure or (public_url or "").startswith("https://")

    def query(who: SignedIn) -> tuple[str, str | None]:
        """(period, workspace filter) from the URL; BadQueryError for anything else."""
        unknown = sorted(set(request.args) - PARAMS)
        if unknown:
            raise BadQueryError(f"The dashboard does not take {', '.join(unknown)}.")
        period = request.args.get("period", DEFAULT_PERIOD)
        if period not in PERIODS:
            raise BadQueryError(f"The period can be {', '.join(PERIODS)}.")
        workspace = request.args.get("workspace") or None
        if workspace == who.tenant:
            return period, None  # the whole tenant
        if workspace:
            with db() as session:
                found = session.get(Workspace, workspace)
            if found is None or found.enterprise_id != who.tenant:
                raise BadQueryError("That workspace is not one of yours.")
        return period, workspace

    def report(who: SignedIn, period: str, workspace: str | None) -> tuple[Report, datetime]:
        key = (who.tenant, period, workspace)
        if key not in cache:
            now = now_of()
            with db() as session:
                name = who.team_name
                if workspace is not None:
                    row = session.get(Workspace, workspace)
                    name = f"{name} · {row.name if row is not None and row.name else workspace}"
                repo = InsightsRepo(session, workspace)
                cache[key] = (build(repo, who.tenant, name, period, now), now)
        return cache[key]

    def asked() -> tuple[SignedIn, str, str | None] | Response:
        """Who asks, and for which period and workspace; or the answer that stops here (sign in, or a 400)."""
        who = current()
        if who is None:
            return redirect("/insights/login", 302)  # type: ignore[return-value]
        try:
            return (who, *query(who))
        except BadQueryError as exc:
            return refuse(400, "Not a page of the dashboard", str(exc))

    @app.get("/insights")
    def dashboard() -> Response:
        if not isinstance(ask := asked(), tuple):
            return ask
        who, period, workspace = ask
        found, built = report(who, period, workspace)
        chosen = {"workspace": workspace} if workspace else {}

        def link(key: str) -> str:
            return "/insights?" + urlencode({"period": key} | chosen)

        def csv_link(key: str) -> str:
            return f"/insights/csv/{key}.csv?" + urlencode({"period": period} | chosen)

        csrf = None if trial is not None and who is trial else who.csrf
        return html(page.page(found, user=who.name, csrf=csrf, link=link, csv_link=csv_link, built=built))

    @app.get("/insights/csv/<key>.csv")
    def download(key: str) -> Response:
        if not isinstance(ask := asked(), tuple):
            return ask
        who, period, workspace = ask
        table = report(who, period, workspace)[0].table(key)
        if table is None:
            return refuse(404, "No such table", "The dashboard has no table of that name.")
        disposition = f'attachment; filename="{key}-{period}.csv"'
        return Response(page.as_csv(table), mimetype="text/csv", headers={"Content-Disposition": disposition})

    @app.get("/insights/login")
    def login() -> Response:
        if provider is None:
            return refuse(503, "Sign in with Slack is not set up", "Set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")
        state, nonce = fresh_state()
        with db.begin() as session:
            pinned = _only_workspace(session)
            SignInRepo(session).begin(state, nonce, pinned, now_of())
        url = provider.authorize_url(state=state, nonce=nonce, redirect_uri=redirect_uri(), team=pinned)
        return redirect(url, 302)  # type: ignore[return-value]

    @app.get("/insights/callback")
    def callback() -> Response:
        if provider is None:
            return refuse(503, "Sign in with Slack is not set up", "Set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")
        if request.args.get("error"):
            logger.info("insights: Slack answered the sign-in with %s", request.args.get("error", "")[:40])
            return refuse(401, "You did not sign in", "Slack did not sign you in, or you cancelled.", retry=True)
        with db.begin() as session:
            pending = SignInRepo(session).consume(request.args.get("state", ""), now_of())
        if pending is None:
            return refuse(400, "This sign-in has expired", "It was used already or is too old.", retry=True)
        nonce, pinned = pending
        try:
            token = provider.exchange(request.args.get("code", ""), redirect_uri())
            identity = provider.verify(token, nonce=nonce, team=pinned)
        except SignInError as exc:
            logger.warning("insights: sign-in refused: %s", exc)
            return refuse(401, "Slack could not confirm who you are", "Please sign in again.", retry=True)
        with db() as session:
            repo = SignInRepo(session)
            tenant = repo.tenant_of(identity.team_id)
            if tenant is None:
                return refuse(403, "peerlearn is not installed here", "Install peerlearn in your workspace first.")
            allowed = repo.is_extra_admin(tenant[0], identity.user_id)
            granters = repo.who_can_grant(tenant[0])
        if not allowed and not is_workspace_admin(client_for(tenant[0]), identity.user_id):
            logger.info("insights: %s of %s is not an admin", identity.user_id, tenant[0])
            text = "The insights are for your workspace's admins and owners. One of them can give you access:"
            return refuse(403, "Sorry, this page is for admins", text, people=granters or ["your workspace's admins"])
        who = SignedIn.new(tenant[0], tenant[1], identity, granted=allowed)
        response = redirect("/insights", 302)
        response.set_cookie(
            COOKIE,
            sessions.dump(who),
            max_age=SESSION_HOURS * 3600,
            httponly=True,
            samesite="Lax",
            secure=secure(),
            path="/insights",
        )
        logger.info("insights: %s of %s signed in", identity.user_id, tenant[0])
        return response  # type: ignore[return-value]

    @app.post("/insights/logout")
    def logout() -> Response:
        who = current()
        if who is None or not who.csrf_ok(request.form.get("csrf")):
            return refuse(403, "Sign-out needs its form", "Use the Sign out button on the dashboard.")
        response = html(page.message("Signed out", "You are signed out of peerlearn's insights.", retry=None))
        response.delete_cookie(COOKIE, path="/insights", httponly=True, samesite="Lax", secure=secure())
        return response

    return app


def _only_workspace(session: Session) -> str | None:
    """The workspace to pin the sign-in to when peerlearn is installed in just one (else Slack asks which)."""
    from sqlalchemy import select

    teams = session.scalars(select(Workspace.team_id).where(Workspace.enterprise_id.is_(None)).limit(2)).all()
    return teams[0] if len(teams) == 1 and not teams[0].startswith("E") else None
