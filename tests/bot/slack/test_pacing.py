"""The pacer lets a burst through at once and then holds a steady rate (measured in counts, not timings)."""

from bot.slack.pacing import Pacer


def test_a_burst_passes_then_the_bucket_is_empty() -> None:
    pacer = Pacer(rate=1000.0, burst=3)
    assert list(pacer.each("abc")) == ["a", "b", "c"]
    assert pacer._tokens < 1  # the fourth message would wait for a token
    pacer.wait()
    assert pacer._tokens <= 0
