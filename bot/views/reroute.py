"""Messages of an ask passed on after 48 hours without an answer: to the silent expert and to the learner."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.services.asks import MatchInfo
from bot.views.common import context, escape, message, section


def ask_expired(info: MatchInfo) -> dict[str, Any]:
    """The silent expert's Accept/Decline message once it was passed on: no buttons left to click."""
    head = f"*<@{info.learner.user_id}>* would like to learn *{escape(info.topic)}* from you."
    blocks: list[Block] = [section(head), context("No answer in 48 hours, so this went to another colleague.")]
    return message(f"{head} Passed on after 48 hours.", blocks)


def rerouted(expired: MatchInfo, following: MatchInfo | None) -> dict[str, Any]:
    """To the learner: who did not answer, and who was asked instead (or that nobody else can help yet)."""
    topic = escape(expired.topic)
    head = f"<@{expired.expert.user_id}> hasn't answered your request about *{topic}* in 2 days."
    if following is not None:
        line = f"{head} So I asked <@{following.expert.user_id}> instead. You'll get a message when they answer."
        return message(f"Your {expired.topic} request went to {following.expert.name}.", [section(line)])
    line = f"{head} Nobody else teaches it yet: your request stays open and you'll be pinged when someone does."
    return message(f"Nobody answered your {expired.topic} request yet.", [section(line)])
