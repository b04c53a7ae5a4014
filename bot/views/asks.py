"""Messages and the modal of the ask → accept → introduction flow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
)

from bot import ids
from bot.domain import MatchStatus
from bot.forms import DEFAULT_SESSION_LENGTH
from bot.services.asks import AlreadyBooked, MatchInfo, Person, Reason, Refused
from bot.services.experts import ExpertCard
from bot.services.teaching import NewTeacher
from bot.views.common import button, clip, context, escape, message, section
from bot.views.learning import KUDOS, expert_line
from bot.wire import AskValue, MatchValue


def _quote(words: str) -> str:
    return f">{escape(clip(words, 500))}"


def _decision(match_id: int) -> ActionsBlock:
    return ActionsBlock(
        elements=[
            button("Accept", ids.ACCEPT, MatchValue(match_id).value, primary=True),
            button("Decline", ids.DECLINE, MatchValue(match_id).value),
        ]
    )


def ask_dm(info: MatchInfo) -> dict[str, Any]:
    """To the expert: a colleague asks for help, with Accept / Decline."""
    text = f"{info.learner.name} would like to learn {info.topic} from you."
    blocks: list[Block] = [
        section(f":wave: *<@{info.learner.user_id}>* would like to learn *{escape(info.topic)}* from you."),
        section(_quote(info.words)),
        _decision(info.match_id),
        context("Accept to propose a time, or just to chat. Declining is fine: they'll be offered someone else."),
    ]
    return message(text, blocks)


def offer_dm(info: MatchInfo) -> dict[str, Any]:
    """To the learner: an expert offers to help with their need, with Accept / Decline."""
    text = f"{info.expert.name} offers to help you learn {info.topic}."
    blocks: list[Block] = [
        section(f":raised_hands: *<@{info.expert.user_id}>* offers to help you learn *{escape(info.topic)}*."),
        context(f"You asked: “{escape(clip(info.words, 200))}”"),
        _decision(info.match_id),
    ]
    return message(text, blocks)


def decided(info: MatchInfo, accepted: bool) -> dict[str, Any]:
    """The Accept/Decline message once decided: the buttons go, the outcome stays."""
    if info.offered_by_expert:
        head = f"*<@{info.expert.user_id}>* offered to help you learn *{escape(info.topic)}*."
    else:
        head = f"*<@{info.learner.user_id}>* would like to learn *{escape(info.topic)}* from you."
    blocks: list[Block] = [section(head)]
    if accepted and not info.offered_by_expert:
        blocks.append(
            section(
                ":white_check_mark: You accepted.",
                button("Propose a time", ids.PROPOSE, MatchValue(info.match_id).value),
            )
        )
    elif accepted:
        blocks.append(context(":white_check_mark: You accepted. They'll propose a time and you'll meet in a group DM."))
    else:
        blocks.append(context("You declined. Thanks for letting them know."))
    return message(f"{head} {'Accepted' if accepted else 'Declined'}.", blocks)


def introduced(info: MatchInfo) -> dict[str, Any]:
    """The expert's request message once both are introduced: no button left to press."""
    who = f"*<@{info.learner.user_id}>*"
    head = f"{who} accepted your offer to help with" if info.offered_by_expert else f"{who} would like to learn"
    text = f"{head} *{escape(info.topic)}*" + ("." if info.offered_by_expert else " from you.")
    blocks: list[Block] = [section(text), context(":white_check_mark: You're introduced in a group DM.")]
    return message(f"Introduced: {info.topic}", blocks)


def propose_prompt(info: MatchInfo) -> dict[str, Any]:
    """To the expert, when the learner accepted their offer: propose a time."""
    text = f"{info.learner.name} accepted your offer to help with {info.topic}."
    blocks: list[Block] = [
        section(
            f":tada: *<@{info.learner.user_id}>* accepted your offer to help with *{escape(info.topic)}*.",
            button("Propose a time", ids.PROPOSE, MatchValue(info.match_id).value, primary=True),
        )
    ]
    return message(text, blocks)


def _when(person: Person, starts_at: datetime, minutes: int, fallback_tz: str) -> str:
    tz = person.tz or fallback_tz
    start = starts_at.astimezone(ZoneInfo(tz))
    end = start + timedelta(minutes=minutes)
    return f"*{start:%a %d %b, %H:%M}–{end:%H:%M}* for <@{person.user_id}> ({tz})"


def intro(
    info: MatchInfo,
    starts_at: datetime | None,
    minutes: int | None,
    fallback_tz: str,
    emoji: str = KUDOS,
    buttons: Block | None = None,
) -> dict[str, Any]:
    """The group DM introduction; the proposed time is written out in each person's own timezone."""
    learner, expert = info.learner, info.expert
    lines = [
        f":wave: <@{expert.user_id}>, meet <@{learner.user_id}>!",
        f"<@{learner.user_id}> wants to learn *{escape(info.topic)}*, and <@{expert.user_id}> is happy to help.",
    ]
    blocks: list[Block] = [section("\n".join(lines)), section(_quote(info.words))]
    if starts_at is not None:
        length = minutes or DEFAULT_SESSION_LENGTH
        when = " · ".join(_when(p, starts_at, length, fallback_tz) for p in (expert, learner))
        blocks.append(section(f":calendar: {when}"))
    else:
        blocks.append(section(":speech_balloon: No fixed time: just chat here and find a moment that suits you both."))
    if buttons is not None:
        blocks.append(buttons)
    blocks.append(context(f"Reply here to settle the details. Afterwards, say thanks with a :{emoji}: reaction."))
    return message(f"{expert.name}, meet {learner.name}: {info.topic}", blocks)


def declined_to_learner(
    info: MatchInfo, alternatives: Sequence[ExpertCard], now: datetime, emoji: str = KUDOS
) -> dict[str, Any]:
    """To the learner, kindly: the expert can't help right now; here is the next-best one."""
    head = f"<@{info.expert.user_id}> can't help with *{escape(info.topic)}* right now. No worries, it happens."
    blocks: list[Block] = [section(head)]
    if alternatives:
        card = alternatives[0]
        blocks.append(section("Here's who else can:"))
        blocks.append(
            section(
                expert_line(card, now, emoji),
                button("Ask", ids.ASK, AskValue(info.need_id, card.user_id).value, primary=True),
            )
        )
    else:
        blocks.append(context("Nobody else teaches it yet. You'll be pinged as soon as someone offers it."))
    return message(f"{info.expert.name} can't help with {info.topic} right now.", blocks)


def offer_declined(info: MatchInfo) -> dict[str, Any]:
    """To the expert whose offer the learner declined: the learner never accepted help, so they stay unnamed (as
    the needs shown to teachers are)."""
    text = f"The colleague who wants to learn *{escape(info.topic)}* is set for now. Thanks a lot for offering!"
    return message(f"Thanks for offering to help with {info.topic}.", [section(text)])


def new_teacher(notice: NewTeacher, expert_user: str, *, back: bool = False) -> dict[str, Any]:
    """To a waiting learner: someone now teaches what they wanted to learn (or is `back` from a pause)."""
    now = "is back and can teach" if back else "now teaches"
    text = f":sparkles: <@{expert_user}> {now} *{escape(notice.topic)}*, which you wanted to learn."
    blocks: list[Block] = [
        section(text, button("Ask", ids.ASK, AskValue(notice.need_id, expert_user).value, primary=True))
    ]
    return message(f"Someone now teaches {notice.topic}.", blocks)


def asked(info: MatchInfo) -> str:
    return f"Asked <@{info.expert.user_id}> about *{escape(info.topic)}*. You'll get a message when they answer."


def offered(info: MatchInfo) -> str:
    return f"Offered your help with *{escape(info.topic)}*. You'll get a message when they answer."


UNACCEPTED = (MatchStatus.PROPOSED, MatchStatus.DECLINED, MatchStatus.EXPIRED)  # help never accepted


UNDELIVERED = "Slack didn't deliver that just now. Please try again in a moment."


def refused(outcome: Refused | AlreadyBooked, user: str) -> str:
    """A short line, for the person who clicked, when their click changes nothing."""
    if isinstance(outcome, AlreadyBooked):
        return _unchanged(Reason.ALREADY, outcome.match, user, booked=True)
    return _unchanged(outcome.reason, outcome.match, user)


def _unchanged(status: Reason, info: MatchInfo | None, user: str, *, booked: bool = False) -> str:
    if info is None:
        return {
            Reason.NOT_YOURS: "That button is for someone else, so it does nothing for you.",
            Reason.GONE: "This request is closed now, so there's nothing left to do here.",
            Reason.UNAVAILABLE: "That colleague can't take new requests right now. Try `/learn` again to see who can.",
        }.get(status, "That button is out of date, so nothing changed.")
    learner, expert = info.learner.user_id, info.expert.user_id
    other = expert if user == learner else learner
    if status is Reason.NOT_YOURS:
        return "That button is for someone else, so it does nothing for you."
    if status is Reason.UNAVAILABLE:
        return f"<@{expert}> can't take new requests right now. Try `/learn` again to see who can."
    if status is Reason.GONE:
        return "This request is closed now, so there's nothing left to do here."
    if info.offered_by_expert and user == expert and info.status in UNACCEPTED:
        # Needs are shown to teachers without names: the learner is named only once they accept the offer.
        if info.status is MatchStatus.PROPOSED:
            return f"You already offered to help with *{escape(info.topic)}*; they haven't answered yet."
        return f"They're set for *{escape(info.topic)}* for now, so nothing changed. Thanks for offering!"
    decider = learner if info.offered_by_expert else expert
    mine = user == decider
    match info.status:
        case MatchStatus.PROPOSED:
            verb = "offered to help" if info.offered_by_expert else "asked"
            return f"You already {verb} <@{other}>; they haven't answered yet."
        case MatchStatus.ACCEPTED:
            if booked and user == expert:
                return f"You already proposed a time: it's in your group DM with <@{learner}>."
            return "You already accepted." if mine else f"<@{other}> already accepted: look for your group DM."
        case MatchStatus.DECLINED:
            return "You already declined." if mine else f"<@{other}> couldn't help this time."
        case MatchStatus.EXPIRED:
            # Passed on, or (nobody else teaching it) left open: either way it is no longer this teacher's.
            return "This request went unanswered for 48 hours and expired, so nothing changed."
        case _:
            return "This session is over. Thanks for taking part!"
