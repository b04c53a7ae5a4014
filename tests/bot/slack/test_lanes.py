"""bot/slack/lanes.py: one conversation's replies one at a time, in order; conversations do not wait on each other."""

import threading

from bot.slack.background import Background
from bot.slack.lanes import Lanes


def test_a_lane_runs_its_tasks_in_order_and_a_failure_does_not_stop_it() -> None:
    background = Background(workers=4)
    lanes, done = Lanes(background), []
    held, other = threading.Event(), threading.Event()

    def reply(n: int) -> None:
        if n == 0:
            held.wait(5)  # the first reply is slow: the others queue behind it, they do not overtake it
        if n == 2:
            raise RuntimeError("Slack said no")
        done.append(n)

    for n in range(5):
        lanes.submit("DBOB", reply, n)
    lanes.submit("DCARA", other.set)
    assert other.wait(5)  # another conversation is answered while Bob's first reply is still held
    assert done == []
    held.set()
    assert background.wait_idle()
    assert done == [0, 1, 3, 4]
    background.shutdown()
