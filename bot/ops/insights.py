"""`peerlearn insights --out FILE`: the dashboard written as one static HTML file, for someone who does not run
the HTTP mode. The same page as /insights (bot/insights/page.py), without period links, downloads or sign-out."""

from __future__ import annotations

import argparse
import sys

from bot.clock import Clock
from bot.config import Settings
from bot.insights.page import page
from bot.insights.report import build
from bot.ops.commands import _existing_database, _pick_team
from bot.ops.export import teams
from store.db import make_sessions
from store.models import Workspace
from store.repos.insights import InsightsRepo


def write_static(settings: Settings, args: argparse.Namespace) -> int:
    """Build the report for one workspace and period, and write it as HTML."""
    engine = _existing_database(settings, migrate=False)
    sessions = make_sessions(engine)
    team = _pick_team(teams(sessions), args.team)
    if team is None:
        return 2
    now = Clock().now()
    with sessions() as session:
        workspace = session.get(Workspace, team)
        name = (workspace.name if workspace else None) or team
        report = build(InsightsRepo(session), team, name, args.period, now)
    html = page(report, built=now)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(html)
    print(f"wrote the insights for {name} ({report.period_label.lower()}) to {args.out}", file=sys.stderr)
    return 0


def add_command(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The `insights` subcommand's parser (its --database option is added like every other command's)."""
    from bot.insights.report import DEFAULT_PERIOD, PERIODS

    command = subcommands.add_parser("insights", help="write the admins' insights dashboard as a static HTML file")
    command.add_argument("--out", required=True, help="the HTML file to write, e.g. report.html")
    command.add_argument("--team", help="workspace (team id); needed when the database holds several")
    command.add_argument("--period", choices=list(PERIODS), default=DEFAULT_PERIOD, help="default: last 4 weeks")
    command.set_defaults(handler=write_static)
    return command
