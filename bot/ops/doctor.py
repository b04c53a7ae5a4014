"""`peerlearn doctor`: is this installation healthy? Configuration, database, Slack token and scopes, each with a
fix when it is not. Reads only: it changes nothing (not even migrations)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.slack.client import make_client
from bot.slack.install import BOT_SCOPES
from store.db import DatabaseUnavailableError, check_connection, make_engine
from store.migrate import alembic_config


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    fix: str = ""
    warning: bool = False  # works, but worth a look


@dataclass(frozen=True)
class SchemaProblem:
    what: str  # completes "the database at URL …"
    fix: str


UPGRADE_FIX = "run: peerlearn db upgrade (or start the bot once: `peerlearn run` migrates first)"


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names when it does not exist (connecting would create it, empty); else None."""
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:"):
        return None
    if name.startswith("file:"):  # a URI filename (…?uri=true): its path, unless it is an in-memory one
        if "memory" in name or parsed.query.get("mode") == "memory":
            return None
        name = name.removeprefix("file:").split("?", 1)[0]
    path = Path(name)
    return None if path.exists() else path


def schema_problem(engine: Engine) -> SchemaProblem | None:
    """Why this database's schema does not match this release (None when it does), read without changing it."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    head = scripts.get_current_head()
    if current == head:
        return None
    if current is None:
        return SchemaProblem("has no peerlearn tables yet", UPGRADE_FIX)
    try:
        scripts.get_revision(current)
    except CommandError:
        return SchemaProblem(
            f"has schema {current}, which a newer peerlearn wrote (this one knows up to {head})",
            "upgrade peerlearn to the release that runs the bot",
        )
    return SchemaProblem(f"has schema {current}, older than this peerlearn's {head}", UPGRADE_FIX)


def run(settings: Settings) -> list[Check]:
    """Every check, in the order the report shows them; reads only."""
    checks = list(_configuration(settings))
    database = list(_database(settings))
    checks += database
    if settings.slack_bot_token:
        checks += list(_token(settings, settings.slack_bot_token, "SLACK_BOT_TOKEN"))
    if settings.socket_mode and settings.slack_app_token:
        checks += list(_app_token(settings, settings.slack_app_token))
    if settings.oauth_enabled and all(c.ok for c in database):
        checks += list(_installations(settings))
    return checks


def _configuration(settings: Settings) -> Iterator[Check]:
    if settings.socket_mode:
        yield Check(True, "mode: Socket Mode (SLACK_APP_TOKEN)")
    elif settings.http_mode:
        yield Check(True, "mode: HTTP (SLACK_SIGNING_SECRET); Slack must reach /slack/events over https")
    else:
        yield Check(
            False,
            "mode: none configured",
            "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); see README",
        )
    if settings.oauth_enabled:
        if settings.socket_mode or not settings.http_mode:
            yield Check(
                False,
                "OAuth install: needs HTTP mode to serve /slack/install and /slack/oauth_redirect",
                "set SLACK_SIGNING_SECRET and unset SLACK_APP_TOKEN",
            )
        else:
            yield Check(True, "OAuth install: /slack/install and /slack/oauth_redirect are served")
    elif not settings.slack_bot_token:
        yield Check(False, "no bot token", "set SLACK_BOT_TOKEN=xoxb-… (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
    if not settings.learning_channel:
        yield Check(
            True,
            "PEERLEARN_LEARNING_CHANNEL is not set: each workspace's admins choose one in App Home",
            warning=True,
        )


def _database(settings: Settings) -> Iterator[Check]:
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    # Connecting to SQLite creates a missing file: look before connecting, since doctor creates nothing.
    if missing_sqlite_file(settings.database_url) is not None:
        yield Check(False, f"database: {where} does not exist yet (no such file)", UPGRADE_FIX)
        return
    engine = make_engine(settings.database_url)
    try:
        check_connection(engine)
    except DatabaseUnavailableError as exc:
        yield Check(False, str(exc), "check DATABASE_URL (or --database) and that the database server is running")
        return
    try:
        problem = schema_problem(engine)
    finally:
        engine.dispose()
    if problem is None:
        yield Check(True, f"database: {where}, schema up to date")
    else:
        yield Check(False, f"database: {where} {problem.what}", problem.fix)


def _token(settings: Settings, token: str, name: str, label: str = "") -> Iterator[Check]:
    try:
        answer = make_client(settings, token).auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error")
        yield Check(
            False, f"{label or name}: Slack refused the token ({error})", f"copy a fresh xoxb-… token into {name}"
        )
        return
    except OSError as exc:
        yield Check(
            False, f"Slack API at {settings.slack_api_url} unreachable ({exc})", "check the network or SLACK_API_URL"
        )
        return
    team = f"{answer.get('team') or ''} ({answer.get('team_id')})"
    yield Check(True, f"{label or name}: valid, bot @{answer.get('user')} in {team}")
    header = next((v for k, v in answer.headers.items() if k.lower() == "x-oauth-scopes"), "")
    header = header[0] if isinstance(header, list) else header
    granted = {scope.strip() for scope in str(header).split(",") if scope.strip()}
    missing = sorted(set(BOT_SCOPES) - granted)
    extra = sorted(granted - set(BOT_SCOPES))
    if missing:
        yield Check(
            False,
            f"scopes: missing {', '.join(missing)}",
            "update the app from manifest.yml (api.slack.com/apps → App Manifest), then reinstall it",
        )
    else:
        yield Check(True, "scopes: everything manifest.yml asks for")
    if extra:
        yield Check(True, f"scopes: also granted {', '.join(extra)}, which peerlearn does not use", warning=True)


def _app_token(settings: Settings, token: str) -> Iterator[Check]:
    try:
        make_client(settings).apps_connections_open(app_token=token)
    except SlackApiError as exc:
        error = exc.response.get("error")
        yield Check(
            False,
            f"SLACK_APP_TOKEN: Slack refused it ({error})",
            "create an app-level token with connections:write (Basic Information → App-Level Tokens)",
        )
        return
    yield Check(True, "SLACK_APP_TOKEN: valid, Socket Mode can connect")


def _installations(settings: Settings) -> Iterator[Check]:
    from bot.slack.install import installation_store
    from store.db import make_sessions
    from store.repos import Repos

    engine = make_engine(settings.database_url)
    with make_sessions(engine)() as session:
        teams = Repos(session).workspaces.active_teams()
    store = installation_store(settings, engine)
    installed = 0
    for team in teams:
        bot = store.find_bot(enterprise_id=None, team_id=team)
        if bot is None or not bot.bot_token:
            continue
        installed += 1
        yield from _token(settings, bot.bot_token, "the workspace's token", f"workspace {team}")
    engine.dispose()
    yield Check(True, f"OAuth installs: {installed} workspace(s)", warning=installed == 0)


def report(checks: list[Check]) -> str:
    """The checks as lines for a terminal: a mark, what was found, and the fix under each problem."""
    lines = []
    for check in checks:
        mark = "!" if check.warning else "✓" if check.ok else "✗"
        lines.append(f"{mark} {check.what}")
        if check.fix:
            lines.append(f"    fix: {check.fix}")
    failed = sum(not c.ok for c in checks)
    lines.append("")
    lines.append("all good" if not failed else f"{failed} problem{'s' if failed != 1 else ''} to fix")
    return "\n".join(lines)
