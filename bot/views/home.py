"""The App Home tab."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot.grammar import LEARN_USAGE, TEACH_USAGE
from bot.services.learning import MyTopics, NeedCard
from bot.views.common import clip, context, escape, section


def home_view(topics: MyTopics, needs: Sequence[NeedCard]) -> View:
    """Your topics and your open needs, with how to add more."""
    blocks: list[Block] = [HeaderBlock(text="peerlearn"), section("Learn from colleagues, and teach what you know.")]
    blocks += [DividerBlock(), section("*What you teach*")]
    if topics.offers:
        lines = [f"• *{escape(o.topic)}*" + (f" ({o.level.value})" if o.level else "") for o in topics.offers[:40]]
        blocks.append(section("\n".join(lines)))
        if topics.paused:
            blocks.append(context(":double_vertical_bar: Paused: nobody is matched with you. `/teach resume`"))
    else:
        blocks.append(context("Nothing yet. " + TEACH_USAGE))
    blocks += [DividerBlock(), section("*What you want to learn*")]
    if needs:
        lines = [f"• *{escape(clip(n.topic, 100))}* — {n.status.value}" for n in needs[:40]]
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(context("Nothing yet. " + LEARN_USAGE))
    return View(type="home", blocks=blocks)
