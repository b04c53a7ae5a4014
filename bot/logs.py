"""Logging: plain lines or JSON (PEERLEARN_LOG_FORMAT=json), each with the id of the Slack request it belongs to,
and never a token: anything shaped like one is masked before a line is written."""

from __future__ import annotations

import contextvars
import json
import logging
import random
import re
from datetime import UTC, datetime

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# Slack tokens (bot, user, app-level, refresh, config) and signing-secret-like hex runs after "secret".
_TOKEN = re.compile(r"\b(xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]{6,}")


def new_request_id() -> str:
    """A short id for one Slack request; work it queues (DMs after the ack) logs under the same id."""
    rid = f"{random.getrandbits(48):012x}"  # a correlation id, not a secret: no need for os.urandom per request
    REQUEST_ID.set(rid)
    return rid


def redact(text: str) -> str:
    return _TOKEN.sub(lambda m: m[1] + "-…", text)


class _Context(logging.Filter):
    """Adds the request id to every record and masks tokens in the message and any exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def formatException(self, ei: object) -> str:  # noqa: N802 (logging's name)
        return redact(super().formatException(ei))  # type: ignore[arg-type]


def configure(level: int, *, json_lines: bool) -> None:
    """Set up the root logger once, for the CLI."""
    handler = logging.StreamHandler()
    handler.addFilter(_Context())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
