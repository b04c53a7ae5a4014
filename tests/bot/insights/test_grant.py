"""Granting the dashboard: a workspace admin chooses dashboard admins in App Home's settings modal (a users
multi-select), a dashboard admin may change them too, the 403 page names them, and one removed is out at once.
Through the real Bolt app and Sign in with Slack."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from werkzeug.test import Client

from bot import ids
from bot.deps import Deps
from store.models import InsightsAdmin
from tests.bot.insights.dashboard import dashboard, sign_in
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_workspace_settings import form, home_of

__all__ = ["dashboard"]


def chosen(*users: str) -> dict[str, Any]:
    return {"dashboard_admins": {"value": {"type": "multi_users_select", "selected_users": list(users)}}}


def granted(deps: Deps) -> list[str]:
    with deps.db() as session:
        return list(session.scalars(select(InsightsAdmin.user_id).order_by(InsightsAdmin.user_id)))


def opened_modal(slack: SlackDriver, user: str) -> dict[str, Any]:
    slack.click(user, ids.HOME_EDIT_SETTINGS, "dashboard")
    view: dict[str, Any] = slack.fake.calls_to("views.open")[-1].args["view"]
    return view


def test_an_admin_grants_and_removes_dashboard_admins_from_the_settings_modal(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, dashboard: Client
) -> None:
    fake_slack.add_user("UCARA", "Cara")
    fake_slack.add_user("UDAN", "Dan")
    assert "Dashboard admins, beside the workspace's admins: nobody yet" in home_of(slack, "UADMIN")
    assert "Dashboard admins" not in home_of(slack, "UBOB")
    refused = sign_in(dashboard, fake_slack, "UBOB")
    assert refused.status_code == 403 and "Ada Admin" in refused.get_data(as_text=True)

    view = opened_modal(slack, "UADMIN")
    [field] = [b for b in view["blocks"] if b.get("block_id") == "dashboard_admins"]
    assert field["element"]["type"] == "multi_users_select" and "initial_users" not in field["element"]
    for _ in range(2):  # saved twice (a retried submit): the same one row
        assert slack.submit("UADMIN", ids.SETTINGS_MODAL, "", form() | chosen("UBOB")).status == 200
    assert granted(deps) == ["UBOB"]
    assert "Dashboard admins, beside the workspace's admins: <@UBOB>" in home_of(slack, "UADMIN")
    assert "Fri 16:30 (Europe/Berlin)" in home_of(slack, "UADMIN")  # the other settings were saved with them

    # Bob is in; his Home shows the insights and who may open them, and he may choose them too, but nothing else.
    assert sign_in(dashboard, fake_slack, "UBOB").status_code == 302
    assert dashboard.get("/insights").status_code == 200
    bob_home = home_of(slack, "UBOB")
    assert "Learning insights" in bob_home and "Workspace settings" not in bob_home
    view = opened_modal(slack, "UBOB")
    assert [b["block_id"] for b in view["blocks"]] == ["dashboard_admins"]
    assert view["blocks"][0]["element"]["initial_users"] == ["UBOB"]
    assert slack.submit("UBOB", ids.SETTINGS_MODAL, "", chosen("UBOB", "UCARA")).status == 200
    assert granted(deps) == ["UBOB", "UCARA"]
    refused = sign_in(Client(dashboard.application), fake_slack, "UDAN")
    assert refused.status_code == 403
    assert all(name in refused.get_data(as_text=True) for name in ("Ada Admin", "Bob"))

    # Someone who is neither may not; a removed dashboard admin is signed out at his next page.
    answer = slack.submit("UDAN", ids.SETTINGS_MODAL, "", chosen("UDAN"))
    assert answer.json["response_action"] == "errors" and "dashboard_admins" in answer.json["errors"]
    assert slack.submit("UADMIN", ids.SETTINGS_MODAL, "", form() | chosen("UCARA")).status == 200
    assert granted(deps) == ["UCARA"]
    assert dashboard.get("/insights").status_code == 302
    assert "Learning insights" not in home_of(slack, "UBOB")
    assert slack.submit("UADMIN", ids.SETTINGS_MODAL, "", form() | chosen()).status == 200  # nobody, then
    assert granted(deps) == []
    assert "nobody yet" in json.dumps(home_of(slack, "UADMIN"))
