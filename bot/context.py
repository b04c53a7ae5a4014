"""One request's context, built once by the app's middleware (bot/app.py) and handed to every listener as `ctx`.

Bolt passes each item of its context as a keyword argument to a listener that names it, so a listener declares
`ctx: Ctx` and finds here the tenant, the user, one reading of the clock, a transaction, an outbox bound to the
request's client and tenant, the workspace's settings, the catalog and the member directory. Services get the
Slack-free part of it (`bot/services/scope.py`) from `tx()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from bot.services.workspace import WorkspaceSettings
from bot.slack.background import Background
from bot.slack.directory import MemberDirectory
from bot.slack.outbox import Outbox, Result
from bot.slack.tenancy import tenant_of, workspace_of
from store.repos import Repos

CTX = "ctx"  # the key of Bolt's context, and so the name of the listeners' argument


@dataclass
class Ctx:
    deps: Deps
    team: str  # the tenant: a workspace, or an org installed org-wide (bot/slack/tenancy.py)
    user: str  # who sent the request ("" for events with nobody behind them)
    now: datetime  # the request reads the clock once
    client: WebClient
    respond: Respond | None = None  # the response_url of a command or a click
    workspace_id: str | None = None  # the workspace the request came from (None from an org-level surface)
    outbox: Outbox = field(init=False)
    _settings: WorkspaceSettings | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.client, self.team)

    @classmethod
    def of(cls, deps: Deps, context: BoltContext) -> Ctx:
        """The context of the request Bolt read into `context`."""
        return cls(
            deps=deps,
            team=tenant_of(context),
            user=str(context.get("user_id") or ""),
            now=deps.clock.now(),
            client=context.client,
            respond=context.respond if context.response_url else None,
            workspace_id=workspace_of(context),
        )

    @contextmanager
    def tx(self) -> Iterator[Scope]:
        """One transaction, its rows written at this request's time: committed when the block ends, rolled back
        if it raises; `scope.on_commit(fn)` runs fn after the commit only."""
        with self.deps.db.begin() as db:
            yield Scope(self.team, self.user, self.now, Repos(db, lambda: self.now), self.deps.catalog)

    @property
    def settings(self) -> WorkspaceSettings:
        """The tenant's effective settings, read once per request."""
        if self._settings is None:
            self._settings = self.deps.workspace(self.team)
        return self._settings

    @property
    def catalog(self) -> Catalog:
        return self.deps.catalog

    @property
    def directory(self) -> MemberDirectory:
        return self.deps.directory

    @property
    def background(self) -> Background:
        return self.deps.background

    def later(self) -> Ctx:
        """This request's context for work done a while after it (a debounced DM): the clock read again."""
        return replace(self, now=self.deps.clock.now())

    def tell(self, text: str) -> None:
        """A short ephemeral line beside the clicked message (or after the command), which stays as it was."""
        if self.respond is not None:
            self.outbox.respond(self.respond, text=text, response_type="ephemeral", replace_original=False)

    def reply(self, **payload: Any) -> Result:
        """A message through the response_url of the command or the click."""
        assert self.respond is not None, "a reply needs a command or a click (their response_url)"
        return self.outbox.respond(self.respond, **payload)

    def refresh_me(self) -> None:
        """Read users.info for the requester soon, off the request path (their name, timezone, status)."""
        self.directory.refresh_soon(self.background, self.client, self.team, self.user)


def ctx_of(context: BoltContext) -> Ctx:
    """The Ctx the app's middleware put in Bolt's context (for code handed the context rather than `ctx`)."""
    ctx = context[CTX]
    assert isinstance(ctx, Ctx)
    return ctx
