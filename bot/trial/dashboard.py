"""`/insights` in the console: the admins' dashboard over the trial's data, on a listener of its own on 127.0.0.1,
signed in as the trial's admin (the person typing) with no Sign in with Slack: the trial has no browser session
to sign in with, and only this machine can reach the address."""

from __future__ import annotations

import secrets
import threading
from typing import TYPE_CHECKING, Any

from bot.insights.auth import Identity, SignedIn
from bot.insights.web import TRIAL_HOST, create_app
from store.repos import Repos

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from flask import Flask
    from werkzeug.serving import BaseWSGIServer

    from bot.trial.workspace import TrialWorkspace


class TrialDashboard:
    """One listener for the whole trial, on a free port; each `open` serves a fresh app (so a fresh 60-second
    cache: what was just done in the console shows) signed in as whoever opened it."""

    def __init__(self, workspace: TrialWorkspace) -> None:
        self.workspace = workspace
        self.key = secrets.token_urlsafe(32)  # the trial's cookies are never set, but the app wants a key
        self.app: Flask | None = None
        self._server: BaseWSGIServer | None = None

    def open(self, user: str) -> str:
        """The dashboard's URL, signed in as `user` (made a workspace admin first, as the page is for admins)."""
        workspace = self.workspace
        if not workspace.fake.users[user].is_admin:
            workspace.make_admin(user)
        with workspace.deps.db() as db:
            found = Repos(db).workspaces.get(workspace.team)
            team_name = (found.name if found else None) or "Trial workspace"
        admin = SignedIn.new(workspace.team, team_name, Identity(user, workspace.team, workspace.name_of(user)))
        self.app = create_app(
            db=workspace.deps.db,
            secret_key=self.key,
            provider=None,
            client_for=lambda _team: workspace.app.client,
            trial=admin,
            clock=workspace.deps.clock,
        )
        if self._server is None:
            self._server = self._listen()
        return f"http://{TRIAL_HOST}:{self._server.server_port}/insights"

    def announce(self, user: str) -> str:
        """What the console prints for `/insights`: where to point a browser, and as whom it is signed in."""
        url = self.open(user)
        name = self.workspace.name_of(user)
        return f"📊 The insights dashboard, signed in as @{name} (a workspace admin), for this machine only:\n{url}"

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """The listener's WSGI entry: whichever app the last `open` made."""
        assert self.app is not None
        return self.app(environ, start_response)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _listen(self) -> BaseWSGIServer:
        # Werkzeug's threaded server, not waitress: it binds port 0 and tells the port it got, and a trial on one
        # machine needs no production server. It binds 127.0.0.1 only: no other address can even connect.
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                """No line per request: it would land in the middle of the console's prompt."""

        server = make_server(TRIAL_HOST, 0, self.wsgi, threaded=True, request_handler=Quiet)
        threading.Thread(target=server.serve_forever, name="trial-insights", daemon=True).start()
        return server
