"""An in-process fake of the Slack Web API: the console trial runs on it, and so do the tests.

A threaded HTTP server on 127.0.0.1 (port 0) that answers like Slack, records every call (JSON and form
bodies alike), serves `response_url`s, and can be told to fail: 429 with Retry-After, 500, or `ok: false`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

from bot.slack.install import BOT_SCOPES


@dataclass(frozen=True)
class Call:
    """One request Slack received: the API method (or `response_url`), its arguments and token."""

    method: str
    args: dict[str, Any]
    token: str | None = None
    response: dict[str, Any] = field(default_factory=dict)  # what the fake answered


@dataclass
class Fault:
    method: str
    status: int = 500
    error: str | None = None
    retry_after: int = 0
    times: int = 1
    channel: str | None = None  # only calls aimed at this channel fail


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str = "UTC"
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False
    status_emoji: str = ""
    status_text: str = ""
    status_expiration: int = 0  # epoch seconds the status ends, as Slack says it; 0: no expiry
    # Enterprise Grid: the org this user belongs to (their id is the same in all its workspaces), and whether
    # they administer the org itself.
    enterprise_id: str | None = None
    is_org_admin: bool = False

    def as_slack(self, team_id: str) -> dict[str, Any]:
        grid = (
            {"enterprise_user": {"id": self.id, "enterprise_id": self.enterprise_id, "is_admin": self.is_org_admin}}
            if self.enterprise_id
            else {}
        )
        return grid | {
            "id": self.id,
            "team_id": team_id,
            "name": self.name.lower().replace(" ", "."),
            "real_name": self.name,
            "tz": self.tz,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_bot": self.is_bot,
            "deleted": self.deleted,
            "profile": {
                "display_name": self.name,
                "real_name": self.name,
                "status_emoji": self.status_emoji,
                "status_text": self.status_text,
                "status_expiration": self.status_expiration,
            },
        }


@dataclass
class Upload:
    """A file sent the way files_upload_v2 sends it: files.getUploadURLExternal announces it, a POST to the
    upload URL carries its bytes, and files.completeUploadExternal shares it (then it is in `FakeSlack.uploads`)."""

    file_id: str
    filename: str
    length: int
    content: bytes = b""
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


# What dnd.info tells a bot about a user with no DND schedule (a bot never sees another user's snooze fields).
DND_OFF: dict[str, Any] = {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}


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

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._hooks = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
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
        if method == "oauth.v2.access":
            return None
        if not token:
            return "not_authed"
        return "token_revoked" if token in self.revoked else None

    def token_of(self, team_id: str) -> str:
        """The bot token an OAuth install in `team_id` received."""
        return f"xoxb-{team_id.lower()}-bot"

    def answer(self, method: str, args: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        """Slack's answer to a successful call of `method`."""
        if method in ("dnd.info", "files.getUploadURLExternal", "files.completeUploadExternal"):
            return self._answer_dnd_or_files(method, args)
        if method == "auth.test":
            team = next((t for t, _, _ in self.installs.values() if self.token_of(t) == token), self.team_id)
            if team.startswith("E"):  # an org-wide install's token: it belongs to the org, not to a workspace
                return {
                    "url": "https://peerlearn-org.enterprise.slack.com/",
                    "team": "Org",
                    "user": "peerlearn",
                    "team_id": team,
                    "enterprise_id": team,
                    "is_enterprise_install": True,
                    "user_id": self.bot_user_id,
                    "bot_id": self.bot_id,
                }
            return {
                "url": "https://peerlearn-demo.slack.com/",
                "team": "Demo",
                "user": "peerlearn",
                "team_id": team,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
            }
        if method == "apps.connections.open":
            return {"url": self.socket_url} if self.socket_url else {"ok": False, "error": "not_allowed_token_type"}
        if method == "oauth.v2.access":
            install = self.installs.get(str(args.get("code")))
            if install is None:
                return {"ok": False, "error": "invalid_code"}
            team, name, installer = install
            org = team.startswith("E")  # an org admin installing org-wide: no workspace, the whole org
            return {
                "access_token": self.token_of(team),
                "token_type": "bot",
                "scope": "chat:write,commands",
                "bot_user_id": self.bot_user_id,
                "app_id": "APEERLRN",
                "team": None if org else {"id": team, "name": name},
                "enterprise": {"id": team, "name": name} if org else None,
                "is_enterprise_install": org,
                "authed_user": {"id": installer},
            }
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"user": user.as_slack(self.team_id)}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            ts = self._new_ts()
            channel = str(args.get("channel", "C0"))
            if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
                channel = "D" + channel[1:]
            self._keep(method, channel, str(args.get("ts") or ts), args)
            return {
                "channel": channel,
                "ts": args.get("ts") or ts,
                "message_ts": ts,
                "message": {"text": args.get("text", ""), "ts": ts},
            }
        if method == "conversations.history":
            needed = "groups:history" if str(args.get("channel")) in self.private else "channels:history"
            if needed not in self.scopes:
                return {"ok": False, "error": "missing_scope", "needed": needed}
            oldest = float(args.get("oldest") or 0)
            with self._lock:
                kept = [dict(m) for m in self.history.get(str(args.get("channel")), []) if float(m["ts"]) >= oldest]
            if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
                for message in kept:
                    message.pop("metadata", None)
            return {"messages": kept[::-1][: int(args.get("limit") or 100)], "has_more": False}
        if method == "conversations.open":
            users = sorted(str(args.get("users", "")).split(","))
            return {"channel": {"id": ("G" if len(users) > 1 else "D") + "".join(u[-4:] for u in users).upper()}}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"view": {"id": f"V{next(self._ts)}", **_as_dict(args.get("view"))}}
        return {}

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

    def _answer_dnd_or_files(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        needed = "dnd:read" if method == "dnd.info" else "files:write"
        if needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed}
        if method == "dnd.info":
            with self._lock:
                return dict(self.dnd.get(str(args.get("user") or ""), DND_OFF))
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            upload = Upload(file_id, str(args.get("filename") or ""), int(args.get("length") or 0))
            with self._lock:
                self.files[file_id] = upload
            return {"file_id": file_id, "upload_url": f"{self.base_url}/upload/v1/{file_id}"}
        if method == "files.completeUploadExternal":
            wanted = json.loads(args["files"]) if isinstance(args.get("files"), str) else list(args.get("files") or [])
            channels = [c for c in [args.get("channel_id"), *str(args.get("channels") or "").split(",")] if c]
            with self._lock:
                if any(f.get("id") not in self.files for f in wanted):
                    return {"ok": False, "error": "file_not_found"}
                shared = [self.files[f["id"]] for f in wanted]
                for upload, f in zip(shared, wanted, strict=True):
                    upload.title = f.get("title") or upload.filename
                    upload.channel_id = channels[0] if channels else None
                    upload.initial_comment = args.get("initial_comment")
                    upload.thread_ts = args.get("thread_ts")
                    self.uploads.append(upload)
            listed = [{"id": u.file_id, "name": u.filename, "title": u.title, "size": len(u.content)} for u in shared]
            with self._lock:  # Slack posts the files in each channel, as a message from the app
                for channel in channels:
                    message = {"ts": self._new_ts(), "text": args.get("initial_comment") or "", "files": listed}
                    self.history.setdefault(channel, []).append({**message, "bot_id": self.bot_id})
            return {"files": listed}
        return {}

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

    def _keep(self, method: str, channel: str, ts: str, args: dict[str, Any]) -> None:
        if method == "chat.postEphemeral":
            return
        message = {"ts": ts, "text": args.get("text", ""), "bot_id": self.bot_id, "blocks": args.get("blocks")}
        if args.get("metadata"):
            message["metadata"] = _as_dict(args["metadata"])
        with self._lock:
            messages = self.history.setdefault(channel, [])
            if method == "chat.update":
                messages[:] = [message if m["ts"] == ts else m for m in messages]
            else:
                messages.append(message)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            return dict(json.loads(value))
        except ValueError:
            return {}
    return dict(value) if isinstance(value, dict) else {}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests and the console read calls, not access logs

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            length = int(self.headers.get("Content-Length") or 0)
            if path.startswith("/upload/"):  # files_upload_v2's second step: the file's bytes, not a form
                status, text = fake._receive_upload(path, self.rfile.read(length))
                self._send(status, {}, raw_text=text)
                return
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            args = _parse_body(raw, self.headers.get("Content-Type", ""))
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or args.pop("token", None)
            if path.startswith("/response/"):
                fake._record(Call("response_url", args, None))
                self._send(200, {"ok": True}, raw_text="ok")
                return
            method = path.removeprefix("/api/")
            refusal = fake.refuse(method, token)
            if refusal is not None:
                fake._record(Call(method, args, token, {"ok": False, "error": refusal}))
                self._send(200, {"ok": False, "error": refusal})
                return
            fault = fake._fault_for(method, args)
            if fault is not None:
                error = fault.error or ("ratelimited" if fault.status == 429 else "fatal_error")
                fake._record(Call(method, args, token, {"ok": False, "error": error}))
                headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
                self._send(fault.status, {"ok": False, "error": error}, headers)
                return
            if method in fake.delays:
                with fake._lock:
                    fake.slow_started.append(method)
                    fake._lock.notify_all()
                time.sleep(fake.delays[method])
            answer = {"ok": True, **fake.answer(method, args, token)}
            fake._record(Call(method, args, token, answer))
            # Like Slack, every answer says which scopes the token has.
            self._send(200, answer, {"X-OAuth-Scopes": ",".join(fake.scopes)})

        def _send(
            self,
            status: int,
            payload: dict[str, Any],
            headers: dict[str, str] | None = None,
            raw_text: str | None = None,
        ) -> None:
            body = (raw_text if raw_text is not None else json.dumps(payload)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if raw_text is not None else "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _parse_body(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return dict(json.loads(raw))
    args: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments", "metadata"):
        if isinstance(args.get(key), str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args
