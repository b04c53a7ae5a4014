"""Metrics are made on first use, so no import order decides where they are counted."""

import pytest

from bot.telemetry import metrics


def test_counting_in_memory_first_cannot_be_shared_afterwards() -> None:
    metrics.REQUESTS.labels("command", "/learn", "ok").inc()
    with pytest.raises(RuntimeError, match="before they were shared"), metrics.shared_between_processes():
        pass


def test_render_is_the_exposition_of_what_was_counted() -> None:
    metrics.DIGESTS.labels("posted").inc()
    assert b'peerlearn_digests_total{outcome="posted"}' in metrics.render()
