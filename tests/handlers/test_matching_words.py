"""How people ask, through signed requests: phrasings, swapped letters, alias typos, "did you mean", one name and
one need per topic, on SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import func, select

from bot import ids
from bot.deps import Deps
from store.models import Member, Need, Offer, Topic, TopicAlias
from tests.fakes.slack_requests import SlackDriver
from tests.handlers.test_matching_flow import buttons

pytestmark = pytest.mark.usefixtures("slack")


def rows(deps: Deps, model: type) -> int:
    with deps.db() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def teach_the_trial_topics(slack: SlackDriver) -> None:
    for user, topic in [("UPRIYA", "Kubernetes"), ("UMARCO", "python"), ("ULENA", "docker"), ("UAIKO", "terraform")]:
        slack.command("/teach", topic, user=user)
    slack.command("/teach", "Excel", user="USAM")
    slack.command("/teach", "PostgreSQL", user="UCARA")
    slack.command("/teach", "go", user="UJIN")


@pytest.mark.parametrize(
    ("ask", "teacher"),
    [
        ("intro to kubernetes", "UPRIYA"),
        ("kubernetes basics", "UPRIYA"),
        ("learn python", "UMARCO"),
        ("python programming", "UMARCO"),
        ("how to use docker", "ULENA"),
        ("terraform for beginners", "UAIKO"),
        ("excel pivot tables", "USAM"),
        ("pyhton", "UMARCO"),
        ("kuberentes", "UPRIYA"),  # two letters swapped
        ("postgress", "UCARA"),  # a typo of an alias ("postgres")
        ("golnag", "UJIN"),  # two letters swapped in an alias ("golang")
    ],
)
def test_every_way_of_asking_finds_its_teacher(slack: SlackDriver, deps: Deps, ask: str, teacher: str) -> None:
    teach_the_trial_topics(slack)
    reply = slack.command("/learn", ask, user="UBOB")
    assert f"<@{teacher}>" in reply.text and "Nobody teaches" not in reply.text
    assert f"From “{ask}” I understood" in reply.text  # it says what it understood
    with deps.db() as session:
        assert session.scalars(select(Need.raw_text)).all() == [ask]  # the person's words stay with the need


def test_one_name_and_one_need_per_topic(slack: SlackDriver, deps: Deps) -> None:
    taught = slack.command("/teach", "js, K8S", user="UALICE")
    assert "You teach *JavaScript*, *Kubernetes*" in taught.text
    assert "“js” as *JavaScript*" in taught.text  # what it understood
    for ask in ("kubernetes", "kubernets", "Kubernetes for beginners", "k8s"):
        reply = slack.command("/learn", ask, user="UBOB")
        assert "teach you *Kubernetes*" in reply.text
    with deps.db() as session:
        assert session.scalar(select(func.count()).select_from(Need)) == 1
        assert sorted(session.scalars(select(Topic.label))) == ["JavaScript", "Kubernetes"]


def test_dockerfile_is_not_docker_and_its_typo_finds_it(slack: SlackDriver) -> None:
    slack.command("/teach", "docker", user="ULENA")
    slack.command("/teach", "dockerfile", user="UPRIYA")
    reply = slack.command("/learn", "Dockefile", user="UBOB")
    assert "<@UPRIYA>" in reply.text and "<@ULENA>" not in reply.text


def test_did_you_mean_saves_nothing_until_a_click_that_teaches_the_clicker_then_the_workspace(
    slack: SlackDriver, deps: Deps
) -> None:
    slack.command("/teach", "qmake", user="UALICE")
    slack.command("/teach", "quake", user="UCARA")
    reply = slack.command("/learn", "qake", user="UBOB")
    assert "Did you mean" in reply.text and "*QMake*" in reply.text and "*Quake*" in reply.text
    assert rows(deps, Need) == 0
    picks = buttons(reply.json["blocks"])[ids.LEARN_PICK]
    quake = next(value for value in picks if json.loads(value)["t"] == "quake")
    clicked = slack.click("UBOB", ids.LEARN_PICK, quake)
    assert clicked.status == 200
    shown = slack.fake.calls_to("response_url")[-1].args
    assert shown["replace_original"] is True and "<@UCARA>" in json.dumps(shown["blocks"])
    slack.click("UBOB", ids.LEARN_PICK, quake)  # a second click changes nothing
    with deps.db() as session:
        assert session.scalars(select(Need.raw_text)).all() == ["qake"]
        assert session.scalars(select(TopicAlias.alias)).all() == []
    # Bob's click taught Bob at once; one person's click is not yet what the workspace means by it.
    assert "<@UCARA>" in slack.command("/learn", "qake", user="UBOB").text
    again = slack.command("/learn", "qake", user="UDAN")
    assert "Did you mean" in again.text
    slack.click("UDAN", ids.LEARN_PICK, next(v for v in buttons(again.json["blocks"])[ids.LEARN_PICK] if "quake" in v))
    # Two people chose the same and nobody otherwise: the next colleague goes straight to the teacher.
    with deps.db() as session:
        assert session.scalars(select(TopicAlias.alias)).all() == ["qake"]
    assert "<@UCARA>" in slack.command("/learn", "qake", user="UEVE").text
    # /teach never takes a learned alias silently: "qake" stays the teacher's own words.
    assert "You teach *qake*" in slack.command("/teach", "qake", user="UFAY").text


def test_none_of_these_keeps_the_words_as_their_own_topic(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "qmake", user="UALICE")
    slack.command("/teach", "quake", user="UCARA")
    reply = slack.command("/learn", "qake", user="UBOB")
    own = next(v for v in buttons(reply.json["blocks"])[ids.LEARN_PICK] if json.loads(v)["t"] == "")
    slack.click("UBOB", ids.LEARN_PICK, own)
    assert "Nobody teaches *qake* yet" in json.dumps(slack.fake.calls_to("response_url")[-1].args)
    with deps.db() as session:
        assert session.scalars(select(TopicAlias)).all() == []
        assert session.scalars(select(Topic.label).join(Need, Need.topic_id == Topic.id)).all() == ["qake"]


def test_nobody_yet_offers_related_topics_taught_here(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "kubernetes", user="UPRIYA")
    reply = slack.command("/learn", "helm charts for beginners", user="UBOB")
    assert "Nobody teaches *Helm* yet" in reply.text and "related topics" in reply.text
    related = buttons(reply.json["blocks"])[ids.LEARN_PICK]
    assert [json.loads(value)["t"] for value in related] == ["kubernetes"]
    slack.click("UBOB", ids.LEARN_PICK, related[0])
    assert "<@UPRIYA>" in json.dumps(slack.fake.calls_to("response_url")[-1].args)
    assert rows(deps, Need) == 2  # Helm, still wanted, and Kubernetes
    assert rows(deps, TopicAlias) == 0  # a related topic is not another name


def test_teach_saves_at_once_and_a_did_you_mean_click_moves_the_offer(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "terraform", user="UALICE")
    reply = slack.command("/teach", "rust, terraf level: expert -- weekends", user="UBOB")
    # Saved as typed at once; the start of a known name is offered afterwards, never a gate.
    assert "You teach *Rust*, *terraf*" in reply.text and "did you mean *Terraform*" in reply.text
    assert rows(deps, Offer) == 3
    picks = buttons(reply.json["blocks"])[ids.TEACH_PICK]
    slack.click("UBOB", ids.TEACH_PICK, next(v for v in picks if json.loads(v)["t"] == "terraform"))
    assert "You teach *Terraform*" in json.dumps(slack.fake.calls_to("response_url")[-1].args)
    with deps.db() as session:
        mine = session.scalars(select(Offer).join(Member).where(Member.user_id == "UBOB")).all()
        assert sorted((o.topic.label, o.level and o.level.value) for o in mine) == [
            ("Rust", "expert"),
            ("Terraform", "expert"),
        ]


def test_a_did_you_mean_click_carries_the_note_typed_with_that_topic_only(slack: SlackDriver, deps: Deps) -> None:
    for text, notes in (
        ("terraf, rust -- weekends", [("Rust", "weekends"), ("Terraform", None)]),
        ("rust, terrafo -- modules", [("Rust", "weekends"), ("Terraform", "modules")]),
    ):
        reply = slack.command("/teach", text, user="UBOB")
        picks = buttons(reply.json["blocks"])[ids.TEACH_PICK]
        slack.click("UBOB", ids.TEACH_PICK, next(v for v in picks if json.loads(v)["t"] == "terraform"))
        with deps.db() as session:
            mine = session.scalars(select(Offer).join(Member).where(Member.user_id == "UBOB")).all()
            assert sorted((o.topic.label, o.note) for o in mine) == notes


@pytest.mark.parametrize("topic", ["Bookbinding", "Kitesurfing", "Adagio", "Architecture", "Bell", "Bass"])
def test_teach_saves_an_everyday_topic_under_the_teachers_words(slack: SlackDriver, deps: Deps, topic: str) -> None:
    reply = slack.command("/teach", topic, user="UBOB")
    assert f"You teach *{topic}*" in reply.text and "did you mean" not in reply.text.casefold()
    with deps.db() as session:
        assert session.scalars(select(Topic.label)).all() == [topic]
    found = slack.command("/learn", f"learn {topic.lower()}", user="UCARA")
    assert "<@UBOB>" in found.text


def test_a_taught_topic_is_found_by_a_typo_a_word_form_and_another_spelling(slack: SlackDriver) -> None:
    for user, topic in (("UBOB", "Bookbinding"), ("UDAN", "dance"), ("UEVE", "Apache CouchDB"), ("UFAY", "Babel")):
        slack.command("/teach", topic, user=user)
    for ask, teacher in (
        ("bookbindng", "UBOB"),
        ("dancing", "UDAN"),
        ("couchdb", "UEVE"),
        ("babeljs", "UFAY"),
    ):
        reply = slack.command("/learn", ask, user="UCARA")
        assert f"<@{teacher}>" in reply.text, ask


def test_three_learners_of_a_topic_taught_here_make_a_group_slot_possible(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "Sashiko stitching", user="UBOB")
    for learner in ("UCARA", "UDAN", "UEVE"):
        reply = slack.command("/learn", "sashiko stitching", user=learner)
        assert "<@UBOB>" in reply.text
    with deps.db() as session:
        needs = session.scalars(select(Need).join(Topic)).all()
        assert len(needs) == 3 and {n.topic.label for n in needs} == {"Sashiko stitching"}


@pytest.mark.parametrize("ask", ["basics", "intro to", "for beginners"])
def test_only_asking_words_get_the_usage_and_save_nothing(slack: SlackDriver, deps: Deps, ask: str) -> None:
    reply = slack.command("/learn", ask, user="UBOB")
    assert reply.json["response_type"] == "ephemeral"
    assert "/learn TOPIC" in reply.text and "Name a topic" in reply.text
    assert rows(deps, Need) == 0 and rows(deps, Topic) == 0


def test_a_stale_or_forged_pick_changes_nothing(slack: SlackDriver, deps: Deps) -> None:
    assert slack.click("UBOB", ids.LEARN_PICK, "not json").status == 200
    assert slack.click("UBOB", ids.TEACH_PICK, json.dumps({"t": 3})).status == 200
    assert "expired" in slack.fake.calls_to("response_url")[-1].args["text"]
    assert rows(deps, Need) == 0 and rows(deps, Offer) == 0


def test_every_topic_of_a_many_topic_ask_is_named_in_any_order(slack: SlackDriver) -> None:
    slack.command("/teach", "python", user="UBOB")
    slack.command("/teach", "kubernetes, helm", user="UDAN")
    reply = slack.command("/learn", "data analysis with python", user="UCARA")
    assert "<@UBOB>" in reply.text  # the topic taught here is shown, whichever comes first
    reply = slack.command("/learn", "kubernetes and docker and helm", user="UCARA")
    assert "<@UDAN>" in reply.text
    assert "You also mentioned *Docker* and *Helm*: ask for them with `/learn Docker` or `/learn Helm`." in reply.text
    reply = slack.command("/learn", "writing sql queries", user="UEVE")
    assert "Writing" not in reply.text  # a verb, not the topic


def test_a_languages_names_in_other_languages_and_scripts_are_one_topic(slack: SlackDriver, deps: Deps) -> None:
    reply = slack.command("/teach", "日本語", user="UAIKO")
    assert "You teach *Japanese*" in reply.text
    for ask in ("japanese", "nihongo", "learn 日本語", "japonés"):
        assert "<@UAIKO>" in slack.command("/learn", ask, user="UCARA").text, ask
    with deps.db() as session:
        assert session.scalars(select(Topic.label)).all() == ["Japanese"]


def test_related_topics_come_from_evidence_not_popularity(slack: SlackDriver) -> None:
    for user in ("UBOB", "UDAN", "UEVE"):
        slack.command("/teach", "terraform, react", user=user)
    for ask in ("git rebase", ".net", "excel"):
        reply = slack.command("/learn", ask, user="UCARA")
        assert "Terraform" not in reply.text and "React" not in reply.text, ask


def test_tools_are_found_by_the_names_they_are_run_together_with(slack: SlackDriver) -> None:
    taught = {"UBOB": "cosmosdb", "UDAN": "poetry", "UEVE": "Typescript Remote Procedure Call", "UFAY": "gohugo"}
    for user, topic in taught.items():
        slack.command("/teach", topic, user=user)
    for ask, teacher in (
        ("azurecosmosdb", "UBOB"),  # a known name run together with the one taught here
        ("python-poetry", "UDAN"),  # a hyphen after a known name is no part of one word
        ("trpc", "UEVE"),  # the initials of a workspace's own name
        ("hugo", "UFAY"),  # the taught name without the known name it was run together with
    ):
        assert f"<@{teacher}>" in slack.command("/learn", ask, user="UCARA").text, ask


def test_a_teachers_own_words_for_a_known_topic_become_one_of_its_names(slack: SlackDriver, deps: Deps) -> None:
    assert "You teach *Presentation skills*" in slack.command("/teach", "presentations", user="UBOB").text
    with deps.db() as session:
        assert session.scalars(select(TopicAlias.alias)).all() == ["presentations"]
    assert "<@UBOB>" in slack.command("/learn", "presentatons", user="UCARA").text  # a typo of the words typed


def test_a_word_form_of_a_name_nobody_teaches_counts_only_as_the_whole_ask(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/teach", "negotiating", user="UBOB")  # the whole ask: Negotiation, under its one name
    with deps.db() as session:
        assert session.scalars(select(Topic.label)).all() == ["Negotiation"]
    reply = slack.command("/learn", "how do we deploy to production", user="UCARA")
    assert "Productivity" not in reply.text  # "production" and "productivity" share a stem, not a meaning


def test_did_you_mean_offers_the_workspaces_topics_first(slack: SlackDriver) -> None:
    slack.command("/teach", "Double bass", user="UBOB")
    slack.command("/teach", "Apache Maven", user="UDAN")
    reply = slack.command("/learn", "bass", user="UCARA")
    assert "*Double bass*" in reply.text and "Sass" not in reply.text and "JASS" not in reply.text
    assert "<@UDAN>" in slack.command("/learn", "mvn", user="UCARA").text  # the consonants of "maven"


def test_chinese_in_its_own_script_is_mandarin_chinese(slack: SlackDriver) -> None:
    assert "You teach *Mandarin Chinese*" in slack.command("/teach", "中文", user="UMEI").text
    for ask in ("chinese", "mandarin", "普通话", "Chinesisch"):
        assert "<@UMEI>" in slack.command("/learn", ask, user="UCARA").text, ask


def test_mentoring_is_a_skill_not_a_way_of_asking(slack: SlackDriver, deps: Deps) -> None:
    reply = slack.command("/learn", "mentoring juniors", user="UCARA")
    assert "*mentoring juniors*" in reply.text and "*juniors*" not in reply.text
    with deps.db() as session:
        assert session.scalars(select(Topic.label)).all() == ["mentoring juniors"]
