"""Every number on the dashboard, against a workspace filled by the real Slack flows (signed requests through the
Bolt app): asks, an accept, a time agreed, a session held, a session cancelled, kudos, and needs nobody teaches.
On SQLite and PostgreSQL (the `database_url` fixture runs both)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import time_machine
from werkzeug.test import Client

from bot import ids
from tests.bot.insights.dashboard import dashboard, sign_in
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_kudos import reaction
from tests.handlers.test_meeting_times import book, group_dm, modal
from tests.handlers.test_workspace_settings import home_of

__all__ = ["dashboard"]

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class Tables(HTMLParser):
    """Every <table data-table=…> of a page as rows of cell text; and how many charts drew something."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.charts = self.drawn = 0
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("data-table")
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag == "td" and self._table:
            self._cell = []
        elif tag == "svg" and "chart" in (found.get("class") or ""):
            self.charts += 1
        elif (tag == "rect" and "bar" in (found.get("class") or "")) or tag == "polyline":
            self.drawn += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, key: str) -> dict[str, list[str]]:
        """The table's body rows by their first cell."""
        return {row[0]: row[1:] for row in self.tables[key] if row}


def fill(slack: SlackDriver, fake: FakeSlack) -> None:
    """A week of Slack: Alice teaches Bob SQL (held Monday 14:00), Dan teaches Eve Go and cancels, three people want
    Kubernetes (nobody teaches it), one wants Divorce law (a private need: never a count of 1), kudos."""
    for user, name in (("UDAN", "Dan"), ("UEVE", "Eve"), ("UFAY", "Fay"), ("UGUS", "Gus"), ("UHAL", "Hal")):
        fake.add_user(user, name, tz="Europe/Berlin")
    book(slack, fake)  # Alice and Bob, SQL, today 14:00 UTC
    room = group_dm(fake)[0]["channel"]
    slack.event(
        reaction("reaction_added", "UBOB", "UALICE", ts="7.7")
        | {"item": {"type": "message", "channel": room, "ts": "7.7"}}
    )
    for learner in ("UFAY", "UGUS", "UHAL"):
        slack.command("/learn", "kubernetes", user=learner)
    slack.command("/learn", "divorce law", user="UEVE")
    slack.event(reaction("reaction_added", "UALICE", "UBOB", ts="8.8"))
    # Another workspace's people never show: their topic, their counts.
    slack.team = "TOTHER"
    for learner in ("UFAY", "UGUS", "UHAL", "UEVE"):
        slack.command("/learn", "zebra husbandry", user=learner)
    slack.team = ""


def test_every_number_on_the_page_is_what_happened_in_slack(
    slack: SlackDriver, fake_slack: FakeSlack, dashboard: Client
) -> None:
    with time_machine.travel(MONDAY, tick=False) as clock:
        fill(slack, fake_slack)
        clock.move_to(MONDAY + timedelta(days=1))  # Tuesday: the SQL session is over
        sign_in(dashboard, fake_slack)
        html = dashboard.get("/insights").get_data(as_text=True)
    page = Tables(html)
    assert "zebra" not in html.lower()
    # The headline: four learners wait (Kubernetes 3, Divorce law 1; Bob was helped), one session in 30 days.
    assert 'id="h-waiting">4<' in html and 'id="h-sessions">1<' in html
    demand = page.rows("demand")
    assert demand["Kubernetes"][:4] == ["3", "0", "0", "0"]
    assert demand["divorce law"][0] == "fewer than 3"  # one person's private need
    assert page.rows("untaught").keys() == {"Kubernetes", "divorce law"}
    assert page.rows("one_teacher") == {} if "one_teacher" in page.tables else True
    funnel = page.rows("funnel")
    assert [funnel[s][0] for s in ("Asked", "Accepted", "Time agreed", "Session held", "It helped")] == [
        "5", "1", "1", "1", "0",
    ]  # fmt: skip
    teachers = page.rows("teachers")
    assert teachers["Alice"][1:] == ["1", "1"]  # one session held, one endorsement (Bob's thanks in their DM)
    weekly = page.tables["participation_weekly"]
    assert sum(int(row[4]) for row in weekly if row) == 2  # kudos: Bob → Alice, Alice → Bob
    assert sum(int(row[3]) for row in weekly if row) == 1  # sessions held
    # No learner is ever named: not Bob, Eve, Fay, Gus or Hal.
    for learner in ("Bob", "Eve", "Fay", "Gus", "Hal"):
        assert f">{learner}<" not in html
    assert page.charts >= 5 and page.drawn >= 5


def test_a_cancelled_session_counts_nowhere_on_the_dashboard(
    slack: SlackDriver, fake_slack: FakeSlack, dashboard: Client
) -> None:
    with time_machine.travel(MONDAY, tick=False) as clock:
        session_id = book(slack, fake_slack)
        room = group_dm(fake_slack)[0]["channel"]
        slack.click("UALICE", ids.CANCEL_SESSION, session_id, channel=room)
        assert modal(fake_slack)["callback_id"] == ids.CANCEL_MODAL
        reason = {"reason": {"value": {"type": "plain_text_input", "value": "Something came up"}}}
        slack.submit("UALICE", ids.CANCEL_MODAL, session_id, reason)
        clock.move_to(MONDAY + timedelta(days=1))
        sign_in(dashboard, fake_slack)
        page = Tables(dashboard.get("/insights").get_data(as_text=True))
    funnel = page.rows("funnel")
    assert funnel["Session held"][0] == "0" and funnel["Time agreed"][0] == "0"
    assert page.rows("stuck")["Session cancelled"] == ["1"]
    assert "teachers" not in page.tables  # nobody held a session
    assert sum(int(row[3]) for row in page.tables["participation_weekly"] if row) == 0


def test_each_csv_holds_the_same_rows_as_its_table(
    slack: SlackDriver, fake_slack: FakeSlack, dashboard: Client
) -> None:
    with time_machine.travel(MONDAY, tick=False) as clock:
        fill(slack, fake_slack)
        clock.move_to(MONDAY + timedelta(days=1))
        sign_in(dashboard, fake_slack)
        page = Tables(dashboard.get("/insights?period=quarter").get_data(as_text=True))
        for key, rows in page.tables.items():
            answer = dashboard.get(f"/insights/csv/{key}.csv?period=quarter")
            assert answer.status_code == 200 and answer.mimetype == "text/csv"
            assert "attachment" in answer.headers["Content-Disposition"]
            body = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
            assert body[1:] == rows[1:] or body[1:] == [r for r in rows if r], key
        assert dashboard.get("/insights/csv/nosuch.csv").status_code == 404


def test_app_home_shows_admins_the_headline_and_the_way_to_the_dashboard(
    slack: SlackDriver, fake_slack: FakeSlack, dashboard: Client
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        fill(slack, fake_slack)
        admin = home_of(slack, "UADMIN")  # an admin in Slack (the dashboard fixture adds her)
        member = home_of(slack, "UBOB")
    assert "*Learning insights* (admins)" in admin and "Learners waiting: *4*" in admin
    assert "Sessions in the last 30 days: *0*" in admin  # the SQL session is this afternoon, not held yet
    assert "Learning insights" not in member


def test_the_digest_and_home_link_to_the_dashboard_only_when_it_is_on() -> None:
    from bot.config import load_settings
    from bot.insights.mount import dashboard_url
    from bot.insights.report import Headline
    from bot.services.digest import Digest
    from bot.views.digest import digest_message
    from bot.views.insights_home import insights_summary

    on = load_settings(
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="s",
        PEERLEARN_SECRET_KEY="k" * 40,
        PEERLEARN_PUBLIC_URL="https://peerlearn.example.com/",
    )
    url = dashboard_url(on)
    assert url == "https://peerlearn.example.com/insights"
    assert dashboard_url(load_settings(SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")) is None
    assert f"<{url}|Open the insights dashboard>" in str(insights_summary(Headline(4, "2.0 days", 1), url).to_dict())
    digest = Digest("T1", 2026, 48, [], [], 1, [], [], "UTC")
    assert f"<{url}|the insights dashboard>" in str(digest_message(digest, insights_url=url))
    assert "insights" not in str(digest_message(digest))
