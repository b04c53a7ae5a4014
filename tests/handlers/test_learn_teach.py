"""/learn and /teach through signed requests against the real Bolt app, the fake Slack and a real database."""

import json
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import func, select

from bot.app import build_app
from bot.config import Settings
from bot.deps import Deps
from bot.domain import MatchStatus, NeedStatus
from bot.slack.background import Background
from bot.slack.client import make_client
from bot.slack.directory import MemberDirectory
from store.db import make_sessions
from store.models import Match, Member, Need, Offer
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.fakes.timer import FakeTimer


def count(deps: Deps, model: type) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_learn_shows_the_expert_who_teaches_it(slack: SlackDriver, deps: Deps) -> None:
    taught = slack.command("/teach", "helm, kubernetes level: expert -- happy to pair on Fridays", user="UALICE")
    assert taught.status == 200
    assert taught.json["response_type"] == "ephemeral"
    assert "You teach *Helm*, *Kubernetes*" in taught.text

    reply = slack.command("/learn", "k8s", user="UBOB")
    assert reply.status == 200
    payload = reply.json
    assert payload["response_type"] == "ephemeral"
    assert "<@UALICE>" in reply.text
    assert "expert" in reply.text
    assert "happy to pair on Fridays" in reply.text
    assert ":mortar_board: 0 kudos" in reply.text
    # Alice's local time comes from users.info, fetched after the ack and cached.
    assert "their time" in reply.text
    with deps.db() as session:
        need = session.scalars(select(Need)).one()
        assert (need.raw_text, need.status, need.topic.name) == ("k8s", NeedStatus.OPEN, "kubernetes")


def test_nobody_yet_is_said_and_never_a_random_expert(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "javascript", user="UALICE")
    reply = slack.command("/learn", "java", user="UBOB")
    assert "Nobody teaches *Java* yet" in reply.text
    assert "UALICE" not in reply.text
    assert count(deps, Need) == 1


def test_declaring_the_same_need_twice_saves_it_once(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/learn", "Rust", user="UBOB")
    again = slack.command("/learn", "rust", user="UBOB")
    assert "already asked" in again.text
    assert count(deps, Need) == 1


def test_the_asker_is_never_their_own_expert_and_is_told_they_teach_it(slack: SlackDriver) -> None:
    slack.command("/teach", "sql", user="UBOB")
    reply = slack.command("/learn", "sql", user="UBOB")
    assert "You teach *SQL* yourself, and nobody else here does yet" in reply.text
    assert "<@UBOB>" not in reply.text


def test_learn_list_done_and_cancel(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/learn", "go", user="UBOB")
    slack.command("/learn", "sql", user="UBOB")
    listing = slack.command("/learn", "", user="UBOB")
    assert "*Go*" in listing.text and "*SQL*" in listing.text
    assert "Marked *Go* as done" in slack.command("/learn", "done Go", user="UBOB").text
    assert "Cancelled your need for *SQL*" in slack.command("/learn", "cancel sql", user="UBOB").text
    assert "no open need" in slack.command("/learn", "done sql", user="UBOB").text
    assert "You have no open needs" in slack.command("/learn", "", user="UBOB").text


def test_teach_shows_who_is_waiting_without_naming_them(slack: SlackDriver) -> None:
    slack.command("/learn", "kubernetes", user="UBOB")
    slack.command("/learn", "k8s", user="UCARA")
    reply = slack.command("/teach", "Kubernetes", user="UALICE")
    assert "*2 people want to learn Kubernetes*" in reply.text
    assert reply.text.count("offer_help") == 2
    assert "UBOB" not in reply.text and "UCARA" not in reply.text


def test_teach_list_remove_pause_resume(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "sql, python level: expert -- notebooks", user="UALICE")  # the note is Python's
    listing = slack.command("/teach", "", user="UALICE")
    assert "*Python* (expert) — notebooks" in listing.text and "*SQL* (expert)\\n" in listing.text
    removed = slack.command("/teach", "remove SQL, cobol", user="UALICE")
    assert "no longer teach *SQL*" in removed.text and "didn't teach “cobol”" in removed.text
    assert count(deps, Offer) == 1
    assert "Paused" in slack.command("/teach", "pause", user="UALICE").text
    assert "can't take a request right now" in slack.command("/learn", "python", user="UBOB").text
    assert "Welcome back" in slack.command("/teach", "resume", user="UALICE").text
    assert "<@UALICE>" in slack.command("/learn", "python", user="UCARA").text


def test_unicode_topics_work(slack: SlackDriver) -> None:
    slack.command("/teach", "日本語, Größenordnung", user="UCARA")
    assert "<@UCARA>" in slack.command("/learn", "日本語", user="UALICE").text
    assert "<@UCARA>" in slack.command("/learn", "größenordnung", user="UALICE").text


def test_bad_input_gets_usage_and_saves_nothing(slack: SlackDriver, deps: Deps) -> None:
    cases = [
        ("/learn", "<@UALICE>"),
        ("/learn", "https://example.com"),
        ("/learn", ":tada:"),
        ("/learn", "x" * 151),
        ("/teach", ", ".join(f"t{i}" for i in range(11))),
        ("/teach", "python level: wizard"),
        ("/teach", "remove"),
    ]
    for command, text in cases:
        reply = slack.command(command, text, user="UBOB")
        assert reply.status == 200
        assert reply.json["response_type"] == "ephemeral"
        assert ":warning:" in reply.text
        assert command in reply.text  # the usage is shown
    assert count(deps, Need) == 0
    assert count(deps, Offer) == 0


def test_unknown_command_gets_a_short_ephemeral_message(slack: SlackDriver) -> None:
    reply = slack.command("/peerlearn-old", "hello")
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "/learn" in reply.json["text"]


def test_bad_or_stale_signature_is_refused_and_changes_nothing(slack: SlackDriver, deps: Deps) -> None:
    assert slack.command("/learn", "rust", secret="not-the-secret").status == 401
    assert slack.command("/learn", "rust", timestamp=1_000_000_000).status == 401
    assert count(deps, Need) == 0
    assert count(deps, Member) == 0


def test_members_are_refreshed_from_users_info_once(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    for topic in ("a1", "b2", "c3"):
        slack.command("/learn", topic, user="UCARA")
    assert len(fake_slack.calls_to("users.info")) == 1
    with deps.db() as session:
        cara = session.scalars(select(Member).where(Member.user_id == "UCARA")).one()
        assert (cara.display_name, cara.tz) == ("Cara", "Asia/Tokyo")


def test_users_info_429_and_500_are_retried(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    fake_slack.fail("users.info", status=429, retry_after=0)
    fake_slack.fail("users.info", status=500)
    slack.command("/learn", "rust", user="UCARA")
    assert len(fake_slack.calls_to("users.info")) == 3
    with deps.db() as session:
        assert session.scalars(select(Member.tz).where(Member.user_id == "UCARA")).one() == "Asia/Tokyo"


def test_users_info_error_is_survived(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    fake_slack.fail("users.info", error="user_not_found")
    reply = slack.command("/learn", "rust", user="UCARA")
    assert reply.status == 200
    assert count(deps, Need) == 1


def test_user_change_updates_and_deactivates(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "python", user="UALICE")
    user = fake_slack.users["UALICE"].as_slack(fake_slack.team_id)
    user["profile"]["display_name"] = "Alice L."
    user["deleted"] = True
    event = {"type": "user_change", "user": user}
    assert slack.event(event, event_id="EvUC1").status == 200
    assert slack.event(event, event_id="EvUC1", retry=1).status == 200  # Slack's retry is harmless
    with deps.db() as session:
        alice = session.scalars(select(Member).where(Member.user_id == "UALICE")).one()
        assert (alice.display_name, alice.active) == ("Alice L.", False)
    assert "Nobody teaches" in slack.command("/learn", "python", user="UBOB").text


def test_a_deactivated_user_has_offers_needs_and_proposals_withdrawn(
    slack: SlackDriver, deps: Deps, fake_slack
) -> None:
    slack.command("/teach", "python", user="UALICE")
    slack.command("/learn", "rust", user="UALICE")
    reply = slack.command("/learn", "python", user="UBOB")
    ask = next(b["accessory"]["value"] for b in reply.json["blocks"] if b.get("accessory"))
    slack.click("UBOB", "ask_expert", ask)
    user = fake_slack.users["UALICE"].as_slack(fake_slack.team_id) | {"deleted": True}
    slack.event({"type": "user_change", "user": user})
    with deps.db() as session:
        assert session.scalars(select(Offer.active)).all() == [False]
        alice_needs = select(Need.status).join(Need.member).where(Member.user_id == "UALICE")
        assert session.scalars(alice_needs).all() == [NeedStatus.CANCELLED]
        assert session.scalars(select(Match.status)).all() == [MatchStatus.EXPIRED]


def test_app_home_is_published_with_your_topics_and_needs(slack: SlackDriver, fake_slack) -> None:
    slack.command("/teach", "python level: expert", user="UALICE")
    slack.command("/learn", "rust", user="UALICE")
    reply = slack.event({"type": "app_home_opened", "user": "UALICE", "tab": "home", "channel": "D1"})
    assert reply.status == 200
    published = fake_slack.calls_to("views.publish")
    assert len(published) == 1
    assert published[0].args["user_id"] == "UALICE"
    view = json.dumps(published[0].args["view"])
    assert "*Python* (expert)" in view and "*Rust*" in view


def test_a_failing_listener_still_answers_200_with_an_apology(slack: SlackDriver, deps: Deps) -> None:
    with deps.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE need RENAME TO need_gone")
    try:
        reply = slack.command("/learn", "rust", user="UBOB")
    finally:
        with deps.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE need_gone RENAME TO need")
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "Sorry" in reply.json["text"]


class _Queued:
    """A Background that only records what was submitted, so a test can run it when it chooses."""

    def __init__(self) -> None:
        self.tasks: list[tuple[Any, tuple[Any, ...]]] = []

    def submit(self, fn: Any, *args: Any) -> None:
        self.tasks.append((fn, args))


def test_first_time_members_are_read_in_batches_each_once(deps: Deps, fake_slack, settings) -> None:
    directory = MemberDirectory(deps.db, deps.clock)
    client = make_client(settings, settings.slack_bot_token)
    people = [f"UNEW{i:03d}" for i in range(45)]
    for user in people:
        fake_slack.add_user(user, f"New {user}", tz="Asia/Tokyo")
    queued = _Queued()
    for user in [*people, *people]:  # asking twice before anyone was read queues them once
        directory.refresh_soon(cast(Background, queued), client, fake_slack.team_id, user)
    assert len(queued.tasks) == 3  # one reader per 20 queued, up to MemberDirectory.DRAINERS
    for fn, args in queued.tasks:
        fn(*args)
    assert sorted(c.args["user"] for c in fake_slack.calls_to("users.info")) == people
    with deps.db() as session:
        stored = session.execute(select(Member.user_id, Member.tz, Member.display_name)).all()
    assert sorted(stored) == [(user, "Asia/Tokyo", f"New {user}") for user in people]
    directory.refresh_soon(cast(Background, queued), client, fake_slack.team_id, people[0])  # read lately: no task
    assert len(queued.tasks) == 3


def test_a_member_read_lately_is_queued_again_once_the_ttl_has_passed(deps: Deps, fake_slack, settings) -> None:
    timer = FakeTimer()
    directory = MemberDirectory(deps.db, deps.clock, ttl=timedelta(hours=6), timer=timer)
    client = make_client(settings, settings.slack_bot_token)
    queued = _Queued()
    directory.refresh(client, fake_slack.team_id, "UALICE")
    directory.refresh_soon(cast(Background, queued), client, fake_slack.team_id, "UALICE")
    assert queued.tasks == []  # read lately
    timer.advance(timedelta(hours=6, seconds=1).total_seconds())
    directory.refresh_soon(cast(Background, queued), client, fake_slack.team_id, "UALICE")
    assert len(queued.tasks) == 1


def test_a_member_another_replica_refreshed_lately_is_not_read_again(
    slack: SlackDriver, deps: Deps, fake_slack, settings
) -> None:
    slack.command("/learn", "rust", user="UCARA")
    assert len(fake_slack.calls_to("users.info")) == 1
    another_replica = MemberDirectory(deps.db, deps.clock)
    another_replica.refresh(make_client(settings, settings.slack_bot_token), fake_slack.team_id, "UCARA")
    assert len(fake_slack.calls_to("users.info")) == 1


def test_a_topic_just_taught_through_another_worker_is_found_at_once(
    slack: SlackDriver, deps: Deps, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Two workers on one database: the second has its topic index loaded and would only look again in 5 s, yet
    a /learn naming the topic the first one just saved finds the teacher instead of "nobody teaches"."""
    other = Deps(settings=settings, engine=deps.engine, db=make_sessions(deps.engine))
    worker = SlackDriver(build_app(settings, other), fake_slack, SECRET, other.background)
    try:
        worker.command("/learn", "kubernetes", user="UBOB")  # this worker's index of the workspace is loaded
        slack.command("/teach", "widgetology", user="UALICE")  # a topic nobody named before, through the other
        reply = json.dumps(worker.command("/learn", "widgetology", user="UCARA").json["blocks"])
        assert "<@UALICE>" in reply and "Nobody teaches" not in reply
    finally:
        other.background.wait_idle()
        other.background.shutdown()
