"""An in-process fake of the Slack Web API: the console trial runs on it, and so do the tests.

A threaded HTTP server on 127.0.0.1 (port 0) that answers like Slack, records every call (JSON and form
bodies alike), serves `response_url`s, and can be told to fail: 429 with Retry-After, 500, or `ok: false`.
Its HTTP side is bot/trial/fakehttp.py, its answers method by method bot/trial/fakemethods.py. Like Slack, it
refuses blocks and views that break Block Kit's rules (bot/trial/blockkit.py), and it keeps every such payload in
`violations`, so that the tests' fixture can fail a test that sent one and the console can show it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from bot.slack.install import BOT_SCOPES
from bot.trial import blockkit, fakemethods
from bot.trial.fakehttp import handler_for
from bot.trial.fakeoidc import FakeOIDC
from bot.trial.fakerecords import DND_OFF, Call, FakeUser, Fault, Upload, Violation

__all__ = ["DND_OFF", "Call", "FakeSlack", "FakeUser", "Fault", "Upload", "Violation"]

MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"})
VIEW_METHODS = frozenset({"views.open", "views.publish", "views.update", "views.push"})
# Not Slack's rule but ours (STYLE.md): Slack accepts blocks alone, but phone notifications and screen readers read
# only `text`, so a message with blocks and no text is recorded as a violation (and still delivered).
NO_FALLBACK = "a message with blocks needs a text fallback: notifications and screen readers read only `text`"


@dataclass
class FakeSlack:
    """The fake itself; use as a context manager or call start()/stop()."""

    team_id: str = "T0PEERLRN"
    bot_user_id: str = "UPEERBOT"
    bot_id: str = "BPEERBOT"
    users: dict[str, FakeUser] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    # Bot tokens of OAuth installs: the code oauth.v2.access accepts → (team id, team name, installing user).
    # A team id starting with E is an Enterprise Grid org installing org-wide.
    installs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)  # tokens Slack now answers `token_revoked` to
    socket_url: str | None = None  # what apps.connections.open hands out (a local Socket Mode server)
    # What the token was granted (the X-OAuth-Scopes header): by default what manifest.yml asks for.
    scopes: list[str] = field(default_factory=lambda: list(BOT_SCOPES))
    delays: dict[str, float] = field(default_factory=dict)  # seconds a method takes to answer (a slow Slack)
    slow_started: list[str] = field(default_factory=list)  # delayed calls that have arrived, not yet answered
    # What each channel holds, newest last (conversations.history reads it; chat.postMessage/chat.update write it).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Private channels: reading their history needs groups:history, as in Slack.
    private: set[str] = field(default_factory=set)
    on_call: Callable[[Call], None] | None = None
    # dnd.info's answer per user id (Slack's fields: dnd_enabled, next_dnd_start_ts, …); DND_OFF for anyone else.
    dnd: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)  # every announced file by id, shared or not
    uploads: list[Upload] = field(default_factory=list)  # files shared by files.completeUploadExternal, in order
    violations: list[Violation] = field(default_factory=list)  # payloads Slack refused, or that broke our rules
    oidc: FakeOIDC = field(default_factory=FakeOIDC)  # Sign in with Slack (bot/trial/fakeoidc.py)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._hooks = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._server.daemon_threads = True
        # A short poll: shutdown() waits for the loop to notice, and the default 0.5 s per fake cost half the suite.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-slack", daemon=True
        )

    # -- lifecycle -----------------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL should be set to."""
        return f"{self.base_url}/api/"

    # -- arranging -----------------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, **fields: Any) -> FakeUser:
        user = FakeUser(user_id, name, **fields)
        self.users[user_id] = user
        return user

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        error: str | None = None,
        retry_after: int = 0,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (to `channel`, if given) fail: HTTP `status`, or 200 with
        `ok: false` when `error`."""
        with self._lock:
            self.faults.append(Fault(method, 200 if error else status, error, retry_after, times, channel))

    def seed_message(self, channel: str, text: str, **fields: Any) -> str:
        """Put a message in a channel's history, as if posted earlier (by this app unless fields say otherwise)."""
        ts = self._new_ts()
        with self._lock:
            self.history.setdefault(channel, []).append({"ts": ts, "text": text, "bot_id": self.bot_id, **fields})
        return ts

    def response_url(self) -> str:
        """A fresh response_url as Slack puts in command and action payloads."""
        return f"{self.base_url}/response/{next(self._hooks)}"

    # -- asserting -----------------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls of `method` once there are at least `count` (waits on a condition, not a sleep)."""
        with self._lock:
            self._lock.wait_for(lambda: len([c for c in self.calls if c.method == method]) >= count, timeout)
        return self.calls_to(method)

    def wait_started(self, method: str, timeout: float = 5.0) -> bool:
        """True once a delayed call of `method` has arrived (it is being answered slowly)."""
        with self._lock:
            return self._lock.wait_for(lambda: method in self.slow_started, timeout)

    def take_violations(self) -> list[Violation]:
        """The violations so far, forgotten here: a test that sends a broken payload on purpose takes them."""
        with self._lock:
            taken, self.violations[:] = list(self.violations), []
        return taken

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.faults.clear()

    # -- serving -------------------------------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        if self.on_call:
            self.on_call(call)

    def _fault_for(self, method: str, args: dict[str, Any]) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.channel is not None and fault.channel != args.get("channel"):
                    continue
                if fault.method == method and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def refuse(self, method: str, token: str | None) -> str | None:
        """The error Slack gives a call with a missing or revoked token (OAuth's code exchange needs none)."""
        if method in ("oauth.v2.access", "openid.connect.token"):  # the app's client id and secret, no token
            return None
        if not token:
            return "not_authed"
        return "token_revoked" if token in self.revoked else None

    def check(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer to a message or view it refuses (recorded as a violation), or None when it accepts it.

        Slack answers a bad message `invalid_blocks` with `errors`, and a bad view `invalid_arguments` with only
        `response_metadata.messages`, led by "failed to match all allowed schemas [json-pointer:/view]"; a
        response_url answers HTTP 400 with the bare error code (bot/trial/fakehttp.py sends that).
        """
        if method in VIEW_METHODS:
            errors = blockkit.view_errors(args.get("view"))
            messages = ["failed to match all allowed schemas [json-pointer:/view]", *errors]
            refusal = {"ok": False, "error": "invalid_arguments"} | _metadata(messages)
        elif method in MESSAGE_METHODS or (method == "response_url" and not args.get("delete_original")):
            if not blockkit.has_text(args):
                errors, refusal = ["no_text"], {"ok": False, "error": "no_text"}
            else:
                errors = blockkit.message_errors(args)
                refusal = {"ok": False, "error": "invalid_blocks", "errors": errors} | _metadata(errors)
                if not errors and args.get("blocks") and not args.get("text"):
                    self._violate(method, [NO_FALLBACK], args)
        else:
            return None
        if not errors:
            return None
        self._violate(method, errors, args)
        return refusal

    def check_ack(self, body: str | dict[str, Any]) -> list[str]:
        """Why Slack would refuse the body the app answered a request with (recorded as a violation), or []."""
        if isinstance(body, str) and not body.startswith("{"):
            return []  # nothing, or plain text Slack shows as it is
        payload = dict(json.loads(body)) if isinstance(body, str) else body
        errors = blockkit.ack_errors(payload)
        if not errors and "response_action" not in payload and payload.get("blocks") and not payload.get("text"):
            errors = [NO_FALLBACK]  # a command's reply is a message like any other
        if errors:
            self._violate("ack", errors, payload)
        return errors

    def _violate(self, method: str, errors: list[str], payload: dict[str, Any]) -> None:
        with self._lock:
            self.violations.append(Violation(method, errors, payload))

    def token_of(self, team_id: str) -> str:
        """The bot token an OAuth install in `team_id` received."""
        return f"xoxb-{team_id.lower()}-bot"

    def answer(self, method: str, args: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        """Slack's answer to a successful call of `method` (bot/trial/fakemethods.py)."""
        return fakemethods.answer(self, method, args, token)

    # -- do-not-disturb and file uploads ---------------------------------------------------------------------
    def set_dnd(self, user_id: str, start: float, end: float, *, snooze_until: float | None = None) -> None:
        """Give `user_id` a DND schedule whose next window is start–end (epoch seconds), and a snooze."""
        answer: dict[str, Any] = {"dnd_enabled": True, "next_dnd_start_ts": int(start), "next_dnd_end_ts": int(end)}
        if snooze_until is not None:
            answer |= {"snooze_enabled": True, "snooze_endtime": int(snooze_until)}
        with self._lock:
            self.dnd[user_id] = answer

    def uploaded(self, filename: str) -> Upload:
        """The last shared upload of that name (a test's way to read an .ics back)."""
        with self._lock:
            return next(u for u in reversed(self.uploads) if u.filename == filename)

    def _receive_upload(self, path: str, body: bytes) -> tuple[int, str]:
        """The POST to an upload URL: its body is the file itself, as Slack's file servers take it."""
        file_id = path.rsplit("/", 1)[-1]
        fault = self._fault_for("upload_url", {})
        self._record(Call("upload_url", {"file_id": file_id, "length": len(body)}))
        if fault is not None:
            return fault.status, "error"
        with self._lock:
            upload = self.files.get(file_id)
            if upload is None:
                return 404, "not found"
            upload.content = body
        return 200, f"OK - {len(body)}"

    def _new_ts(self) -> str:
        # Like Slack's: the posting time in seconds, then a unique counter where Slack has microseconds.
        return f"{int(time.time())}.{next(self._ts):06d}"


def _metadata(errors: list[str]) -> dict[str, Any]:
    return {"response_metadata": {"messages": [f"[ERROR] {error}" for error in errors]}}
