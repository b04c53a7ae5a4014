"""Offering what you can teach: each topic saved under its one name, and who is waiting for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Level
from bot.grammar import Teach
from bot.matcher import Resolution
from bot.services.catalog import Catalog
from bot.services.experts import Choice, choices
from bot.services.learning import Changed, NotATopic
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
    """A topic of a /teach that was close to more than one, or not close enough to one: not saved yet."""

    asked: str
    choices: Sequence[Choice]
    own: str  # its topic words, to save as a topic of their own


@dataclass(frozen=True)
class TeachResult:
    saved: Sequence[str]
    waiting: Sequence[Waiting]
    paused: bool
    notify: Sequence[NewTeacher] = ()
    understood: Sequence[tuple[str, str]] = ()  # (words typed, topic saved) where they differ
    uncertain: Sequence[Uncertain] = ()
    level: Level | None = None  # kept for the "did you mean" buttons, which save the rest of the command
    note: str | None = None
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


def offer_topics(
    repos: Repos,
    catalog: Catalog,
    *,
    team_id: str,
    user_id: str,
    command: Teach,
    choice: str | None = None,
    ask_first: bool = False,
) -> TeachResult | NotATopic:
    """Save what the caller teaches and count who is waiting for it; nothing is saved if one topic is no topic.

    A topic close to more than one is not saved but asked about ("did you mean…?"), and with `ask_first`
    (a form, which has no buttons) nothing is saved until it is clear. `choice` answers "did you mean…?" for a
    command of one topic: a topic key, or AS_TYPED for its own words.
    """
    resolutions = [catalog.resolve(repos, team_id, text) for text in command.topics]
    for text, resolution in zip(command.topics, resolutions, strict=True):
        if choice is None and not resolution.confident and not resolution.plausible and not resolution.core:
            return NotATopic(text)
    if ask_first and choice is None and any(not r.confident and r.plausible for r in resolutions):
        unsure = [
            Uncertain(text, choices(repos, catalog, team_id, [h.topic for h in r.plausible]), r.core)
            for text, r in zip(command.topics, resolutions, strict=True)
            if not r.confident and r.plausible
        ]
        return TeachResult([], [], False, uncertain=unsure)
    member = repos.members.ensure(team_id, user_id)
    saved: list[tuple[str, int, bool]] = []  # (label, topic id, newly offered)
    understood, uncertain = [], []
    for text, resolution in zip(command.topics, resolutions, strict=True):
        topic_key, typed = _topic_key(catalog, resolution, choice)
        if topic_key is None:
            keys = [hit.topic for hit in resolution.plausible]
            uncertain.append(Uncertain(text, choices(repos, catalog, team_id, keys), resolution.core))
            continue
        row = catalog.topic(repos, team_id, topic_key, typed)
        if choice:  # "did you mean…?" answered: the workspace learns that these words mean this topic
            catalog.learn_alias(repos, team_id, resolution.core, row)
        _, created = repos.offers.upsert(member, row, command.level, command.note)
        saved.append((row.label, row.id, created))
        if text.strip().casefold() != row.label.casefold():
            understood.append((text.strip(), row.label))
    waiting, notify = _waiting(repos, member, saved)
    labels = list(dict.fromkeys(label for label, _, _ in saved))
    return TeachResult(
        labels, waiting, member.paused, notify, understood, uncertain, command.level, command.note, member.opted_out
    )


def _topic_key(catalog: Catalog, resolution: Resolution, choice: str | None) -> tuple[str | None, str]:
    """The topic one /teach item is saved under, and its words when it is a new one; None when unsure."""
    if choice is not None:
        return (choice or catalog.new_topic_key(resolution.core)), resolution.core
    if resolution.best is not None:
        return resolution.best.topic, ""
    if resolution.plausible:
        return None, ""
    return catalog.new_topic_key(resolution.core), resolution.core


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


def my_topics(repos: Repos, *, team_id: str, user_id: str) -> MyTopics:
    """The caller's offers and whether they are paused."""
    member = repos.members.ensure(team_id, user_id)
    offers = [OfferCard(o.topic.label, o.level, o.note) for o in repos.offers.for_member(member)]
    return MyTopics(offers, member.paused)


def remove_topics(repos: Repos, catalog: Catalog, *, team_id: str, user_id: str, topics: Sequence[str]) -> Changed:
    """Stop teaching these topics, found however they are written."""
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


def set_paused(repos: Repos, *, team_id: str, user_id: str, paused: bool) -> Paused:
    """Pause or resume being matched; on resuming, the learners who waited meanwhile are told."""
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
