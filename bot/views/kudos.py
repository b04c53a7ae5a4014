"""Messages about kudos, in the workspace's own kudos emoji and limits."""

from __future__ import annotations

from typing import Any

from bot.services.kudos import SESSION_EMOJI, Counted, Duplicate, Given, Limit, Limited, Thank, Thanks
from bot.views.common import context, escape, section


def limit_reached(limited: Limited, *, pair_limit: int, emoji: str) -> dict[str, Any]:
    """To a giver, once a day: why their last kudos did not count (`pair_limit` is the workspace's weekly limit)."""
    if limited.limit is Limit.PAIR:
        times = "once" if pair_limit == 1 else f"{pair_limit} times"
        text = (
            f"You've already thanked <@{limited.receiver}> {times} this week, so that :{emoji}: "
            "didn't count. Spreading thanks around helps more people get seen."
        )
    else:
        text = f"You've given all your kudos for today, so that :{emoji}: didn't count. More tomorrow!"
    return {"text": text, "blocks": [section(text).to_dict()]}


def _link(channel: str, ts: str) -> str:
    # Slack resolves archive links in the workspace the reader is signed in to.
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"


def _for(thank: Thank) -> str:
    if thank.session_topic is not None:
        return f"your session on *{escape(thank.session_topic)}*" if thank.session_topic else "your session"
    return f"<{_link(thank.channel, thank.message_ts)}|this message>"


def thanked(thanks: Thanks, *, emoji: str = SESSION_EMOJI) -> dict[str, Any]:
    """To the receiver: who thanked them, for which message or session; several within a minute come as one DM."""
    lines = [f"• <@{thank.giver}> for {_for(thank)}" for thank in thanks.givers[:20]]
    more = len(thanks.givers) - 20
    if more > 0:
        lines.append(f"• and {more} more")
    count = len(thanks.givers)
    head = "You got kudos!" if count == 1 else f"You got {count} kudos!"
    blocks = [section(f":{emoji}: {head}\n" + "\n".join(lines)), context("Thanks for helping your colleagues learn.")]
    return {"text": head, "blocks": [b.to_dict() for b in blocks]}


def button_reply(given: Given, *, pair_limit: int, emoji: str) -> str:
    """The ephemeral answer to a follow-up's "Give kudos" button."""
    match given:
        case Counted(receiver):
            return f":{emoji}: Kudos sent to <@{receiver}>. Thank you for saying thanks!"
        case Duplicate(receiver):
            return f"You already thanked <@{receiver}> for this session."
        case Limited():
            return str(limit_reached(given, pair_limit=pair_limit, emoji=emoji)["text"])
    return "That kudos can't be given."


NOT_YOUR_SESSION = "That session isn't yours to thank for."
