"""Offering what you can teach: each topic saved under its one name, and who is waiting for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Level
from bot.grammar import Teach
from bot.matcher import key
from bot.services.catalog import Catalog
from bot.services.experts import Choice, choices
from bot.services.learning import Changed, NotATopic
from bot.services.scope import Scope
from store.models import Member
from store.repos import Repos


@dataclass(frozen=True)
class WaitingNeed:
    need_id: int
    text: str
    since: datetime


@dataclass(frozen=True)
class Waiting:
    """Open needs on one topic, anonymous: the expert sees what is wanted, never who wants it."""

    topic: str
    needs: Sequence[WaitingNeed]


@dataclass(frozen=True)
class NewTeacher:
    """A learner to tell that someone now teaches what they wait for."""

    need_id: int
    learner: str
    topic: str


@dataclass(frozen=True)
class Uncertain:
    """A /teach item saved under the teacher's own words that a known topic may be meant by: "did you mean…?"."""

    asked: str
    choices: Sequence[Choice]
    saved_as: str  # the label it was saved under meanwhile: the teacher's own words
    note: str | None = None  # the note typed with it, which a click carries to the topic it moves to


@dataclass(frozen=True)
class TeachResult:
    saved: Sequence[str]
    waiting: Sequence[Waiting]
    paused: bool
    notify: Sequence[NewTeacher] = ()
    understood: Sequence[tuple[str, str]] = ()  # (words typed, topic saved) where they differ
    uncertain: Sequence[Uncertain] = ()
    level: Level | None = None  # kept for the "did you mean" buttons, which save the rest of the command
    opted_out: bool = False  # saved, but nobody is matched with an opted-out member


@dataclass(frozen=True)
class OfferCard:
    topic: str
    level: Level | None
    note: str | None


@dataclass(frozen=True)
class MyTopics:
    offers: Sequence[OfferCard]
    paused: bool


def offer_topics(scope: Scope, *, command: Teach, choice: str | None = None) -> TeachResult | NotATopic:
    """Save what the caller teaches and count who is waiting for it; nothing is saved if one topic is no topic.

    Each topic is saved at once: under a known topic when the match is sure, else under the teacher's own words,
    with "did you mean…?" offered for a known topic it may be (matcher/teaching.py). `choice` answers "did you
    mean…?" for a command of one topic: a topic key, which moves the offer from the teacher's own words to it, or
    AS_TYPED to keep them.
    """
    repos, catalog, team_id, user_id = scope.repos, scope.catalog, scope.team, scope.user
    picks = [catalog.for_teaching(repos, team_id, text) for text in command.topics]
    for text, pick in zip(command.topics, picks, strict=True):
        if not key(pick.words):
            return NotATopic(text)
    member = repos.members.ensure(team_id, user_id)
    saved: list[tuple[str, int, bool]] = []  # (label, topic id, newly offered)
    understood, uncertain = [], []
    for text, pick in zip(command.topics, picks, strict=True):
        chosen = pick.topic if choice is None else choice
        row = catalog.topic(repos, team_id, chosen or catalog.new_topic_key(pick.words), pick.words)
        if choice:
            # "Did you mean…?" answered with a known topic: the offer moves there from the teacher's own words.
            _drop_own_words(repos, catalog, member, team_id, pick.words, row.id)
        if choice is None and pick.topic is not None:
            catalog.remember_words(repos, team_id, pick.words, row)  # "Fishing" finds it, and so does "Fihsing"
        _, created = repos.offers.upsert(member, row, command.level, command.note_for(text))
        saved.append((row.label, row.id, created))
        if text.strip().casefold() != row.label.casefold():
            understood.append((text.strip(), row.label))
        if choice is None and pick.offer:
            keys = list(pick.offer)
            found = choices(repos, catalog, team_id, keys)
            uncertain.append(Uncertain(text, found, row.label, command.note_for(text)))
    waiting, notify = _waiting(repos, member, saved)
    labels = list(dict.fromkeys(label for label, _, _ in saved))
    return TeachResult(labels, waiting, member.paused, notify, understood, uncertain, command.level, member.opted_out)


def _drop_own_words(repos: Repos, catalog: Catalog, member: Member, team_id: str, words: str, kept: int) -> None:
    """The offer saved under the teacher's own words, now that they said which known topic they meant."""
    own = catalog.topic_id(repos, team_id, catalog.new_topic_key(words))
    if own is not None and own != kept:
        repos.offers.remove(member, [own])


def _waiting(
    repos: Repos, member: Member, saved: list[tuple[str, int, bool]]
) -> tuple[list[Waiting], list[NewTeacher]]:
    """Open needs on the saved topics, and the learners to tell that someone new teaches theirs."""
    ids = sorted({topic_id for _, topic_id, _ in saved})
    fresh = {topic_id for _, topic_id, created in saved if created}
    needs = repos.needs.open_for_topics(member.team_id, ids, exclude_member=member.id)
    grouped: dict[str, list[WaitingNeed]] = {}
    for need in needs:
        grouped.setdefault(need.topic.label, []).append(WaitingNeed(need.id, need.raw_text, need.created_at))
    waiting = [Waiting(topic, items) for topic, items in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    notify = []
    if not member.paused and not member.opted_out:
        for need in needs:
            if need.topic_id in fresh and member.id not in repos.matches.experts_of_need(need.id):
                notify.append(NewTeacher(need.id, need.member.user_id, need.topic.label))
    return waiting, notify


def my_topics(scope: Scope) -> MyTopics:
    """The caller's offers and whether they are paused."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    offers = [OfferCard(o.topic.label, o.level, o.note) for o in repos.offers.for_member(member)]
    return MyTopics(offers, member.paused)


def remove_topics(scope: Scope, *, topics: Sequence[str]) -> Changed:
    """Stop teaching these topics, found however they are written."""
    repos, catalog, team_id, user_id = scope.repos, scope.catalog, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    mine = {offer.topic.name: offer for offer in repos.offers.for_member(member)}
    found, missing = {}, []
    for text in topics:
        resolution = catalog.resolve(repos, team_id, text)
        keys = [hit.topic for hit in (*resolution.confident, *resolution.plausible) if hit.topic in mine]
        keys = keys or [name for name, offer in mine.items() if offer.topic.label.casefold() == text.casefold()]
        if keys:
            found[keys[0]] = mine[keys[0]]
        else:
            missing.append(text)
    repos.offers.remove(member, [offer.topic_id for offer in found.values()])
    return Changed([offer.topic.label for offer in found.values()], missing)


@dataclass(frozen=True)
class Paused:
    changed: bool
    notify: Sequence[NewTeacher] = ()  # back from a pause: the learners waiting for what this member teaches


def set_paused(scope: Scope, *, paused: bool) -> Paused:
    """Pause or resume being matched; on resuming, the learners who waited meanwhile are told."""
    repos, team_id, user_id = scope.repos, scope.team, scope.user
    member = repos.members.ensure(team_id, user_id)
    changed = member.paused != paused
    repos.members.set_paused(member, paused)
    if paused or not changed or member.opted_out:
        return Paused(changed)
    taught = [(offer.topic.label, offer.topic_id, True) for offer in repos.offers.for_member(member)]
    _, notify = _waiting(repos, member, taught)
    return Paused(changed, notify)


# Learners told per offer: the oldest needs first; the rest see the teacher in their next /learn.
MAX_NOTICES = 20


def learners_to_tell(notify: Sequence[NewTeacher]) -> Sequence[NewTeacher]:
    """The waiting learners told at once that someone (now, or again) teaches their topic."""
    return notify[:MAX_NOTICES]
