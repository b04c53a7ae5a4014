"""Logging: plain lines or JSON (PEERLEARN_LOG_FORMAT=json), each with the id of the Slack request it belongs to,
and never a token: anything shaped like one is masked before a line is written."""

from __future__ import annotations

import contextvars
import json
import logging
import random
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# Slack tokens (bot, user, app-level, refresh, config) and signing-secret-like hex runs after "secret".
_TOKEN = re.compile(r"\b(xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]{6,}")


def new_request_id() -> str:
    """A short id for one Slack request; work it queues (DMs after the ack) logs under the same id."""
    rid = f"{random.getrandbits(48):012x}"  # a correlation id, not a secret: no need for os.urandom per request
    REQUEST_ID.set(rid)
    return rid


def redact(text: str) -> str:
    """The text with anything shaped like a Slack token masked (its prefix kept, to say which kind)."""
    return _TOKEN.sub(lambda m: m[1] + "-…", text)


def database_outage(error: BaseException | None) -> str | None:
    """One line for an error that only says the database is unreachable (or dropped the connection), else None."""
    if isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated):
        lines = str(error.orig or error).strip().splitlines()
        return lines[0] if lines else type(error).__name__
    return None


class _Context(logging.Filter):
    """Adds the request id to every record and masks tokens in the message and any exception text.

    A lost database is logged in one line, not a traceback per request: the cause is outside the code.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        message = record.getMessage()
        outage = database_outage(record.exc_info[1]) if record.exc_info else None
        if outage:
            message, record.exc_info, record.exc_text = f"{message}: database unavailable ({outage})", None, None
            record.msg, record.args = message, None
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


class _Brief(logging.Formatter):
    """A warning as the console trial's user sees it: one line, the traceback left to the log file."""

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self.log_file = log_file

    def format(self, record: logging.LogRecord) -> str:
        details = f" (details in {self.log_file})" if record.exc_info else ""
        return f"⚠ {record.getMessage()}{details}"


def configure(level: int, *, json_lines: bool) -> None:
    """Set up the root logger once, for the CLI."""
    _lean_records()
    root = logging.getLogger()
    root.handlers[:] = [_handler(logging.StreamHandler(), json_lines=json_lines)]
    root.setLevel(level)


def configure_console(log_file: Path, *, verbose: bool, json_lines: bool = False) -> None:
    """The console trial: INFO lines to `log_file` and only warnings to the terminal; all of it there if verbose."""
    if verbose:
        configure(logging.INFO, json_lines=json_lines)
        return
    # A line per request would land between the prompt and the answers; the file keeps them for whoever asks.
    _lean_records()
    to_file = _handler(logging.FileHandler(log_file, encoding="utf-8", delay=True), json_lines=json_lines)
    terminal = logging.StreamHandler()
    terminal.setLevel(logging.WARNING)
    terminal.addFilter(_Context())
    terminal.setFormatter(_Brief(log_file))
    root = logging.getLogger()
    root.handlers[:] = [to_file, terminal]
    root.setLevel(logging.INFO)


def log_file() -> Path | None:
    """The file log lines go to (the console trial's), or None when they go to the terminal."""
    files = (h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler))
    return next((Path(h.baseFilename) for h in files), None)


def console_log_note() -> str:
    """One line for the console's banner saying where its log lines go ("" when they are shown in the terminal)."""
    path = log_file()
    if path is None:
        return ""
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    return f"Log lines go to {shown} (peerlearn console --verbose shows them here)."


def _lean_records() -> None:
    """Records without the caller's file and line, thread or process, which no line of ours prints: the logging
    HOWTO's optimisations, worth about 1% of a /learn's CPU (the request log writes a line for each)."""
    logging._srcfile = None  # the HOWTO's own switch for findCaller()
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def _handler(handler: logging.Handler, *, json_lines: bool) -> logging.Handler:
    handler.addFilter(_Context())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    return handler
