"""Working hours in App Home: shown to everyone, changed in a modal, refused inline when wrong, reset in a click.

Driven through the real Bolt app with signed requests; asserts on what Slack receives and on the database.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import ids
from bot.config import load_settings
from bot.deps import Deps
from bot.ops.export import export
from bot.slack.payloads import interaction_body
from bot.trial.console import Console
from store.models import Member
from tests.fakes.slack_requests import Reply, SlackDriver

DEFAULT_LINE = "*Your working hours:* Mon–Fri, 09:00–17:00 (Europe/Berlin), the default"


def home_of(slack: SlackDriver, user: str) -> str:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return last_home(slack)


def last_home(slack: SlackDriver) -> str:
    return json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"], ensure_ascii=False)


def hours_form(days: list[str], start: str | None = "09:00", end: str | None = "17:00") -> dict[str, Any]:
    """The modal's state as Slack sends it."""
    return {
        "days": {"value": {"type": "checkboxes", "selected_options": [{"value": day} for day in days]}},
        "start": {"value": {"type": "timepicker", "selected_time": start}},
        "end": {"value": {"type": "timepicker", "selected_time": end}},
    }


def submit_hours(slack: SlackDriver, user: str, values: dict[str, Any]) -> Reply:
    return slack.submit(user, ids.HOURS_MODAL, "", values)


def saved_hours(deps: Deps, user: str) -> str | None:
    with deps.db() as session:
        return session.scalars(select(Member.working_hours).where(Member.user_id == user)).one()


def opened_modal(slack: SlackDriver, user: str) -> dict[str, Any]:
    slack.click(user, ids.HOME_EDIT_HOURS, "edit", channel="D1", ts="home")
    view: dict[str, Any] = slack.fake.calls_to("views.open")[-1].args["view"]
    assert view["callback_id"] == ids.HOURS_MODAL
    return view


def fields_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block["element"] for block in view["blocks"] if block["type"] == "input"}


def test_everyone_sees_the_default_in_their_own_timezone_without_setting_anything(
    slack: SlackDriver, deps: Deps
) -> None:
    view = home_of(slack, "UALICE")
    assert DEFAULT_LINE + " — peerlearn proposes session times inside them." in view
    assert ids.HOME_EDIT_HOURS in view
    assert ids.HOME_DEFAULT_HOURS not in view  # already the default: nothing to go back to
    assert "Mon–Fri, 09:00–17:00 (America/New_York), the default" in home_of(slack, "UBOB")
    assert saved_hours(deps, "UALICE") is None

    modal = fields_of(opened_modal(slack, "UALICE"))
    assert [o["value"] for o in modal["days"]["initial_options"]] == ["mon", "tue", "wed", "thu", "fri"]
    assert [o["value"] for o in modal["days"]["options"]] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert (modal["start"]["initial_time"], modal["end"]["initial_time"]) == ("09:00", "17:00")
    assert "Europe/Berlin" in json.dumps(slack.fake.calls_to("views.open")[-1].args["view"])


def test_changed_hours_are_saved_shown_and_filled_in_next_time(slack: SlackDriver, deps: Deps) -> None:
    home_of(slack, "UALICE")
    opened_modal(slack, "UALICE")
    reply = submit_hours(slack, "UALICE", hours_form(["mon", "wed", "fri"], "08:30", "16:00"))
    assert reply.status == 200 and "errors" not in reply.json
    assert saved_hours(deps, "UALICE") == "mon,wed,fri 08:30-16:00"

    view = last_home(slack)  # republished after the save
    assert "*Your working hours:* Mon, Wed, Fri, 08:30–16:00 (Europe/Berlin) — peerlearn proposes" in view
    assert "the default" not in view.split("Your working hours")[1].split("peerlearn proposes")[0]
    assert "Back to the default (Mon–Fri, 09:00–17:00)" in view

    modal = fields_of(opened_modal(slack, "UALICE"))
    assert [o["value"] for o in modal["days"]["initial_options"]] == ["mon", "wed", "fri"]
    assert (modal["start"]["initial_time"], modal["end"]["initial_time"]) == ("08:30", "16:00")


def test_a_week_that_wraps_through_the_weekend(slack: SlackDriver, deps: Deps) -> None:
    submit_hours(slack, "UBOB", hours_form(["sun", "mon", "tue", "wed", "thu"], "08:00", "16:00"))
    assert saved_hours(deps, "UBOB") == "sun-thu 08:00-16:00"
    assert "Sun–Thu, 08:00–16:00 (America/New_York)" in home_of(slack, "UBOB")


def test_end_before_start_is_refused_beside_the_end_and_nothing_is_saved(slack: SlackDriver, deps: Deps) -> None:
    home_of(slack, "UALICE")
    published = len(slack.fake.calls_to("views.publish"))
    for start, end in (("17:00", "09:00"), ("10:00", "10:00")):
        reply = submit_hours(slack, "UALICE", hours_form(["mon"], start, end))
        assert reply.json["response_action"] == "errors"
        assert reply.json["errors"] == {"end": "The end must be after the start."}
    assert saved_hours(deps, "UALICE") is None
    assert len(slack.fake.calls_to("views.publish")) == published  # the Home did not change


def test_no_day_is_refused_beside_the_days_and_the_old_hours_stay(slack: SlackDriver, deps: Deps) -> None:
    submit_hours(slack, "UALICE", hours_form(["tue", "thu"], "10:00", "14:00"))
    reply = submit_hours(slack, "UALICE", hours_form([], "09:00", "17:00"))
    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"] == {"days": "Choose at least one day."}
    missing = submit_hours(slack, "UALICE", hours_form([], None, None))
    assert set(missing.json["errors"]) == {"days", "start", "end"}  # each beside its own field (block id)
    assert saved_hours(deps, "UALICE") == "tue,thu 10:00-14:00"


def test_back_to_the_default_in_one_click(slack: SlackDriver, deps: Deps) -> None:
    home_of(slack, "UALICE")
    submit_hours(slack, "UALICE", hours_form(["mon", "tue"], "07:00", "15:00"))
    assert saved_hours(deps, "UALICE") == "mon,tue 07:00-15:00"
    slack.click("UALICE", ids.HOME_DEFAULT_HOURS, "default", channel="D1", ts="home")
    assert saved_hours(deps, "UALICE") is None
    view = last_home(slack)
    assert DEFAULT_LINE in view and ids.HOME_DEFAULT_HOURS not in view
    # A second click, on the old Home, changes nothing.
    slack.click("UALICE", ids.HOME_DEFAULT_HOURS, "default", channel="D1", ts="home")
    assert saved_hours(deps, "UALICE") is None and DEFAULT_LINE in last_home(slack)


def test_choosing_the_default_hours_in_the_form_is_the_default(slack: SlackDriver, deps: Deps) -> None:
    home_of(slack, "UALICE")
    submit_hours(slack, "UALICE", hours_form(["sat"], "10:00", "12:00"))
    submit_hours(slack, "UALICE", hours_form(["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00"))
    assert saved_hours(deps, "UALICE") is None
    assert DEFAULT_LINE in last_home(slack)


def test_a_double_or_retried_submit_is_harmless(slack: SlackDriver, deps: Deps) -> None:
    # UCARA never opened the Home: the first submit creates her row, the second finds it.
    values = hours_form(["mon", "tue", "wed", "thu"], "10:00", "18:00")
    assert submit_hours(slack, "UCARA", values).status == 200
    assert submit_hours(slack, "UCARA", values).status == 200
    retried = {
        "type": "view_submission",
        "team": {"id": slack.team_id},
        "api_app_id": "APEERLRN",
        "user": {"id": "UCARA"},
        "view": {"id": "VMODAL", "type": "modal", "callback_id": ids.HOURS_MODAL, "state": {"values": values}},
    }
    assert slack.send(interaction_body(retried), retry=1).status == 200
    with deps.db() as session:
        rows = session.scalar(select(func.count()).select_from(Member).where(Member.user_id == "UCARA"))
    assert rows == 1
    assert saved_hours(deps, "UCARA") == "mon-thu 10:00-18:00"
    assert "Mon–Thu, 10:00–18:00 (" in last_home(slack)


def test_unreadable_saved_hours_show_the_default_rather_than_breaking_the_home(slack: SlackDriver, deps: Deps) -> None:
    home_of(slack, "UALICE")
    with deps.db.begin() as session:
        session.scalars(select(Member).where(Member.user_id == "UALICE")).one().working_hours = "whenever"
    assert DEFAULT_LINE in home_of(slack, "UALICE")
    modal = fields_of(opened_modal(slack, "UALICE"))
    assert modal["start"]["initial_time"] == "09:00"


def test_the_export_lists_each_persons_working_hours(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "python", user="UALICE")
    slack.command("/teach", "python", user="UBOB")
    slack.command("/learn", "python", user="UCARA")
    submit_hours(slack, "UALICE", hours_form(["mon", "tue", "wed"], "07:30", "15:30"))
    out = io.StringIO()
    export(deps.db, fake_slack.team_id, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {(r["kind"], r["user_id"], r["working_hours"]) for r in rows} == {
        ("teaches", "UALICE", "mon-wed 07:30-15:30"),
        ("teaches", "UBOB", "mon-fri 09:00-17:00"),  # never set: the default
        ("wants", "UCARA", "mon-fri 09:00-17:00"),
    }
    anonymous = io.StringIO()
    export(deps.db, fake_slack.team_id, anonymous, anonymous=True)
    wants = [r for r in csv.DictReader(io.StringIO(anonymous.getvalue())) if r["kind"] == "wants"]
    assert [(r["topic"], r["working_hours"], r["learners"]) for r in wants] == [("Python", "", "1")]


# -- the console trial: the same Home and modal, filled at the prompt ------------------------------------------


@pytest.fixture
def console(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    trial = Console(load_settings(), database_url=database_url)
    yield trial
    trial.close()


def typed(console: Console, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *lines: str) -> str:
    """Type these lines; indented ones answer the form's questions, as at the prompt."""
    answers = "".join(f"{line[2:]}\n" for line in lines if line.startswith("  "))
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    capsys.readouterr()
    for command in (line for line in lines if not line.startswith("  ")):
        console.handle(command)
    return capsys.readouterr().out


def pressed(screen: str, label: str) -> str:
    found = re.findall(rf"\[ (\d+): {re.escape(label)}[^\]]* \]", screen)
    assert found, f"no [{label}] button on screen:\n{screen}"
    return found[-1]


def test_the_console_changes_working_hours_through_the_modal(
    console: Console, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = typed(console, capsys, monkeypatch, "/home")
    assert "Your working hours: Mon–Fri, 09:00–17:00 (Europe/London), the default" in screen
    change = pressed(screen, "Change")
    # No day is asked again at the prompt (Slack's required field); then the end before the start is refused
    # by the app, and only the end is asked again.
    screen = typed(console, capsys, monkeypatch, change, "  none", "  mon, wed, 5", "  17:00", "  09:00", "  18:00")
    assert "[1-5]" in screen  # the days in force, as the default answer
    assert "Check at least one" in screen and "The end must be after the start." in screen
    assert "Your working hours: Mon, Wed, Fri, 17:00–18:00 (Europe/London) —" in screen
    screen = typed(console, capsys, monkeypatch, pressed(screen, "Back to the default"))
    assert "Mon–Fri, 09:00–17:00 (Europe/London), the default" in screen


def test_a_restarted_console_still_opens_the_home(
    console: Console, database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Your working hours" in typed(console, capsys, monkeypatch, "/home")
    again = Console(load_settings(), database_url=database_url)  # the same trial database, next time
    try:
        assert "Your working hours" in typed(again, capsys, monkeypatch, "/home")
    finally:
        again.close()
