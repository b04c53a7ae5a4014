"""Messages about kudos."""

from __future__ import annotations

from typing import Any

from bot.services.kudos import PAIR_WEEKLY_LIMIT, Outcome
from bot.views.common import section


def limit_reached(outcome: Outcome, receiver: str) -> dict[str, Any]:
    """To a giver, once a day: why their last kudos did not count."""
    if outcome is Outcome.PAIR_LIMIT:
        text = (
            f"You've already thanked <@{receiver}> {PAIR_WEEKLY_LIMIT} times this week, so that :mortar_board: "
            "didn't count. Spreading thanks around helps more people get seen."
        )
    else:
        text = "You've given all your kudos for today, so that :mortar_board: didn't count. More tomorrow!"
    return {"text": text, "blocks": [section(text).to_dict()]}
