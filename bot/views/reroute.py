"""Messages of an ask passed on after 48 hours without an answer: to the silent expert and to the learner."""

from __future__ import annotations

from typing import Any

from bot.services.asks import MatchInfo
from bot.views.common import context, escape, message, section


def ask_expired(info: MatchInfo, *, passed_on: bool) -> dict[str, Any]:
    """The silent expert's Accept/Decline message once it expired: no buttons left to click, and what became of
    the ask: passed on to a colleague, or (nobody else teaching it) left open for whoever offers it next."""
    head = f"*<@{info.learner.user_id}>* would like to learn *{escape(info.topic)}* from you."
    if passed_on:
        note, short = "No answer in 48 hours, so this went to another colleague.", "Passed on after 48 hours."
    else:
        note = "No answer in 48 hours, so this ask expired. Nobody else teaches it yet: their request stays open."
        short = "Expired after 48 hours."
    return message(f"{head} {short}", [section(head), context(note)])


def rerouted(expired: MatchInfo, following: MatchInfo | None) -> dict[str, Any]:
    """To the learner: who did not answer, and who was asked instead (or that nobody else can help yet)."""
    topic = escape(expired.topic)
    head = f"<@{expired.expert.user_id}> hasn't answered your request about *{topic}* in 2 days."
    if following is not None:
        line = f"{head} So I asked <@{following.expert.user_id}> instead. You'll get a message when they answer."
        return message(f"Your {expired.topic} request went to {following.expert.name}.", [section(line)])
    line = f"{head} Nobody else teaches it yet: your request stays open and you'll be pinged when someone does."
    return message(f"Nobody answered your {expired.topic} request yet.", [section(line)])
