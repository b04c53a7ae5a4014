"""App Home: what it shows, and every change made from it, through signed events and actions."""

import json

from sqlalchemy import func, select

from bot import ids
from bot.deps import Deps
from store.models import Base, Kudos, Member, Offer
from tests.fakes.slack_requests import SlackDriver


def open_home(slack: SlackDriver, user: str) -> str:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"], ensure_ascii=False)


def test_home_shows_topics_needs_kudos_and_workspace_tops(slack: SlackDriver) -> None:
    slack.command("/teach", "python level: expert", user="UALICE")
    slack.command("/teach", "python", user="UCARA")
    slack.command("/learn", "rust", user="UALICE")
    slack.command("/learn", "rust", user="UBOB")
    reaction = {
        "type": "reaction_added",
        "user": "UBOB",
        "reaction": "mortar_board",
        "item_user": "UALICE",
        "item": {"type": "message", "channel": "C1", "ts": "1.1"},
    }
    slack.event(reaction)
    view = open_home(slack, "UALICE")
    assert "*Python* (expert)" in view
    assert "*Rust* — open" in view
    assert "*1* kudos this month · *1* in total" in view
    assert "Python (2)" in view  # most taught
    assert "Rust (2)" in view  # most wanted


def test_pause_and_opt_out_from_home(slack: SlackDriver) -> None:
    slack.command("/teach", "sql", user="UALICE")
    slack.click("UALICE", ids.HOME_PAUSE, "pause")
    assert "Paused: nobody is matched" in json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"])
    assert "can't take a request right now" in slack.command("/learn", "sql", user="UBOB").text
    slack.click("UALICE", ids.HOME_PAUSE, "resume")
    assert "<@UALICE>" in slack.command("/learn", "sql", user="UCARA").text

    slack.click("UALICE", ids.HOME_OPT_OUT, "out")
    assert "You are opted out" in json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"])
    assert "Nobody teaches" in slack.command("/learn", "sql", user="UCARA").text
    slack.click("UALICE", ids.HOME_OPT_OUT, "in")
    assert "<@UALICE>" in slack.command("/learn", "sql", user="UCARA").text


def test_add_and_remove_topics_from_home(slack: SlackDriver, deps: Deps) -> None:
    slack.click("UALICE", ids.HOME_ADD_TOPICS, "add")
    assert slack.fake.calls_to("views.open")[-1].args["view"]["callback_id"] == ids.HOME_ADD_MODAL
    values = {
        "topics": {"value": {"type": "plain_text_input", "value": "go, terraform"}},
        "level": {"value": {"type": "static_select", "selected_option": {"value": "expert"}}},
        "note": {"value": {"type": "plain_text_input", "value": "ask me on Fridays"}},
    }
    assert slack.submit("UALICE", ids.HOME_ADD_MODAL, "", values).status == 200
    assert "*Terraform* (expert) — ask me on Fridays" in json.dumps(
        slack.fake.calls_to("views.publish")[-1].args, ensure_ascii=False
    )
    slack.click("UALICE", ids.HOME_REMOVE_TOPIC, "go")
    with deps.db() as session:
        assert [o.topic.name for o in session.scalars(select(Offer))] == ["terraform"]


def test_add_topics_modal_shows_bad_input_inline(slack: SlackDriver, deps: Deps) -> None:
    values = {"topics": {"value": {"type": "plain_text_input", "value": "<@UBOB>"}}}
    reply = slack.submit("UALICE", ids.HOME_ADD_MODAL, "", values)
    assert reply.json["response_action"] == "errors"
    assert "mention" in reply.json["errors"]["topics"]
    with deps.db() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 0


def test_delete_my_data_leaves_no_trace_of_the_member(slack: SlackDriver, deps: Deps, fake_slack) -> None:
    slack.command("/teach", "python", user="UALICE")
    slack.command("/learn", "rust", user="UALICE")
    slack.command("/teach", "rust", user="UBOB")
    reply = slack.command("/learn", "python", user="UBOB")
    ask = next(b["accessory"]["value"] for b in reply.json["blocks"] if b.get("accessory"))
    slack.click("UBOB", ids.ASK, ask)
    for giver, receiver, ts in (("UBOB", "UALICE", "1.1"), ("UALICE", "UBOB", "1.2")):
        slack.event(
            {
                "type": "reaction_added",
                "user": giver,
                "reaction": "mortar_board",
                "item_user": receiver,
                "item": {"type": "message", "channel": "C1", "ts": ts},
            }
        )
    with deps.db() as session:
        alice = session.scalars(select(Member).where(Member.user_id == "UALICE")).one().id

    slack.click("UALICE", ids.HOME_DELETE_DATA, "delete")
    assert "data is deleted" in json.dumps(fake_slack.calls_to("views.publish")[-1].args["view"])
    with deps.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values = row._mapping
                assert "UALICE" not in values.values(), f"{table.name} still names Alice"
                for column in ("member_id", "expert_id", "giver_id", "receiver_id", "host_id"):
                    assert values.get(column) != alice, f"{table.name}.{column} still points at Alice"
    with deps.db() as session:
        # Bob's thanks to Alice is gone; Alice's thanks to Bob still counts for Bob, unattributed.
        assert [(k.giver_id, k.message_ts) for k in session.scalars(select(Kudos))] == [(None, "1.2")]


def test_home_of_a_deactivated_user_is_quiet(slack: SlackDriver, fake_slack) -> None:
    slack.command("/teach", "python", user="UALICE")
    user = fake_slack.users["UALICE"].as_slack(fake_slack.team_id) | {"deleted": True}
    slack.event({"type": "user_change", "user": user})
    reply = slack.event({"type": "app_home_opened", "user": "UALICE", "tab": "home", "channel": "D1"})
    assert reply.status == 200
    assert fake_slack.calls_to("views.publish") == []


def test_home_offers_pause_only_to_someone_who_teaches(slack: SlackDriver) -> None:
    home = open_home(slack, "UBOB")
    assert ids.HOME_PAUSE not in home and "You can be matched" not in home  # nothing to pause
    slack.command("/teach", "sql", user="UBOB")
    assert ids.HOME_PAUSE in open_home(slack, "UBOB")
    slack.click("UBOB", ids.HOME_PAUSE, "pause")
    slack.command("/teach", "remove sql", user="UBOB")
    assert "Resume" in open_home(slack, "UBOB")  # paused, with no topic left: still a way back


def test_the_add_topics_form_saves_at_once_and_asks_did_you_mean_in_a_dm(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "terraform", user="UCARA")
    values = {
        "topics": {"value": {"type": "plain_text_input", "value": "Bookbinding, terraf"}},
        "level": {"value": {"type": "static_select", "selected_option": None}},
        "note": {"value": {"type": "plain_text_input", "value": ""}},
    }
    # No gate: an unsure topic is saved as typed, and the form closes.
    assert slack.submit("UALICE", ids.HOME_ADD_MODAL, "", values).json.get("response_action") is None
    with deps.db() as session:
        mine = session.scalars(select(Offer).join(Member).where(Member.user_id == "UALICE")).all()
        assert sorted(o.topic.label for o in mine) == ["Bookbinding", "terraf"]
    dm = slack.fake.wait_for("chat.postMessage")[-1].args
    assert dm["channel"] == "UALICE" and "did you mean *Terraform*" in json.dumps(dm, ensure_ascii=False)
