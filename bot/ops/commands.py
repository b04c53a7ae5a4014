"""The operator commands other than `run`: console, digest, export, doctor and db upgrade."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings
from bot.telemetry import logs
from store.db import check_connection

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.deps import Deps
    from bot.jobs import SlackFor

TRIAL_DATABASE = "sqlite:///peerlearn-trial.db"


def configure_logs(level: int, settings: Settings, *, console_log: Path | None = None, verbose: bool = False) -> None:
    json_lines = settings.log_format == "json"
    if console_log is None:
        logs.configure(level, json_lines=json_lines)
    else:
        logs.configure_console(console_log, verbose=verbose, json_lines=json_lines)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-plugin INFO lines say nothing to an admin
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # two INFO lines per job run, every minute
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a line per queued request under load


def clients(settings: Settings, deps: Deps) -> SlackFor:
    """Each workspace's Web API client: its installation's token with OAuth, else the one bot token."""
    from bot.slack.client import WorkspaceClients, make_client
    from bot.slack.install import installation_store

    if settings.oauth_enabled:
        return WorkspaceClients(settings, installation_store(settings, deps.engine))
    client = make_client(settings, settings.slack_bot_token)
    return lambda _team: client


def console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.trial.console import Console

    configure_logs(logging.INFO, settings, console_log=trial_log(args.database), verbose=args.verbose)
    return Console(settings, database_url=args.database, me=args.as_user).loop()


def trial_log(database_url: str) -> Path:
    """The trial's log file: beside its SQLite file (peerlearn-trial.db → peerlearn-trial.log), else here."""
    url = make_url(database_url)
    name = url.database or ""
    if url.get_backend_name() == "sqlite" and name and name != ":memory:" and not name.startswith("file:"):
        return Path(name).with_suffix(".log")
    return Path("peerlearn-trial.log")


def digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.deps import Deps
    from bot.jobs import JobContext
    from bot.jobs.digest import post
    from bot.services import digest as digests
    from bot.services.scope import Scope
    from bot.services.workspace import DigestTarget, tenant_of_key
    from bot.trial.render import Renderer
    from bot.views.digest import digest_message
    from store.db import make_sessions
    from store.repos import Repos

    # Posting records the post, so it migrates like the bot does; --dry-run only reads.
    engine = _existing_database(settings, migrate=not args.dry_run)
    deps = Deps(settings=settings, engine=engine, db=make_sessions(engine))
    try:
        with deps.db() as db:
            # A workspace of an org-wide install names its own digest (when the org chose one per workspace).
            team = _pick_team(Repos(db).export.teams(), args.team)
            tenant = tenant_of_key(Repos(db), team) if team else None
        if team is None or tenant is None:
            return 2
        effective = deps.workspace(team)
        with deps.db() as db:
            repos = Repos(db)
            scope = Scope(tenant, "", deps.clock.now(), repos, deps.catalog)
            built = digests.build(scope, tz=effective.timezone)
            leaders = repos.members.by_user_ids(tenant, [u for u, _ in built.leaderboard])
            names = {m.user_id: m.display_name for m in leaders}
        if args.dry_run:
            renderer = Renderer(lambda user: names.get(user, user), color=sys.stdout.isatty())
            print(renderer.message(digest_message(built)))
            if built.nothing_to_report:
                print(f"(nothing to report for {team} this week: this digest would not be posted)")
            return 0
        if built.nothing_to_report:
            print(DIGEST_OUTCOMES["nothing"][0].format(team=team))
            return 0
        if not (settings.slack_bot_token or settings.oauth_enabled):
            print("peerlearn: posting needs SLACK_BOT_TOKEN (or use --dry-run to print it)", file=sys.stderr)
            return 2
        ctx = JobContext(deps, clients(settings, deps))
        outcome = post(ctx, DigestTarget(team, tenant), deps.clock.now(), effective, force=args.force, on_demand=True)
    finally:
        deps.close()
    message, code = DIGEST_OUTCOMES[outcome.value]
    print(message.format(channel=effective.learning_channel, team=team), file=sys.stderr if code else sys.stdout)
    return code


DIGEST_OUTCOMES = {
    "posted": ("posted this week's digest for {team} in {channel}", 0),
    "recovered": ("this week's digest for {team} was already in {channel}; recorded it", 0),
    "taken": ("this week's digest for {team} was posted already (or is being posted); --force posts it again", 0),
    "no_channel": ("peerlearn: {team} has no learning channel; set one in App Home or PEERLEARN_LEARNING_CHANNEL", 2),
    "refused": ("peerlearn: Slack refused to post in {channel}; see the admin's App Home for the fix", 1),
    "failed": ("peerlearn: Slack could not be reached; the scheduler will try again", 1),
    "not_due": ("not due", 0),
    "nothing": ("nothing to report for {team} this week (no wanted topics, sessions or kudos): nothing posted", 0),
}


def _pick_team(known: list[str], wanted: str | None) -> str | None:
    team = wanted or (known[0] if len(known) == 1 else None)
    if team is None or team not in known:
        listed = ", ".join(known) or "none yet"
        print(f"peerlearn: name a workspace with --team (workspaces here: {listed})", file=sys.stderr)
        return None
    return team


def _existing_database(settings: Settings, *, migrate: bool) -> Engine:
    """An engine on a database that is already there: never creates a SQLite file, and migrates only if asked
    (commands that merely read refuse a schema that is behind instead)."""
    from bot.ops.doctor import missing_sqlite_file, schema_problem
    from store.db import make_engine
    from store.migrate import upgrade

    where = make_url(settings.database_url).render_as_string(hide_password=True)
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None:
        trial = Path("peerlearn-trial.db")
        hint = f"; the console trial's data is in {trial}: --database {TRIAL_DATABASE}" if trial.exists() else ""
        raise ConfigError(
            f"there is nothing at {where} yet (no such file; the bot creates it when it first starts): "
            f"check --database or DATABASE_URL{hint}"
        )
    engine = make_engine(settings.database_url)
    check_connection(engine)
    if migrate:
        upgrade(engine)
        return engine
    problem = schema_problem(engine)
    if problem is not None:
        engine.dispose()
        raise ConfigError(f"the database at {where} {problem.what}; {problem.fix}")
    return engine


def export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ops.export import export as write_csv
    from bot.ops.export import teams
    from store.db import make_sessions

    engine = _existing_database(settings, migrate=False)
    sessions = make_sessions(engine)
    team = _pick_team(teams(sessions), args.team)
    if team is None:
        return 2
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as out:
            rows = write_csv(sessions, team, out, anonymous=args.anonymous)
        print(f"wrote {rows:,} rows for {team} to {args.out}", file=sys.stderr)
    else:
        try:
            write_csv(sessions, team, sys.stdout, anonymous=args.anonymous)
        except BrokenPipeError:
            # `peerlearn export | head`: the reader stopped early, which is fine. Silence the flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def doctor(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ops import doctor as checkup

    checks = checkup.run(settings)
    print(checkup.report(checks))
    return 0 if all(check.ok for check in checks) else 1


def db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services.catalog import Catalog
    from bot.services.reconcile import reconcile_all
    from store.db import make_engine, make_sessions
    from store.migrate import upgrade

    engine = make_engine(settings.database_url)
    check_connection(engine)
    upgrade(engine)
    moved = reconcile_all(make_sessions(engine), Catalog())
    print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")
    if moved:
        print(f"{moved} topic{'s' if moved != 1 else ''} put under the names the vocabulary gives them")
    return 0
