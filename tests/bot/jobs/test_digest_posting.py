"""The weekly digest goes out once per ISO week at the workspace's local time: through DST, restarts, a crash
half-way, two schedulers at once, Slack outages and a channel the bot cannot post in."""

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot import ids
from bot.config import Settings
from bot.deps import Deps
from bot.jobs import JobContext
from bot.jobs import digest as digest_job
from bot.scheduler import Scheduler
from bot.services.workspace import DigestTarget
from bot.slack.client import make_client
from store.db import make_sessions
from store.models import DigestRun
from store.repos import Repos
from tests import factories as make
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on, wanted
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import ask_first_expert, buttons, confirm_time, last_dm, proposal

CHANNEL = "CLEARN"


def arrange(deps: Deps, *, weekday: int = 0, at: str = "09:00", tz: str = "UTC", channel: str = CHANNEL) -> None:
    """A workspace installed long before the weeks tested, with someone waiting for a topic (so, news)."""
    with deps.db.begin() as session:
        repos = Repos(session)
        make.workspace(
            repos, "T0PEERLRN", learning_channel=channel, digest_weekday=weekday, digest_time=at, timezone=tz
        )
        make.member(repos, "UALICE", "Alice", team="T0PEERLRN")
    installed_on(deps, LONG_AGO, "T0PEERLRN")
    wanted(deps, "T0PEERLRN")
    deps.workspace_cache.forget("T0PEERLRN")


def digests(fake: FakeSlack, channel: str = CHANNEL) -> list[dict]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.args["channel"] == channel and c.response["ok"]]


def runs(deps: Deps) -> list[DigestRun]:
    with deps.db() as session:
        return list(session.scalars(select(DigestRun).order_by(DigestRun.id)))


def tick(scheduler: Scheduler, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        scheduler.run_job("digests", digest_job.run)


def test_posted_at_local_time_in_a_non_utc_timezone_and_only_once(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps, weekday=0, at="09:00", tz="America/New_York")  # Monday 09:00 in New York is 14:00 UTC in November
    tick(scheduler, datetime(2026, 11, 23, 13, 59, tzinfo=UTC))
    assert digests(fake_slack) == []
    tick(scheduler, datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    tick(scheduler, datetime(2026, 11, 23, 14, 1, tzinfo=UTC))
    tick(scheduler, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # the rest of the week: nothing more
    [posted] = digests(fake_slack)
    assert posted["metadata"]["event_payload"] == {"iso_year": 2026, "iso_week": 48}
    assert "week 48" in json.dumps(posted["blocks"])
    [run] = runs(deps)
    assert (run.iso_week, run.attempts, run.error) == (48, 1, None) and run.posted_at is not None
    tick(scheduler, datetime(2026, 11, 30, 14, 0, tzinfo=UTC))  # next Monday: next week's digest
    assert len(digests(fake_slack)) == 2


def test_a_restart_after_the_due_time_catches_up_but_a_week_old_digest_is_skipped(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps, weekday=0, at="09:00")
    tick(scheduler, datetime(2026, 11, 23, 11, 30, tzinfo=UTC))  # down from 08:00 to 11:30: posted late, once
    assert len(digests(fake_slack)) == 1
    tick(scheduler, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # Tuesday, 24 hours late: waits for next week
    assert len(digests(fake_slack)) == 1


def test_daylight_saving_neither_skips_nor_doubles(scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack) -> None:
    # Sunday 02:30 in Berlin: that time does not exist on 29 March 2026 and happens twice on 25 October 2026.
    arrange(deps, weekday=6, at="02:30", tz="Europe/Berlin")
    tick(scheduler, datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 01:59 CET, just before the clocks jump
    assert digests(fake_slack) == []
    tick(scheduler, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST: the first real moment "at 02:30"
    assert len(digests(fake_slack)) == 1
    tick(scheduler, datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # the first 02:30 (CEST)
    tick(scheduler, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # the second 02:30 (CET): not again
    assert len(digests(fake_slack)) == 2
    assert [r.iso_week for r in runs(deps)] == [13, 43]


def test_a_monday_digest_keeps_its_local_hour_across_the_change(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps, weekday=0, at="09:00", tz="Europe/Berlin")
    tick(scheduler, datetime(2026, 10, 19, 7, 0, tzinfo=UTC))  # 09:00 CEST
    tick(scheduler, datetime(2026, 10, 26, 7, 0, tzinfo=UTC))  # 08:00 CET: an hour early after the change
    assert len(digests(fake_slack)) == 1
    tick(scheduler, datetime(2026, 10, 26, 8, 0, tzinfo=UTC))  # 09:00 CET
    assert len(digests(fake_slack)) == 2


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_a_crash_after_posting_is_recovered_from_the_channel_not_posted_again(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack, private: bool
) -> None:
    """A process claimed the digest, posted it, and died before writing that down; a private learning channel
    is read with groups:history, so it is not posted twice there either."""
    if private:
        fake_slack.private.add(CHANNEL)
    arrange(deps)
    crashed_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with deps.db.begin() as session:
        assert Repos(session).runs.claim("T0PEERLRN", 2026, 48, crashed_at) is not None
    with time_machine.travel(crashed_at + timedelta(seconds=2), tick=False):
        ts = fake_slack.seed_message(
            CHANNEL,
            "peerlearn weekly",
            metadata={"event_type": "peerlearn_digest", "event_payload": {"iso_year": 2026, "iso_week": 48}},
        )
    tick(scheduler, crashed_at + timedelta(minutes=1))  # the claim is fresh: its owner may still be at work
    assert fake_slack.calls_to("conversations.history") == []
    tick(scheduler, crashed_at + timedelta(minutes=6))  # the lease ran out: look in the channel first
    assert digests(fake_slack) == []
    [run] = runs(deps)
    assert run.message_ts == ts and run.posted_at is not None


def test_a_crash_before_posting_is_posted_by_the_next_attempt(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps)
    crashed_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with deps.db.begin() as session:
        Repos(session).runs.claim("T0PEERLRN", 2026, 48, crashed_at)
    tick(scheduler, crashed_at + timedelta(minutes=6))
    tick(scheduler, crashed_at + timedelta(minutes=30))
    assert len(digests(fake_slack)) == 1
    assert runs(deps)[0].attempts == 2


def test_two_schedulers_at_once_post_one_digest(settings: Settings, deps: Deps, fake_slack: FakeSlack) -> None:
    arrange(deps)
    client = make_client(settings, settings.slack_bot_token)
    # A second process: its own engine and settings cache, the same database.
    other = Deps(settings=settings, engine=deps.engine, db=make_sessions(deps.engine))
    contexts = [JobContext(deps, lambda _t: client), JobContext(other, lambda _t: client)]
    start = threading.Barrier(len(contexts))
    results: list[digest_job.Posted] = []

    def race(ctx: JobContext) -> None:
        start.wait()
        results.append(
            digest_job.post_if_due(
                ctx, DigestTarget("T0PEERLRN", "T0PEERLRN"), datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
            )
        )

    threads = [threading.Thread(target=race, args=(ctx,)) for ctx in contexts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == sorted([digest_job.Posted.POSTED, digest_job.Posted.TAKEN])
    assert len(digests(fake_slack)) == 1
    other.background.shutdown()


def test_a_slack_outage_is_retried_with_backoff_and_still_posts_once(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    fake_slack.fail("chat.postMessage", status=429, retry_after=0, times=2)  # rate limited: the client waits
    tick(scheduler, monday)
    assert len(digests(fake_slack)) == 1
    fake_slack.reset()
    fake_slack.fail("chat.postMessage", status=500, times=10)  # a real outage, longer than the client's retries
    next_monday = monday + timedelta(days=7)
    tick(scheduler, next_monday)
    assert digests(fake_slack) == []
    tick(scheduler, next_monday + timedelta(minutes=3))  # within the lease: not hammered
    failures = len(fake_slack.calls_to("chat.postMessage"))
    assert failures == 3  # one call and the client's two retries
    fake_slack.faults.clear()
    tick(scheduler, next_monday + timedelta(minutes=6))  # the lease ran out: the channel is checked, then posted
    assert len(fake_slack.calls_to("conversations.history")) == 1
    assert len(digests(fake_slack)) == 1
    tick(scheduler, next_monday + timedelta(hours=1))
    assert len(digests(fake_slack)) == 1


def test_not_in_channel_tells_the_admin_once_and_retries_next_week(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack, slack
) -> None:
    arrange(deps)
    fake_slack.add_user("UADMIN", "Ada", is_admin=True)
    slack.event({"type": "app_home_opened", "user": "UADMIN", "tab": "home"})  # peerlearn learns Ada is an admin
    fake_slack.fail("chat.postMessage", error="not_in_channel", times=2, channel=CHANNEL)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    tick(scheduler, monday)
    tick(scheduler, monday + timedelta(hours=1))  # the same week: not tried again, not told again
    admin_dms = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UADMIN"]
    assert len(admin_dms) == 1
    assert "/invite @peerlearn" in json.dumps(admin_dms[0].args["blocks"])
    slack.event({"type": "app_home_opened", "user": "UADMIN", "tab": "home"})
    assert "could not be posted" in json.dumps(fake_slack.calls_to("views.publish")[-1].args["view"])
    tick(scheduler, monday + timedelta(days=7))  # next week: tried again, still refused, the admin knows already
    assert len([c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UADMIN"]) == 1
    tick(scheduler, monday + timedelta(days=14))  # the admin invited the bot: it works again
    assert len(digests(fake_slack)) == 1
    slack.event({"type": "app_home_opened", "user": "UADMIN", "tab": "home"})
    assert "could not be posted" not in json.dumps(fake_slack.calls_to("views.publish")[-1].args["view"])
    assert [r.error for r in runs(deps)] == ["not_in_channel", "not_in_channel", None]


def test_an_archived_channel_is_reported_too(scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack) -> None:
    arrange(deps)
    fake_slack.fail("chat.postMessage", error="is_archived")
    tick(scheduler, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert [r.error for r in runs(deps)] == ["is_archived"]


def test_no_learning_channel_means_no_digest_and_no_claim(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack
) -> None:
    arrange(deps, channel="")
    tick(scheduler, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert fake_slack.calls_to("chat.postMessage") == [] and runs(deps) == []


def kudos(slack: SlackDriver, giver: str, receiver: str, ts: str) -> None:
    item = {"type": "message", "channel": "C1", "ts": ts}
    slack.event(
        {"type": "reaction_added", "user": giver, "reaction": "mortar_board", "item_user": receiver, "item": item}
    )


def posted_text(fake: FakeSlack) -> str:
    [posted] = digests(fake)
    return json.dumps(posted["blocks"], ensure_ascii=False)


def test_a_digest_built_mid_week_shows_the_7_days_up_to_then(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    """Built on a Wednesday, the digest shows this week's kudos and sessions, not the calendar week before."""
    arrange(deps, weekday=2, at="15:00")
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=UTC), tick=True):  # nine days before
        kudos(slack, "UCARA", "UBOB", "1.1")
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=True):  # Monday of ISO week 48
        slack.command("/teach", "sql", user="UALICE")
        ask_first_expert(slack, "UBOB", "sql")
        match_id = buttons(last_dm(fake_slack, "UALICE").args["blocks"])[ids.ACCEPT][0]
        slack.click("UALICE", ids.ACCEPT, match_id)
        slack.submit("UALICE", ids.PROPOSE_MODAL, match_id, proposal(day="2026-11-24", clock="10:00"))
        confirm_time(slack, fake_slack, "UBOB")
        kudos(slack, "UBOB", "UALICE", "2.1")
    wednesday = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    tick(scheduler, wednesday)
    text = posted_text(fake_slack)
    assert "*Most thanked in the last 7 days*\\n:first_place_medal: <@UALICE> · 1 kudos" in text
    assert "<@UBOB>" not in text  # thanked nine days ago: older than the digest's 7 days
    assert "*1* session held in the last 7 days" in text  # Tuesday's
    assert "to everyone who taught in the last 7 days: <@UALICE> (SQL)" in text
    assert "last week" not in text
    # `peerlearn digest` the next day: the ISO week's digest is out already.
    chosen = deps.workspace("T0PEERLRN")
    assert (
        digest_job.post(scheduler.ctx, DigestTarget("T0PEERLRN", "T0PEERLRN"), wednesday + timedelta(days=1), chosen)
        is digest_job.Posted.TAKEN
    )
    assert [(r.iso_year, r.iso_week) for r in runs(deps)] == [(2026, 48)]


def test_the_monday_digest_covers_the_7_days_before_it(
    scheduler: Scheduler, deps: Deps, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    arrange(deps, weekday=0, at="09:00")
    for when, giver, receiver, ts in (
        (datetime(2026, 11, 16, 8, 30, tzinfo=UTC), "UBOB", "UCARA", "1.1"),  # before last Monday's digest: in that one
        (datetime(2026, 11, 17, 12, 0, tzinfo=UTC), "UBOB", "UALICE", "1.2"),
        (datetime(2026, 11, 23, 8, 30, tzinfo=UTC), "UCARA", "UALICE", "1.3"),  # this Monday, before 09:00
    ):
        with time_machine.travel(when, tick=True):
            kudos(slack, giver, receiver, ts)
    tick(scheduler, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    text = posted_text(fake_slack)
    assert "<@UALICE> · 2 kudos" in text and "<@UCARA>" not in text
