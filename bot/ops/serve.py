"""`peerlearn run`: serve Slack in Socket Mode or HTTP (one process or pre-forked workers), with the scheduler."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.config import NotConfiguredError, Settings
from bot.insights.mount import insights_app, serve_locally
from bot.ops.commands import TRIAL_DATABASE, clients, console
from bot.telemetry import metrics
from store.db import check_connection

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.deps import Deps
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


def run(settings: Settings, args: argparse.Namespace) -> int:
    """`peerlearn run`: migrate, check the token with Slack, then serve until SIGTERM or Ctrl-C."""
    try:
        mode = settings.run_mode()  # ConfigError (one line, exit 2) when the credentials fall short
    except NotConfiguredError:
        if args.trial_if_unconfigured:
            print(
                "No Slack credentials configured: starting the console trial on SQLite (see README to connect Slack)."
            )
            trial = argparse.Namespace(as_user="you", database=TRIAL_DATABASE, verbose=False)
            return console(settings, trial)
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    workers = settings.workers if args.workers is None else args.workers
    if workers != 1:
        if mode != "http" or not 1 <= workers <= 64:
            print(WORKERS_NEED_HTTP if mode != "http" else "peerlearn: --workers takes 1 to 64", file=sys.stderr)
            return 2
        return _run_workers(settings, args, workers)
    if (ready := _ready(settings)) is None:
        return 1
    deps, app = ready
    stop = _stop_on_signals()
    scheduler = _scheduler(settings, deps)
    try:
        if mode == "socket":
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            logger.info("peerlearn starting in Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token)
            if dashboard := insights_app(settings, deps, clients(settings, deps)):
                serve_locally(dashboard, port=settings.port if args.port is None else args.port, stop=stop)
            handler.connect()
            stop.wait()
            logger.info("peerlearn Socket Mode stopping")
            handler.close()
        else:
            from bot.slack.server import PeerlearnWSGI, serve

            port = settings.port if args.port is None else args.port
            dashboard = insights_app(settings, deps, clients(settings, deps))
            wsgi = PeerlearnWSGI(app, deps.engine, settings.slack_signing_secret or "", dashboard)
            serve(wsgi, host=args.host, port=port, stop=stop)
    finally:
        scheduler.shutdown()  # gives the PostgreSQL lock back: another replica takes over at once
        deps.close()  # sends what was queued after acks (DMs, kudos batches)
    logger.info("peerlearn stopped")
    return 0


def _ready(settings: Settings) -> tuple[Deps, App] | None:
    """The database reached and migrated, old topics reconciled, and the app built with its tokens checked with
    Slack; None, with the reason printed, when Slack refuses the token or cannot be reached."""
    from bot.app import build_app
    from bot.deps import Deps
    from bot.services.reconcile import reconcile_all
    from store.migrate import upgrade

    deps = Deps.from_settings(settings)
    try:
        check_connection(deps.engine)
        upgrade(deps.engine)
        reconcile_all(deps.db, deps.catalog)
        return deps, build_app(settings, deps)
    except (BoltError, SlackApiError) as exc:
        print(f"peerlearn: Slack refused the bot token ({_reason(exc)}); check SLACK_BOT_TOKEN", file=sys.stderr)
    except OSError as exc:
        print(f"peerlearn: cannot reach Slack at {settings.slack_api_url} ({_reason(exc)})", file=sys.stderr)
    except BaseException:
        deps.close()
        raise
    deps.close()
    return None


def _run_workers(settings: Settings, args: argparse.Namespace, workers: int) -> int:
    """HTTP mode in `workers` pre-forked processes (bot/slack/prefork.py); migrations and checks run here first."""
    with metrics.shared_between_processes():  # every worker counts where /metrics adds them up
        return _prefork(settings, args, workers)


def _prefork(settings: Settings, args: argparse.Namespace, workers: int) -> int:
    from bot.app import build_app
    from bot.deps import Deps
    from bot.slack.prefork import Prefork, Worker
    from bot.slack.server import PeerlearnWSGI

    # Migrations and the tokens, checked once before any worker starts.
    if (ready := _ready(settings)) is None:
        return 1
    ready[0].close()  # no connection or thread of this process may cross the fork

    def make_worker() -> Worker:
        deps = Deps.from_settings(settings)
        dashboard = insights_app(settings, deps, clients(settings, deps))
        wsgi = PeerlearnWSGI(build_app(settings, deps), deps.engine, settings.slack_signing_secret or "", dashboard)
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
        # A worker leaves through here too (gunicorn exits it with SystemExit): only the master says so.
        if os.getpid() == master:
            logger.info("peerlearn stopped")
    return 0


def _stop_on_signals() -> threading.Event:
    """SIGTERM (systemd, Docker, Kubernetes) and Ctrl-C stop the same gentle way."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _scheduler(settings: Settings, deps: Deps) -> Scheduler:
    from bot.jobs import JobContext
    from bot.scheduler import Scheduler

    scheduler = Scheduler(
        JobContext(deps, clients(settings, deps)),
        interval=settings.scheduler_interval,
        campaign_every=settings.leader_campaign,
    )
    scheduler.start()
    return scheduler


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
    return str(exc).splitlines()[0][:200]
