"""Log lines carry a request id and never a token."""

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.telemetry import logs


def test_tokens_are_masked_wherever_they_appear() -> None:
    line = "auth failed for xoxb-1234567890-abcdefghij and xapp-1-A0B1C2-999 (xoxe.xoxp-1-abcdefgh)"
    masked = logs.redact(line)
    assert "1234567890" not in masked and "A0B1C2" not in masked and "abcdefgh" not in masked
    assert masked.startswith("auth failed for xoxb-…")


def test_json_lines_carry_the_request_id_and_mask_exceptions() -> None:
    logs.new_request_id()
    record = logging.LogRecord(
        "peerlearn", logging.ERROR, __file__, 1, "token %s refused", ("xoxb-123456-secret",), None
    )
    try:
        raise RuntimeError("xoxb-999999-leaked in a traceback")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    logs._Context().filter(record)
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["request_id"] == logs.REQUEST_ID.get() != "-"
    assert entry["message"] == "token xoxb-… refused"
    assert "in a traceback" in entry["exception"] and "999999" not in entry["exception"]


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """Put the root logger back as it was: the CLI's configure() replaces its handlers."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:], root.level = handlers, level


def test_the_console_keeps_log_lines_in_a_file_and_only_warnings_reach_the_terminal(
    root_logger: logging.Logger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "peerlearn-trial.log"
    logs.configure_console(log_file, verbose=False)
    logging.getLogger("peerlearn.requests").info("T1 command /learn 200 4.2ms")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("bot.jobs.digest").exception("digest for T1 failed")
    terminal = capsys.readouterr()
    assert terminal.out == ""
    assert terminal.err == f"⚠ digest for T1 failed (details in {log_file})\n"  # one line, no traceback
    written = log_file.read_text(encoding="utf-8")
    assert "INFO peerlearn.requests" in written and "command /learn" in written
    assert "RuntimeError: boom" in written
    assert logs.log_file() == log_file
    assert (
        logs.console_log_note() == "Log lines go to peerlearn-trial.log (peerlearn console --verbose shows them here)."
    )


def test_the_console_verbose_shows_log_lines_in_the_terminal(
    root_logger: logging.Logger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure_console(tmp_path / "trial.log", verbose=True)
    logging.getLogger("peerlearn.requests").info("T1 command /learn 200 4.2ms")
    assert "INFO peerlearn.requests" in capsys.readouterr().err
    assert not (tmp_path / "trial.log").exists()
    assert logs.log_file() is None and logs.console_log_note() == ""
