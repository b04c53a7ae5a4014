import threading

from bot.slack.background import Background
from bot.slack.debounce import Debouncer


def test_touches_before_the_timer_fires_join_one_run() -> None:
    background = Background(workers=1)
    runs: list[str] = []
    batch = Debouncer(background, delay=3600)
    batch.touch("alice", runs.append, "alice")
    batch.touch("alice", runs.append, "alice")
    batch.touch("bob", runs.append, "bob")
    assert runs == []
    batch.flush()
    assert background.wait_idle()
    assert sorted(runs) == ["alice", "bob"]
    batch.touch("alice", runs.append, "alice again")  # a new burst after the flush
    batch.flush()
    assert background.wait_idle()
    assert runs[-1] == "alice again"
    background.shutdown()


def test_the_timer_runs_it_without_a_flush() -> None:
    background = Background(workers=1)
    done = threading.Event()
    Debouncer(background, delay=0.01).touch("k", done.set)
    assert done.wait(timeout=5)
    background.shutdown()
