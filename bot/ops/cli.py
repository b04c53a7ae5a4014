"""`peerlearn …`: run, console, digest, export, doctor, db upgrade."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings
from bot.ops import commands, insights, serve
from bot.ops.commands import TRIAL_DATABASE, configure_logs
from store.db import DatabaseUnavailableError

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
    # The console keeps its log lines in a file (see commands.console): they would land between prompt and answers.
    if args.command != "console":
        configure_logs(logging.INFO if args.command == "run" else logging.WARNING, settings)
    try:
        return int(args.handler(settings, args))
    except ConfigError as exc:
        print(f"peerlearn: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailableError as exc:
        print(f"peerlearn: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerlearn", description="Peer learning for Slack workspaces.")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = subcommands.add_parser("run", help="serve Slack (Socket Mode or HTTP), migrating the database first")
    run.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000; 0 picks a free one)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP interface to bind (default: all)")
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="HTTP mode: worker processes on one socket, one per core (default: $PEERLEARN_WORKERS, else 1)",
    )
    run.add_argument("--trial-if-unconfigured", action="store_true", help=argparse.SUPPRESS)
    run.set_defaults(handler=serve.run)

    console = subcommands.add_parser("console", help="try peerlearn in the terminal, no Slack workspace needed")
    console.add_argument("--as", dest="as_user", default="you", help="who you are at the start (default: you)")
    console.add_argument("--database", default=TRIAL_DATABASE, help="database URL (default: peerlearn-trial.db)")
    console.add_argument(
        "--verbose",
        action="store_true",
        help="print log lines in the terminal (by default they go to a .log file beside the trial database)",
    )
    console.set_defaults(handler=commands.console)

    digest = subcommands.add_parser("digest", help="post this week's digest now, unless it was posted already")
    digest.add_argument("--team", help="workspace (team id); needed when the database holds several")
    digest.add_argument("--dry-run", action="store_true", help="print the digest instead of posting it")
    digest.add_argument("--force", action="store_true", help="post it even if this week's was posted already")
    _database_option(digest)
    digest.set_defaults(handler=commands.digest)

    export = subcommands.add_parser(
        "export",
        help="CSV of the skills matrix and open needs, for admins: it names learners (see --anonymous)",
        description=EXPORT_HELP,
    )
    export.add_argument("--team", help="workspace (team id); needed when the database holds several")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.add_argument("--anonymous", action="store_true", help=ANONYMOUS_HELP)
    _database_option(export)
    export.set_defaults(handler=commands.export)

    _database_option(insights.add_command(subcommands))  # bot/ops/insights.py

    doctor = subcommands.add_parser(
        "doctor", help="check configuration, database, Slack token and scopes; suggest fixes (changes nothing)"
    )
    _database_option(doctor)
    doctor.set_defaults(handler=commands.doctor)

    db = subcommands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply Alembic migrations up to the newest").set_defaults(
        handler=commands.db_upgrade
    )
    return parser


def _database_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database",
        dest="database_override",
        metavar="URL",
        help="database URL, overriding DATABASE_URL (whose default is sqlite:///peerlearn.db)",
    )
