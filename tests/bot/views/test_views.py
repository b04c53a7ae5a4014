"""Views are pure functions of dataclasses: compared with golden JSON (UPDATE_GOLDEN=1 rewrites them)."""

import json
import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from bot.calendar import availability
from bot.domain import Level, MatchStatus, NeedStatus
from bot.services.asks import MatchInfo, Person
from bot.services.experts import Choice, ExpertCard
from bot.services.home import HomeData, Upcoming
from bot.services.learning import DidYouMean, LearnResult, NeedCard, NotATopic
from bot.services.meeting import Plan
from bot.services.teaching import MyTopics, NewTeacher, OfferCard, TeachResult, Uncertain, Waiting, WaitingNeed
from bot.services.workspace import WorkspaceSettings
from bot.views import asks, learning, meeting, teaching
from bot.views.home import add_topics_modal, home_view, settings_modal

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ALICE = Person("UALICE", "Alice", "Europe/Berlin")
BOB = Person("UBOB", "Bob", "America/New_York")
INFO = MatchInfo(7, 3, "kubernetes", "k8s <for> *beginners*", BOB, ALICE, False, MatchStatus.PROPOSED)
ALSO = [Choice("data analysis", "Data analysis", 0)]
EXPERT = ExpertCard("UALICE", "Alice", "kubernetes", Level.EXPERT, "happy to pair on Fridays", "Europe/Berlin", 4)


def check(name: str, payload: Any) -> None:
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(rendered)
    if not path.exists():  # never written silently: a view nobody looked at is no golden view
        pytest.fail(f"golden file {path.name} is missing: look at the view, then write it with UPDATE_GOLDEN=1")
    assert rendered == path.read_text()


def test_learn_reply_with_experts() -> None:
    check("learn_reply", learning.learn_reply(LearnResult(3, "kubernetes", True, [EXPERT], NOW)))


def test_learn_reply_nobody_yet() -> None:
    check("learn_reply_nobody", learning.learn_reply(LearnResult(3, "rust", True, [], NOW)))


def test_learn_reply_says_what_it_understood_and_the_other_topics_named() -> None:
    result = LearnResult(3, "Kubernetes", True, [EXPERT], NOW, "intro to k8s for data analysis", ALSO)
    check("learn_reply_understood", learning.learn_reply(result))


def test_learn_reply_nobody_yet_with_related_topics() -> None:
    related = [Choice("kubernetes", "Kubernetes", 2), Choice("docker", "Docker", 1)]
    check("learn_reply_related", learning.learn_reply(LearnResult(3, "Helm", True, [], NOW, related=related)))


def test_did_you_mean() -> None:
    choices = [Choice("terraform", "Terraform", 2), Choice("hcl", "HCL", 0)]
    check("did_you_mean", learning.learn_reply(DidYouMean("terafrom modules", choices, "terafrom modules")))


def test_only_asking_words() -> None:
    check("learn_not_a_topic", learning.learn_reply(NotATopic("intro to")))


def test_teach_reply_with_waiting_needs() -> None:
    waiting = [Waiting("rust", [WaitingNeed(5, "rust for CLI tools", NOW), WaitingNeed(6, "rust", NOW)])]
    check("teach_reply", teaching.teach_reply(TeachResult(["rust", "go"], waiting, paused=False)))


def test_teach_reply_understood_and_unsure() -> None:
    unsure = [Uncertain("terafrom", [Choice("terraform", "Terraform", 2), Choice("hcl", "HCL", 0)], "terafrom")]
    result = TeachResult(["JavaScript"], [], False, understood=[("js", "JavaScript")], uncertain=unsure)
    check("teach_reply_unsure", teaching.teach_reply(result))


def test_lists_and_home() -> None:
    topics = MyTopics([OfferCard("python", Level.EXPERT, "notebooks"), OfferCard("sql", None, None)], paused=True)
    needs = [NeedCard("rust", NeedStatus.OPEN, NOW)]
    check("teach_list", teaching.topics_list(topics))
    check("learn_list", learning.needs_list(needs))
    data = HomeData(
        topics=topics,
        needs=needs,
        upcoming=[Upcoming("kubernetes", datetime(2026, 11, 24, 9, 0, tzinfo=UTC), 45, hosting=False)],
        kudos_month=2,
        kudos_total=9,
        most_taught=[("python", 12), ("sql", 7)],
        most_wanted=[("rust", 4)],
        opted_out=False,
        tz="Europe/Berlin",
        now=NOW,
    )
    check("home", home_view(data).to_dict())
    check("home_add_topics_modal", add_topics_modal().to_dict())
    chosen = WorkspaceSettings("CLEARN", 0, time(9, 0), "Europe/Berlin", ("mortar_board",), 5, 3)
    check("home_admin", home_view(data, chosen).to_dict())
    check("settings_modal", settings_modal(chosen).to_dict())


def test_flow_messages() -> None:
    check("ask_dm", asks.ask_dm(INFO))
    check("offer_dm", asks.offer_dm(MatchInfo(7, 3, "rust", "rust", BOB, ALICE, True, MatchStatus.PROPOSED)))
    check("decided_accepted", asks.decided(INFO, accepted=True))
    check("declined_to_learner", asks.declined_to_learner(INFO, [EXPERT], NOW))
    check("new_teacher", asks.new_teacher(NewTeacher(3, "UBOB", "kubernetes"), "UALICE"))


def test_intro_shows_each_persons_time() -> None:
    check("intro", asks.intro(INFO, datetime(2026, 11, 24, 9, 0, tzinfo=UTC), 45, "UTC"))
    check("intro_just_chat", asks.intro(INFO, None, None, "UTC"))


def test_pick_modal_offers_free_times_in_both_zones() -> None:
    berlin, new_york = availability.Person("Europe/Berlin"), availability.Person("America/New_York")
    plan = Plan(INFO, ALICE.user_id, berlin, new_york, "UBOB")
    slots = [datetime(2026, 11, 24, 14, 0, tzinfo=UTC), datetime(2026, 11, 24, 15, 0, tzinfo=UTC)]
    found = availability.Proposal(slots, overlap=True)
    check("pick_modal", meeting.pick_modal(plan, found, "Europe/Berlin", date(2026, 11, 23), dnd_known=False).to_dict())
    apart = meeting.pick_modal(
        plan, availability.Proposal([], overlap=False), "Europe/Berlin", date(2026, 11, 23), dnd_known=True
    )
    assert "No free time in the next two weeks" in json.dumps(apart.to_dict())


def test_user_text_is_escaped_and_clipped() -> None:
    long_note = "<!channel> " + "x" * 5000
    card = ExpertCard("UALICE", "Alice", "<b>sql</b>", None, long_note, None, 0)
    payload = learning.learn_reply(LearnResult(3, "<b>sql</b>", True, [card], NOW))
    text = json.dumps(payload)
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section")


def test_two_buttons_never_mean_the_same_topic() -> None:
    choices = [Choice("design", "Design", 1), Choice("design doc", "Design docs", 2)]
    labels = [
        b["text"]["text"]
        for b in learning.did_you_mean(DidYouMean("design", choices, "design"))["blocks"][1]["elements"]
    ]
    assert labels == ["Design", "Design docs"]  # no "keep “design”" beside the topic of that very name
    other = learning.did_you_mean(DidYouMean("desgn", choices, "desgn"))["blocks"][1]["elements"]
    assert [b["text"]["text"] for b in other][-1] == "No: keep “desgn”"
