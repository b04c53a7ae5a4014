"""Log lines carry a request id and never a token."""

import json
import logging

from bot import logs


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
