"""Wrong words through signed requests: slips of a subcommand are asked about, never saved or announced; every
dash separates the note, which stays with its topic; mentions, markup and HTML are set aside. SQLite and
PostgreSQL."""

from typing import Any

from sqlalchemy import func, select

from bot.deps import Deps
from store.models import Member, Need, Offer, Topic
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import Reply, SlackDriver


def dms_to(fake: FakeSlack, user: str) -> list[Any]:
    return [call for call in fake.calls_to("chat.postMessage") if call.args["channel"] == user]


def offers(deps: Deps, user: str) -> dict[str, str | None]:
    """The topics `user` teaches, by name, with their notes."""
    with deps.db() as session:
        rows = session.execute(
            select(Topic.label, Offer.note).join(Offer.topic).join(Offer.member).where(Member.user_id == user)
        )
        return dict(rows.all())  # a list of rows: a Result itself looks like a mapping to dict()


def topic_labels(deps: Deps) -> list[str]:
    with deps.db() as session:
        return sorted(session.scalars(select(Topic.label)).all())


def needs(deps: Deps) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(Need)) or 0)


def asked_about(reply: Reply, suggestion: str) -> None:
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert f"Did you mean `{suggestion}`? Nothing was saved." in reply.text


def test_a_slip_for_remove_neither_saves_nor_announces(slack: SlackDriver, deps: Deps, fake_slack: FakeSlack) -> None:
    slack.command("/learn", "python", user="UBOB")
    asked_about(slack.command("/teach", "remve python", user="UALICE"), "/teach remove python")
    asked_about(slack.command("/teach", "delete python", user="UALICE"), "/teach remove python")
    assert dms_to(fake_slack, "UBOB") == []  # Bob, waiting for Python, is told nothing
    assert offers(deps, "UALICE") == {}


def test_unpause_and_stop_are_asked_about_and_make_no_topic(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "sql", user="UALICE")
    asked_about(slack.command("/teach", "stop", user="UALICE"), "/teach pause")
    asked_about(slack.command("/teach", "unpause", user="UALICE"), "/teach resume")
    stop = slack.command("/teach", "stop", user="UALICE")
    assert "STON" not in stop.text
    assert topic_labels(deps) == ["SQL"]  # no topic "unpause", no "Stop"
    with deps.db() as session:
        assert session.scalars(select(Member.paused).where(Member.user_id == "UALICE")).one() is False
    # What they meant, said as they meant it, works; and a topic that only starts like one is a topic.
    assert "Paused" in slack.command("/teach", "pause", user="UALICE").text
    assert "You teach *stop motion*" in slack.command("/teach", "stop motion", user="UALICE").text


def test_a_slip_for_done_keeps_the_need_and_saves_none(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/learn", "python", user="UBOB")
    asked_about(slack.command("/learn", "don python", user="UBOB"), "/learn done python")
    assert needs(deps) == 1
    assert "Marked *Python* as done" in slack.command("/learn", "done python", user="UBOB").text
    alone = slack.command("/learn", "don", user="UCARA")  # alone, it is read as a topic of its own name
    assert "/learn done" not in alone.text


def test_every_dash_separates_the_note(slack: SlackDriver, deps: Deps) -> None:
    assert "You teach *Kotlin*" in slack.command("/teach", "kotlin — mobile apps", user="UALICE").text
    taught = slack.command("/teach", "swift –– ios", user="UALICE")
    assert "You teach *Swift*" in taught.text and "iOS" not in taught.text
    slack.command("/teach", "ci-cd - pipelines", user="UALICE")
    assert offers(deps, "UALICE") == {"Kotlin": "mobile apps", "Swift": "ios", "CI/CD": "pipelines"}


def test_a_note_stays_with_its_topic_and_a_bare_dash_clears_it(slack: SlackDriver, deps: Deps) -> None:
    taught = "postgresql, sql, kubernetes level: intermediate -- I run the cluster upgrades"
    slack.command("/teach", taught, user="ULENA")
    slack.command("/teach", "python -- notebooks", user="ULENA")
    slack.command("/teach", "sql", user="ULENA")  # a repeated /teach without a note keeps none, changes none
    assert offers(deps, "ULENA") == {
        "PostgreSQL": None,
        "SQL": None,
        "Kubernetes": "I run the cluster upgrades",
        "Python": "notebooks",
    }
    listing = slack.command("/teach", "", user="ULENA").text
    assert listing.count("I run the cluster upgrades") == 1 and "*SQL* (intermediate)\\n" in listing
    reply = slack.command("/learn", "sql", user="UBOB").text
    assert "<@ULENA>" in reply and "cluster upgrades" not in reply and "notebooks" not in reply

    slack.command("/teach", "kubernetes --", user="ULENA")
    assert offers(deps, "ULENA")["Kubernetes"] is None
    assert offers(deps, "ULENA")["Python"] == "notebooks"


def test_a_repeated_level_is_refused_and_nothing_saved(slack: SlackDriver, deps: Deps) -> None:
    reply = slack.command("/teach", "python level: beginner level: expert", user="UALICE")
    assert reply.json["response_type"] == "ephemeral"
    assert ":warning: Give one level, like `level: expert`." in reply.text and "/teach" in reply.text
    assert offers(deps, "UALICE") == {}


def test_a_mention_is_set_aside_and_the_topic_read(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes", user="UALICE")
    for text in ("kubernetes from @priya", "kubernetes from <@UCARA>"):
        reply = slack.command("/learn", text, user="UBOB")
        assert ":warning:" not in reply.text and "<@UALICE>" in reply.text
    with deps.db() as session:
        assert [tuple(row) for row in session.execute(select(Need.raw_text, Topic.label).join(Need.topic))] == [
            ("kubernetes", "Kubernetes")
        ]
    assert "You teach *Go*" in slack.command("/teach", "go with <@UBOB>", user="UCARA").text


def test_markup_code_and_html_never_name_a_topic(slack: SlackDriver, deps: Deps) -> None:
    code = "```def foo(): return 1```"  # a fenced block is code, whole: no topic "def foo return 1"
    for text in ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "*`~~`*", code):
        reply = slack.command("/learn", text, user="UBOB")
        assert ":warning: I couldn't find a topic in that." in reply.text and "/learn" in reply.text
    assert needs(deps) == 0 and topic_labels(deps) == []
    slack.command("/teach", "&lt;b&gt;rust&lt;/b&gt;, _terraform_ -- *mornings*", user="UALICE")
    assert offers(deps, "UALICE") == {"Rust": None, "Terraform": "*mornings*"}  # a note may be in mrkdwn
    slack.command("/learn", "*rust* `basics`", user="UBOB")
    with deps.db() as session:
        assert session.scalars(select(Need.raw_text)).all() == ["rust basics"]
    assert topic_labels(deps) == ["Rust", "Terraform"]
