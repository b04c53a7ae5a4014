"""A stale, garbled or forged button value (or modal metadata) never reaches its listener: the click is acked and
told it expired, and nothing in the database changes."""

from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.deps import Deps
from bot.views.common import EXPIRED, STALE, STALE_ASK
from store.models.base import Base
from tests.fakes.slack_requests import SlackDriver

# (action id, a value its codec refuses, what the clicker is told)
GARBLED = [
    (ids.ASK, "UBOB", STALE_ASK),
    (ids.LEARN_PICK, "not json", STALE),
    (ids.numbered(ids.TEACH_PICK, 1), '{"t": 3}', STALE),
    (ids.OFFER_HELP, "x", EXPIRED),
    (ids.ACCEPT, "²", EXPIRED),
    (ids.DECLINE, "", EXPIRED),
    (ids.PROPOSE, "-1", EXPIRED),
    (ids.CONFIRM_TIME, "1", EXPIRED),  # the bare legacy id is still ours
    (ids.numbered(ids.CONFIRM_TIME, 2), "1:x", EXPIRED),
    (ids.RESCHEDULE, "x", EXPIRED),
    (ids.CANCEL_SESSION, "x", EXPIRED),
    (ids.GIVE_KUDOS, "x", EXPIRED),
    (ids.MARK_DONE, "x", EXPIRED),
    (ids.LEARN_IT, " ", EXPIRED),
    (ids.TEACH_IT, "", EXPIRED),
    (ids.HOME_PAUSE, "maybe", EXPIRED),
    (ids.HOME_OPT_OUT, "sideways", EXPIRED),
    (ids.HOME_KUDOS_DM, "loud", EXPIRED),
    (ids.HOME_REMOVE_TOPIC, "", EXPIRED),
    (ids.SLOT_HOST, "x", EXPIRED),
    (ids.SLOT_NOT_NOW, "x", EXPIRED),
    (ids.SLOT_JOIN, "x", EXPIRED),
    (ids.SLOT_LEAVE, "x", EXPIRED),
]


def everything(deps: Deps) -> dict[str, list[Any]]:
    """Every row of every table."""
    with deps.db() as session:
        return {
            table.name: sorted(map(repr, session.execute(select(table)).all())) for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def before(slack: SlackDriver, deps: Deps) -> dict[str, list[Any]]:
    """A teacher, a learner with an open need: rows a click could change."""
    slack.command("/teach", "kubernetes", user="UBOB")
    slack.command("/learn", "kubernetes", user="UALICE")
    return everything(deps)


@pytest.mark.parametrize(("action_id", "value", "told"), GARBLED, ids=[f"{a}={v!r}" for a, v, _ in GARBLED])
def test_a_garbled_click_is_told_it_expired_and_changes_nothing(
    slack: SlackDriver, deps: Deps, before: dict[str, list[Any]], action_id: str, value: str, told: str
) -> None:
    replies = len(slack.fake.calls_to("response_url"))
    assert slack.click("UALICE", action_id, value).status == 200
    said = slack.fake.calls_to("response_url")[replies:]
    assert [(c.args["text"], c.args["response_type"]) for c in said] == [(told, "ephemeral")]
    assert everything(deps) == before
    assert slack.fake.calls_to("views.open") == [] and slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("callback_id", [ids.PROPOSE_MODAL, ids.CANCEL_MODAL, ids.SLOT_MODAL])
@pytest.mark.parametrize("metadata", ["", "garbage|x,,-1"])
def test_a_modal_with_garbled_metadata_closes_and_changes_nothing(
    slack: SlackDriver, deps: Deps, before: dict[str, list[Any]], callback_id: str, metadata: str
) -> None:
    reply = slack.submit("UALICE", callback_id, metadata, {})
    assert reply.status == 200 and not reply.body  # a plain ack: the modal closes
    assert everything(deps) == before
