"""`peerlearn …`: run, console, digest, export, doctor, db upgrade."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url

from bot.config import ConfigError, NotConfiguredError, Settings, load_settings
from bot.ops import logs
from store.db import DatabaseUnavailableError, check_connection

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.deps import Deps
    from bot.jobs import SlackFor
    from bot.scheduler import Scheduler

logger = logging.getLogger("peerlearn")

NOT_CONFIGURED = """peerlearn has no Slack credentials, so it cannot start.
  Socket Mode (no public URL needed): set SLACK_APP_TOKEN=xapp-… and SLACK_BOT_TOKEN=xoxb-…
  HTTP mode (behind a public URL):    set SLACK_SIGNING_SECRET=… and SLACK_BOT_TOKEN=xoxb-…
  Many workspaces (OAuth install):    set SLACK_SIGNING_SECRET=…, SLACK_CLIENT_ID=… and SLACK_CLIENT_SECRET=…
Put them in the environment or in a .env file (see README.md), or try it locally first: peerlearn console"""

WORKERS_NEED_HTTP = (
    "peerlearn: --workers needs HTTP mode (SLACK_SIGNING_SECRET, no SLACK_APP_TOKEN): a Socket Mode connection "
    "is one process"
)
TRIAL_DATABASE = "sqlite:///peerlearn-trial.db"
EXPORT_HELP = """For workspace admins: the CSV names people. It lists who teaches what (level, since when, kudos
received) and every open need with the learner's user id and name. In Slack, needs are private (others see topics
and counts, never who asked), so keep the file among admins, or pass --anonymous to leave learners out."""
ANONYMOUS_HELP = (
    "leave learners out: open needs become one row per topic, with how many learners wait for it (in a 'learners' "
    "column) and the date of the oldest; no learner's id, name or kudos"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `peerlearn` console script and `python -m bot`."""
    parser = _parser()
    args = parser.parse_args(argv)
    # --database on the commands that only read or report overrides DATABASE_URL (and is validated like it).
    override = getattr(args, "database_override", None)
    try:
        settings = load_settings(**({"DATABASE_URL": override} if override else {}))
    except ConfigError as exc:
        message = str(exc).replace("DATABASE_URL", "--database", 1) if override else str(exc)
        print(f"peerlearn: {message}", file=sys.stderr)
        return 2
    # The console keeps its log lines in a file (see _console): they would land between the prompt and the answers.
    if args.command != "console":
        _configure_logs(logging.INFO if args.command == "run" else logging.WARNING, settings)
    try:
        return int(args.handler(settings, args))
    except ConfigError as exc:
        print(f"peerlearn: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailableError as exc:
        print(f"peerlearn: {exc}", file=sys.stderr)
        return 1


def _configure_logs(level: int, settings: Settings, *, console_log: Path | None = None, verbose: bool = False) -> None:
    json_lines = settings.log_format == "json"
    if console_log is None:
        logs.configure(level, json_lines=json_lines)
    else:
        logs.configure_console(console_log, verbose=verbose, json_lines=json_lines)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-plugin INFO lines say nothing to an admin
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # two INFO lines per job run, every minute
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a line per queued request under load


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerlearn", description="Peer learning for Slack workspaces.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="serve Slack (Socket Mode or HTTP), migrating the database first")
    run.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000; 0 picks a free one)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP interface to bind (default: all)")
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="HTTP mode: worker processes on one socket, one per core (default: $PEERLEARN_WORKERS, else 1)",
    )
    run.add_argument("--trial-if-unconfigured", action="store_true", help=argparse.SUPPRESS)
    run.set_defaults(handler=_run)

    console = commands.add_parser("console", help="try peerlearn in the terminal, no Slack workspace needed")
    console.add_argument("--as", dest="as_user", default="you", help="who you are at the start (default: you)")
    console.add_argument("--database", default=TRIAL_DATABASE, help="database URL (default: peerlearn-trial.db)")
    console.add_argument(
        "--verbose",
        action="store_true",
        help="print log lines in the terminal (by default they go to a .log file beside the trial database)",
    )
    console.set_defaults(handler=_console)

    digest = commands.add_parser("digest", help="post this week's digest now, unless it was posted already")
    digest.add_argument("--team", help="workspace (team id); needed when the database holds several")
    digest.add_argument("--dry-run", action="store_true", help="print the digest instead of posting it")
    digest.add_argument("--force", action="store_true", help="post it even if this week's was posted already")
    _database_option(digest)
    digest.set_defaults(handler=_digest)

    export = commands.add_parser(
        "export",
        help="CSV of the skills matrix and open needs, for admins: it names learners (see --anonymous)",
        description=EXPORT_HELP,
    )
    export.add_argument("--team", help="workspace (team id); needed when the database holds several")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.add_argument("--anonymous", action="store_true", help=ANONYMOUS_HELP)
    _database_option(export)
    export.set_defaults(handler=_export)

    doctor = commands.add_parser(
        "doctor", help="check configuration, database, Slack token and scopes; suggest fixes (changes nothing)"
    )
    _database_option(doctor)
    doctor.set_defaults(handler=_doctor)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply Alembic migrations up to the newest").set_defaults(
        handler=_db_upgrade
    )
    return parser


def _database_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database",
        dest="database_override",
        metavar="URL",
        help="database URL, overriding DATABASE_URL (whose default is sqlite:///peerlearn.db)",
    )


def _run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        mode = settings.run_mode()  # ConfigError (one line, exit 2) when the credentials fall short
    except NotConfiguredError:
        if args.trial_if_unconfigured:
            print(
                "No Slack credentials configured: starting the console trial on SQLite (see README to connect Slack)."
            )
            trial = argparse.Namespace(as_user="you", database=TRIAL_DATABASE, verbose=False)
            return _console(settings, trial)
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    workers = settings.workers if args.workers is None else args.workers
    if workers != 1:
        if mode != "http" or not 1 <= workers <= 64:
            print(WORKERS_NEED_HTTP if mode != "http" else "peerlearn: --workers takes 1 to 64", file=sys.stderr)
            return 2
        return _run_workers(settings, args, workers)
    from bot.app import build_app
    from bot.deps import Deps
    from bot.services.reconcile import reconcile_all
    from store.migrate import upgrade

    deps = Deps.from_settings(settings)
    check_connection(deps.engine)
    upgrade(deps.engine)
    reconcile_all(deps.db, deps.catalog)
    try:
        app = build_app(settings, deps)
    except (BoltError, SlackApiError) as exc:
        print(f"peerlearn: Slack refused the bot token ({_reason(exc)}); check SLACK_BOT_TOKEN", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"peerlearn: cannot reach Slack at {settings.slack_api_url} ({_reason(exc)})", file=sys.stderr)
        return 1
    stop = _stop_on_signals()
    scheduler = _scheduler(settings, deps)
    try:
        if mode == "socket":
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            logger.info("peerlearn starting in Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token)
            handler.connect()
            stop.wait()
            logger.info("peerlearn Socket Mode stopping")
            handler.close()
        else:
            from bot.slack.server import PeerlearnWSGI, serve

            port = settings.port if args.port is None else args.port
            wsgi = PeerlearnWSGI(app, deps.engine, settings.slack_signing_secret or "")
            serve(wsgi, host=args.host, port=port, stop=stop)
    finally:
        scheduler.shutdown()  # gives the PostgreSQL lock back: another replica takes over at once
        deps.close()  # sends what was queued after acks (DMs, kudos batches)
    logger.info("peerlearn stopped")
    return 0


def _run_workers(settings: Settings, args: argparse.Namespace, workers: int) -> int:
    """HTTP mode in `workers` pre-forked processes (bot/slack/prefork.py); migrations and checks run here first."""
    # Before prometheus_client is imported anywhere: every process writes its metrics where /metrics adds them up.
    metrics_dir = tempfile.mkdtemp(prefix="peerlearn-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    from bot.app import build_app
    from bot.deps import Deps
    from bot.services.reconcile import reconcile_all
    from bot.slack.prefork import Prefork, Worker
    from bot.slack.server import PeerlearnWSGI
    from store.migrate import upgrade

    checked = Deps.from_settings(settings)
    try:
        check_connection(checked.engine)
        upgrade(checked.engine)
        reconcile_all(checked.db, checked.catalog)
        build_app(settings, checked)  # the tokens, checked once with Slack before any worker starts
    except (BoltError, SlackApiError) as exc:
        print(f"peerlearn: Slack refused the bot token ({_reason(exc)}); check SLACK_BOT_TOKEN", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"peerlearn: cannot reach Slack at {settings.slack_api_url} ({_reason(exc)})", file=sys.stderr)
        return 1
    finally:
        checked.close()  # no connection or thread of this process may cross the fork

    def make_worker() -> Worker:
        deps = Deps.from_settings(settings)
        wsgi = PeerlearnWSGI(build_app(settings, deps), deps.engine, settings.slack_signing_secret or "")
        scheduler = _scheduler(settings, deps)

        def close() -> None:
            scheduler.shutdown()  # gives the scheduler's lock back: another worker or replica takes over
            deps.close()

        return Worker(wsgi, close)

    port = settings.port if args.port is None else args.port
    master = os.getpid()
    try:
        Prefork(make_worker, host=args.host, port=port, workers=workers, threads=4).run()
    finally:
        # A worker leaves through here too (gunicorn exits it with SystemExit): only the master cleans up.
        if os.getpid() == master:
            shutil.rmtree(metrics_dir, ignore_errors=True)
            logger.info("peerlearn stopped")
    return 0


def _stop_on_signals() -> threading.Event:
    """SIGTERM (systemd, Docker, Kubernetes) and Ctrl-C stop the same gentle way."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _clients(settings: Settings, deps: Deps) -> SlackFor:
    """Each workspace's Web API client: its installation's token with OAuth, else the one bot token."""
    from bot.slack.client import WorkspaceClients, make_client
    from bot.slack.install import installation_store

    if settings.oauth_enabled:
        return WorkspaceClients(settings, installation_store(settings, deps.engine))
    client = make_client(settings, settings.slack_bot_token)
    return lambda _team: client


def _scheduler(settings: Settings, deps: Deps) -> Scheduler:
    from bot.jobs import JobContext
    from bot.scheduler import Scheduler

    scheduler = Scheduler(
        JobContext(deps, _clients(settings, deps)),
        interval=settings.scheduler_interval,
        campaign_every=settings.leader_campaign,
    )
    scheduler.start()
    return scheduler


def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.trial.console import Console

    _configure_logs(logging.INFO, settings, console_log=_console_log(args.database), verbose=args.verbose)
    return Console(settings, database_url=args.database, me=args.as_user).loop()


def _console_log(database_url: str) -> Path:
    """The trial's log file: beside its SQLite file (peerlearn-trial.db → peerlearn-trial.log), else here."""
    url = make_url(database_url)
    name = url.database or ""
    if url.get_backend_name() == "sqlite" and name and name != ":memory:" and not name.startswith("file:"):
        return Path(name).with_suffix(".log")
    return Path("peerlearn-trial.log")


def _digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.deps import Deps
    from bot.jobs import JobContext
    from bot.jobs.digest import post
    from bot.services import digest
    from bot.services.workspace import DigestTarget, tenant_of_key
    from bot.trial.render import Renderer
    from bot.views.digest import digest_message
    from store.db import make_sessions
    from store.models import utcnow
    from store.repos import Repos

    # Posting records the post, so it migrates like the bot does; --dry-run only reads.
    engine = _existing_database(settings, migrate=not args.dry_run)
    deps = Deps(settings=settings, engine=engine, db=make_sessions(engine))
    try:
        with deps.db() as session:
            # A workspace of an org-wide install names its own digest (when the org chose one per workspace).
            team = _pick_team(Repos(session).export.teams(), args.team)
            tenant = tenant_of_key(Repos(session), team) if team else None
        if team is None or tenant is None:
            return 2
        effective = deps.workspace(team)
        if args.dry_run:
            with deps.db() as session:
                repos = Repos(session)
                built = digest.build(repos, team_id=tenant, now=utcnow(), tz=effective.timezone)
                leaders = repos.members.by_user_ids(tenant, [u for u, _ in built.leaderboard])
                names = {m.user_id: m.display_name for m in leaders}
            renderer = Renderer(lambda user: names.get(user, user), color=sys.stdout.isatty())
            print(renderer.message(digest_message(built)))
            return 0
        if not (settings.slack_bot_token or settings.oauth_enabled):
            print("peerlearn: posting needs SLACK_BOT_TOKEN (or use --dry-run to print it)", file=sys.stderr)
            return 2
        ctx = JobContext(deps, _clients(settings, deps))
        outcome = post(ctx, DigestTarget(team, tenant), utcnow(), effective, force=args.force)
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


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ops.export import export, teams
    from store.db import make_sessions

    engine = _existing_database(settings, migrate=False)
    sessions = make_sessions(engine)
    team = _pick_team(teams(sessions), args.team)
    if team is None:
        return 2
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as out:
            rows = export(sessions, team, out, anonymous=args.anonymous)
        print(f"wrote {rows:,} rows for {team} to {args.out}", file=sys.stderr)
    else:
        try:
            export(sessions, team, sys.stdout, anonymous=args.anonymous)
        except BrokenPipeError:
            # `peerlearn export | head`: the reader stopped early, which is fine. Silence the flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _doctor(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ops import doctor

    checks = doctor.run(settings)
    print(doctor.report(checks))
    return 0 if all(check.ok for check in checks) else 1


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
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


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
    return str(exc).splitlines()[0][:200]
