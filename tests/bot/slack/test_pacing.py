"""The pacer lets a burst through at once and then holds a steady rate (on a timer the test moves: no sleeping)."""

import pytest

from bot.slack.pacing import Pacer
from tests.fakes.timer import FakeTimer


def test_a_burst_passes_then_the_bucket_is_empty() -> None:
    timer = FakeTimer()
    pacer = Pacer(rate=1000.0, burst=3, timer=timer, sleep=timer.sleep)
    assert list(pacer.each("abc")) == ["a", "b", "c"]
    assert timer.slept == []  # the burst went out at once
    assert pacer._tokens < 1  # the fourth message would wait for a token
    pacer.wait()
    assert pacer._tokens <= 0
    assert timer.slept == [pytest.approx(0.001)]  # one token's time at 1,000 a second


def test_a_quiet_spell_refills_the_bucket_only_up_to_the_burst() -> None:
    timer = FakeTimer()
    pacer = Pacer(rate=10.0, burst=2, timer=timer, sleep=timer.sleep)
    list(pacer.each("ab"))
    timer.advance(60)
    list(pacer.each("cd"))
    assert timer.slept == []
    pacer.wait()
    assert timer.slept == [pytest.approx(0.1)]
