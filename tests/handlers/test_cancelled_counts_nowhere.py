"""A session called off never happened: after the real Cancel button and its modal, it counts in no report. Not
the digest (sessions held, shout-outs, coming up), not either person's App Home ("Coming up", endorsements), not
the export, and in none of the report queries the insights dashboard will use; a session that is held still does."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.jobs import digest as digest_job
from bot.ops.export import export
from bot.scheduler import Scheduler
from bot.services import digest
from bot.services.catalog import Catalog
from bot.services.scope import Scope
from store.models import LearningSession
from store.repos import Repos
from tests.bot.jobs.digest_fixtures import LONG_AGO, installed_on
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_kudos import reaction
from tests.handlers.test_matching_flow import proposal
from tests.handlers.test_meeting_times import accept, book, confirm_buttons, group_dm, modal, offered
from tests.handlers.test_workspace_settings import home_of

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
CHANNEL = "CLEARN"


def coming_up(home: str) -> str:
    """The "Coming up" section of a published Home ("" when there is none)."""
    view = json.loads(home)
    texts = [b["text"]["text"] for b in view["blocks"] if b.get("type") == "section" and "text" in b]
    return next((text for text in texts if text.startswith("*Coming up*")), "")


def book_control(slack: SlackDriver, fake: FakeSlack, deps: Deps) -> LearningSession:
    """Dan (Berlin) teaches Go to Bob at the first free time they share: a session that is held."""
    fake.add_user("UDAN", "Dan", tz="Europe/Berlin")
    accept(slack, fake, "UDAN", "UBOB", "go")
    view = modal(fake)
    first = str(int(offered(view)[0].timestamp()))
    slack.submit("UDAN", ids.PROPOSE_MODAL, view["private_metadata"], proposal(slot=first, minutes="30"))
    _, values, _ = confirm_buttons(fake)
    slack.click("UBOB", ids.CONFIRM_TIME, values[0])
    with deps.db() as session:
        return session.scalars(select(LearningSession).order_by(LearningSession.id.desc()).limit(1)).one()


@time_machine.travel(MONDAY, tick=False)
def test_a_session_cancelled_with_its_button_counts_in_no_report(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, scheduler: Scheduler
) -> None:
    session_id = book(slack, fake_slack)  # Alice teaches Bob SQL, today 14:00 UTC
    sql_room = group_dm(fake_slack)[0]["channel"]
    control = book_control(slack, fake_slack, deps)
    assert control.starts_at is not None and MONDAY < control.starts_at < MONDAY + WEEK
    # Bob thanks Alice in their group DM before the session: a kudos that endorses her for SQL…
    slack.event(
        reaction("reaction_added", "UBOB", "UALICE", ts="7.7")
        | {"item": {"type": "message", "channel": sql_room, "ts": "7.7"}}
    )
    assert "SQL" in coming_up(home_of(slack, "UALICE")) and "Endorsed for *SQL*" in home_of(slack, "UALICE")

    # …then Alice calls it off, with the intro's Cancel button and its modal.
    slack.click("UALICE", ids.CANCEL_SESSION, session_id, channel=sql_room)
    assert modal(fake_slack)["callback_id"] == ids.CANCEL_MODAL
    reason = {"reason": {"value": {"type": "plain_text_input", "value": "Something came up"}}}
    assert slack.submit("UALICE", ids.CANCEL_MODAL, session_id, reason).status == 200

    # App Home, both people: no "Coming up" for it, no endorsement from it; the held session is still there.
    alice_home = home_of(slack, "UALICE")
    assert coming_up(alice_home) == "" and "Endorsed for" not in alice_home
    bob_upcoming = coming_up(home_of(slack, "UBOB"))
    assert "Go" in bob_upcoming and "SQL" not in bob_upcoming

    # The export: Alice teaches SQL, endorsed by nobody (Bob's thanks still count as kudos).
    out = io.StringIO()
    export(deps.db, fake_slack.team_id, out)
    rows = {(r["user_id"], r["topic"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows[("UALICE", "SQL")]["endorsed_by"] in ("", "0") and rows[("UALICE", "SQL")]["kudos_received"] == "1"

    # Every report query: only the held session.
    team, week_end = fake_slack.team_id, MONDAY + WEEK
    with deps.db() as session:
        repos = Repos(session)
        alice, bob = repos.members.get(team, "UALICE"), repos.members.get(team, "UBOB")
        assert alice is not None and bob is not None
        assert repos.home.upcoming_sessions(alice, MONDAY) == []
        assert [label for _, label in repos.home.upcoming_sessions(bob, MONDAY)] == ["Go"]
        assert [who for who, *_ in repos.home.counterparts(alice, MONDAY)] == []
        assert repos.stats.open_matches(team, [alice.id]) == {}
        assert repos.endorsements.of_member(alice) == []
        assert repos.endorsements.by_user_topic(team) == {}
        assert repos.digest.sessions_between(team, MONDAY, week_end) == 1
        assert [topic for topic, _ in repos.digest.upcoming(team, MONDAY, week_end, 5)] == ["Go"]
        assert repos.digest.teachers(team, MONDAY, week_end, 5) == [("UDAN", "Go")]
        assert repos.sessions.starts_between(MONDAY, week_end) == [control.starts_at]
        coming = digest.build(Scope(team, "", MONDAY + timedelta(hours=1), repos, Catalog()), tz="UTC").upcoming
        assert [topic for topic, _ in coming] == ["Go"]

    # Next Monday's digest: one session held, a shout-out to Dan only.
    installed_on(deps, LONG_AGO, team)
    with deps.db.begin() as session:
        Repos(session).workspaces.ensure(team).learning_channel = CHANNEL
    deps.workspace_cache.forget(team)
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), tick=False):
        scheduler.run_job("digests", digest_job.run)
    [posted] = [c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    text = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "*1* session held in the last 7 days" in text
    assert "<@UDAN> (Go)" in text and "UALICE" not in text and "SQL" not in text
