"""Offering to teach as a plain service on a real database: where each topic is saved, "did you mean…?", remove,
pause and resume, notes, and the waiting learners a teacher sees and tells."""

import pytest
from sqlalchemy import Engine, select

from bot.domain import Level
from bot.grammar import Teach
from bot.services import asks, teaching
from bot.services.experts import Choice
from bot.services.learning import AS_TYPED, Changed, NotATopic
from bot.services.teaching import MAX_NOTICES, NewTeacher, OfferCard, Paused, TeachResult, Uncertain
from store.models import Member, Need, Offer, Topic, TopicAlias
from tests import factories
from tests.bot.services.world import World


@pytest.fixture
def world(engine: Engine) -> World:
    return World(engine)


def teach_result(
    world: World,
    user: str,
    *topics: str,
    level: Level | None = None,
    note: str | None = None,
    noted: str | None = None,
    choice: str | None = None,
) -> TeachResult | NotATopic:
    command = Teach(topics, level, note, noted)
    return world.run(lambda r: teaching.offer_topics(world.scope(r, user), command=command, choice=choice))


def teach(
    world: World,
    user: str,
    *topics: str,
    level: Level | None = None,
    note: str | None = None,
    noted: str | None = None,
    choice: str | None = None,
) -> TeachResult:
    result = teach_result(world, user, *topics, level=level, note=note, noted=noted, choice=choice)
    assert isinstance(result, TeachResult), result
    return result


def remove(world: World, user: str, *topics: str) -> Changed:
    return world.run(lambda r: teaching.remove_topics(world.scope(r, user), topics=topics))


def pause(world: World, user: str, paused: bool) -> Paused:
    return world.run(lambda r: teaching.set_paused(world.scope(r, user), paused=paused))


def offers(world: World, user: str) -> list[tuple[str, Level | None, str | None]]:
    """(topic label, level, note) of what `user` teaches, as saved."""
    with world.db() as db:
        rows = db.execute(
            select(Topic.label, Offer.level, Offer.note)
            .join(Offer, Offer.topic_id == Topic.id)
            .join(Member, Member.id == Offer.member_id)
            .where(Member.user_id == user, Offer.active)
            .order_by(Topic.label)
        ).all()
    return [(label, level, note) for label, level, note in rows]


def aliases(world: World) -> list[tuple[str, str]]:
    with world.db() as db:
        rows = db.execute(select(TopicAlias.alias, Topic.label).join(Topic, Topic.id == TopicAlias.topic_id)).all()
    return sorted((alias, label) for alias, label in rows)


def test_a_sure_match_is_saved_under_the_known_topic_and_the_teachers_words_become_its_name(world: World) -> None:
    result = teach(world, "UALICE", "kubernetes", "presentations")
    assert result.saved == ["Kubernetes", "Presentation skills"]
    assert result.understood == [("presentations", "Presentation skills")]  # "kubernetes" is its name: no news
    assert result.uncertain == [] and result.waiting == [] and result.notify == []
    assert not result.paused and not result.opted_out
    assert offers(world, "UALICE") == [("Kubernetes", None, None), ("Presentation skills", None, None)]
    assert aliases(world) == [("presentations", "Presentation skills")]
    assert teach(world, "UBOB", "K8S").understood == [("K8S", "Kubernetes")]
    assert aliases(world) == [("k8s", "Kubernetes"), ("presentations", "Presentation skills")]  # every way typed


def test_an_uncertain_item_is_saved_as_typed_and_did_you_mean_offers_the_known_topic(world: World) -> None:
    teach(world, "UALICE", "terraform")
    result = teach(world, "UBOB", "rust", "terraf", level=Level.EXPERT, note="weekends", noted="terraf")
    assert result.saved == ["Rust", "terraf"]  # saved at once, never held back by the question
    assert result.uncertain == [Uncertain("terraf", [Choice("terraform", "Terraform", 1)], "terraf", "weekends")]
    assert result.level is Level.EXPERT and result.understood == []
    assert offers(world, "UBOB") == [("Rust", Level.EXPERT, None), ("terraf", Level.EXPERT, "weekends")]
    assert aliases(world) == []  # a guess teaches the workspace nothing


def test_own_words_that_name_no_known_topic_are_a_topic_of_their_own(world: World) -> None:
    result = teach(world, "UBOB", "Bookbinding", "Bass")
    assert result.saved == ["Bookbinding", "Bass"]
    assert result.uncertain == [] and result.understood == []
    with world.db() as db:
        assert sorted(db.scalars(select(Topic.label))) == ["Bass", "Bookbinding"]


def test_an_item_with_no_topic_in_it_saves_nothing_of_the_command(world: World) -> None:
    assert teach_result(world, "UBOB", "rust", "???") == NotATopic("???")
    with world.db() as db:
        assert db.scalars(select(Offer)).all() == [] and db.scalars(select(Topic)).all() == []
        assert db.scalars(select(Member)).all() == []  # not even the caller's row


def test_picking_the_known_topic_moves_the_offer_there_with_its_level_and_note(world: World) -> None:
    teach(world, "UALICE", "terraform")
    teach(world, "UBOB", "rust", "terraf", level=Level.EXPERT, note="weekends", noted="terraf")
    picked = teach(world, "UBOB", "terraf", level=Level.EXPERT, note="weekends", choice="terraform")
    assert picked.saved == ["Terraform"] and picked.understood == [("terraf", "Terraform")]
    assert picked.uncertain == []  # answered: not asked again
    assert offers(world, "UBOB") == [("Rust", Level.EXPERT, None), ("Terraform", Level.EXPERT, "weekends")]
    assert aliases(world) == []  # one person's click never decides what a teacher's words mean
    again = teach(world, "UBOB", "terraf", level=Level.EXPERT, note="weekends", choice="terraform")  # a second click
    assert again.saved == ["Terraform"]
    assert offers(world, "UBOB") == [("Rust", Level.EXPERT, None), ("Terraform", Level.EXPERT, "weekends")]


def test_keeping_the_own_words_keeps_the_offer_and_asks_no_more(world: World) -> None:
    teach(world, "UALICE", "terraform")
    teach(world, "UBOB", "terraf")
    kept = teach(world, "UBOB", "terraf", choice=AS_TYPED)
    assert kept.saved == ["terraf"] and kept.uncertain == []
    assert offers(world, "UBOB") == [("terraf", None, None)]
    assert offers(world, "UALICE") == [("Terraform", None, None)]


def test_teaching_the_same_again_saves_one_offer_keeps_what_was_said_and_tells_nobody_twice(world: World) -> None:
    world.learn("UBOB", "python")
    first = teach(world, "UALICE", "python", level=Level.EXPERT, note="notebooks")
    assert [n.learner for n in first.notify] == ["UBOB"]
    again = teach(world, "UALICE", "python")
    assert again.saved == ["Python"] and again.notify == []  # not new: the learner was told already
    assert [w.topic for w in again.waiting] == ["Python"]  # still shown what is wanted
    assert offers(world, "UALICE") == [("Python", Level.EXPERT, "notebooks")]  # no level or note: kept
    with world.db() as db:
        assert len(db.scalars(select(Offer)).all()) == 1


def test_a_note_belongs_to_the_topic_it_was_typed_after_and_an_empty_one_clears_it(world: World) -> None:
    teach(world, "UALICE", "sql", "python", level=Level.EXPERT, note="notebooks", noted="python")
    assert offers(world, "UALICE") == [("Python", Level.EXPERT, "notebooks"), ("SQL", Level.EXPERT, None)]
    teach(world, "UALICE", "sql", "python", note="Fridays")  # a form's one note field: every topic
    assert offers(world, "UALICE") == [("Python", Level.EXPERT, "Fridays"), ("SQL", Level.EXPERT, "Fridays")]
    teach(world, "UALICE", "python", level=Level.BEGINNER, note="")
    assert offers(world, "UALICE") == [("Python", Level.BEGINNER, None), ("SQL", Level.EXPERT, "Fridays")]


def test_my_topics_lists_the_offers_in_the_order_taught_and_whether_paused(world: World) -> None:
    teach(world, "UALICE", "sql", "python", level=Level.EXPERT, note="notebooks", noted="python")
    mine = world.run(lambda r: teaching.my_topics(world.scope(r, "UALICE")))
    assert mine.offers == [OfferCard("SQL", Level.EXPERT, None), OfferCard("Python", Level.EXPERT, "notebooks")]
    assert not mine.paused
    pause(world, "UALICE", True)
    assert world.run(lambda r: teaching.my_topics(world.scope(r, "UALICE"))).paused


def test_the_waiting_learners_are_shown_by_topic_without_names_and_told_once(world: World) -> None:
    bob = world.learn("UBOB", "kubernetes")
    cara = world.learn("UCARA", "k8s")
    dan = world.learn("UDAN", "python")
    world.learn("UALICE", "kubernetes")  # the teacher's own need is no one waiting for her
    world.learn("UEVE", "python")
    world.set_member("UEVE", opted_out=True)  # nobody is matched with an opted-out member
    result = teach(world, "UALICE", "python", "kubernetes")
    assert [(w.topic, [(n.need_id, n.text) for n in w.needs]) for w in result.waiting] == [
        ("Kubernetes", [(bob.need_id, "kubernetes"), (cara.need_id, "k8s")]),  # the most wanted first
        ("Python", [(dan.need_id, "python")]),
    ]
    with world.db() as db:
        created = dict(db.execute(select(Need.id, Need.created_at)).all())
    shown = [n.since for w in result.waiting for n in w.needs]
    assert shown == [created[bob.need_id], created[cara.need_id], created[dan.need_id]]
    assert sorted(result.notify, key=lambda n: n.need_id) == [
        NewTeacher(bob.need_id, "UBOB", "Kubernetes"),
        NewTeacher(cara.need_id, "UCARA", "Kubernetes"),
        NewTeacher(dan.need_id, "UDAN", "Python"),
    ]


def test_a_learner_who_asked_this_teacher_already_is_not_told_again(world: World) -> None:
    teach(world, "UALICE", "kubernetes")
    need = world.learn("UBOB", "kubernetes")
    asked = world.run(lambda r: asks.ask(world.scope(r, "UBOB"), need_id=need.need_id, expert="UALICE"))
    assert isinstance(asked, asks.Asked)
    cara = world.learn("UCARA", "kubernetes")
    assert remove(world, "UALICE", "kubernetes").changed == ["Kubernetes"]
    back = teach(world, "UALICE", "kubernetes")
    assert back.notify == [NewTeacher(cara.need_id, "UCARA", "Kubernetes")]
    assert [len(w.needs) for w in back.waiting] == [2]  # both still want it


def test_a_paused_or_opted_out_teacher_sees_who_waits_and_tells_nobody(world: World) -> None:
    world.learn("UBOB", "rust")
    world.set_member("UALICE", paused=True)
    world.set_member("UCARA", opted_out=True)
    paused = teach(world, "UALICE", "rust")
    assert paused.paused and paused.notify == [] and [w.topic for w in paused.waiting] == ["Rust"]
    opted_out = teach(world, "UCARA", "rust")
    assert opted_out.opted_out and opted_out.notify == [] and [w.topic for w in opted_out.waiting] == ["Rust"]


def test_pause_and_resume_say_whether_they_changed_anything_and_resuming_tells_the_waiting(world: World) -> None:
    teach(world, "UALICE", "rust", "go")
    assert pause(world, "UALICE", True) == Paused(True)
    assert pause(world, "UALICE", True) == Paused(False)  # a repeat changes nothing
    bob = world.learn("UBOB", "rust")
    cara = world.learn("UCARA", "go")
    back = pause(world, "UALICE", False)
    assert back.changed
    assert sorted(back.notify, key=lambda n: n.need_id) == [
        NewTeacher(bob.need_id, "UBOB", "Rust"),
        NewTeacher(cara.need_id, "UCARA", "Go"),
    ]
    assert pause(world, "UALICE", False) == Paused(False)  # resuming twice tells nobody twice
    with world.db() as db:
        assert db.scalars(select(Member.paused).where(Member.user_id == "UALICE")).one() is False


def test_an_opted_out_teacher_coming_back_from_a_pause_tells_nobody(world: World) -> None:
    teach(world, "UALICE", "rust")
    world.learn("UBOB", "rust")
    pause(world, "UALICE", True)
    world.set_member("UALICE", opted_out=True)
    assert pause(world, "UALICE", False) == Paused(True)


def test_remove_finds_topics_however_written_and_names_the_ones_not_taught(world: World) -> None:
    teach(world, "UALICE", "sql", "python", "kubernetes", "Bookbinding")
    removed = remove(world, "UALICE", "SQL", "pyhton", "k8s", "bookbinding", "cobol")
    assert removed == Changed(["SQL", "Python", "Kubernetes", "Bookbinding"], ["cobol"])
    assert offers(world, "UALICE") == []
    assert remove(world, "UALICE", "sql") == Changed([], ["sql"])  # a repeat removes nothing and says so


def test_remove_touches_only_the_callers_offers(world: World) -> None:
    teach(world, "UALICE", "python")
    teach(world, "UBOB", "python")
    assert remove(world, "UBOB", "python").changed == ["Python"]
    assert offers(world, "UALICE") == [("Python", None, None)] and offers(world, "UBOB") == []


def test_at_most_max_notices_learners_are_told_at_once_the_oldest_first(world: World) -> None:
    def arrange(repos):
        rust = factories.topic(repos, "rust", "Rust")
        people = factories.members(repos, *[(f"U{i:03}", f"Learner {i}") for i in range(MAX_NOTICES + 5)])
        return [factories.need(repos, person, rust).id for person in people]

    needs = world.run(arrange)
    result = teach(world, "UALICE", "rust")
    assert [n.need_id for n in result.notify] == needs  # every one is new to this teacher, oldest first
    told = teaching.learners_to_tell(result.notify)
    assert [n.need_id for n in told] == needs[:MAX_NOTICES]
    assert [len(w.needs) for w in result.waiting] == [MAX_NOTICES + 5]  # the teacher still sees them all
