"""The fake Slack's HTTP side: Web API calls, response_urls and file uploads, each recorded and answered."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlparse

from bot.trial.fakerecords import Call

if TYPE_CHECKING:
    from bot.trial.fakeslack import FakeSlack


def handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests and the console read calls, not access logs

        def do_GET(self) -> None:
            # Sign in with Slack's pages beside the Web API: the authorize redirect and the signing keys.
            url = urlparse(self.path)
            if url.path == "/openid/connect/authorize":
                status, headers = fake.oidc.authorize(url.query)
                fake._record(Call("openid.connect.authorize", dict(parse_qsl(url.query))))
                self._send(status, {}, headers, raw_text="")
            elif url.path == "/openid/connect/keys":
                self._send(200, fake.oidc.keys())
            else:
                self._send(404, {}, raw_text="not found")

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            length = int(self.headers.get("Content-Length") or 0)
            if path.startswith("/upload/"):  # files_upload_v2's second step: the file's bytes, not a form
                status, text = fake._receive_upload(path, self.rfile.read(length))
                self._send(status, {}, raw_text=text)
                return
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            args = parse_body(raw, self.headers.get("Content-Type", ""))
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or args.pop("token", None)
            if path.startswith("/response/"):
                refused = fake.check("response_url", args)
                fake._record(Call("response_url", args, None, refused or {}))
                # Like an incoming webhook, a response_url refuses with HTTP 400 and the bare error code.
                self._send(400 if refused else 200, {}, raw_text=refused["error"] if refused else "ok")
                return
            method = path.removeprefix("/api/")
            refusal = fake.refuse(method, token)
            if refusal is not None:
                fake._record(Call(method, args, token, {"ok": False, "error": refusal}))
                self._send(200, {"ok": False, "error": refusal})
                return
            refused = fake.check(method, args)
            if refused is not None:
                fake._record(Call(method, args, token, refused))
                self._send(200, refused)
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


def parse_body(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return dict(json.loads(raw))
    args: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments", "metadata"):
        if isinstance(args.get(key), str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args
