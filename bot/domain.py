"""The domain's words: levels and the states of needs, matches, sessions and slot invites.

It sits below every layer (views, forms, services, handlers and the store all read it) and imports nothing
from bot/, handlers/ or store/, so anything may import it without pulling in SQLAlchemy or Slack.
"""

from __future__ import annotations

import enum


class Level(enum.StrEnum):
    """How well someone teaches a topic, by their own account."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"


class NeedStatus(enum.StrEnum):
    """Where someone's wish to learn a topic stands."""

    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class MatchStatus(enum.StrEnum):
    """Where an introduction between a learner and an expert stands."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    DONE = "done"
    CANCELLED = "cancelled"  # its session was called off


class SessionKind(enum.StrEnum):
    """A session for one learner and one expert, or a slot an expert opens to several learners."""

    PAIR = "pair"
    SLOT = "slot"


class InviteStatus(enum.StrEnum):
    """Where a learner invited to a slot stands."""

    INVITED = "invited"
    HOSTED = "hosted"
    DECLINED = "declined"
    EXPIRED = "expired"


# A need still waiting for, or being given, help; and a match not yet settled either way (the ones that take up an
# expert's capacity: ranking and asking count the same).
LIVE_NEED = (NeedStatus.OPEN, NeedStatus.MATCHED)
OPEN_MATCH = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)

DEFAULT_SESSION_LENGTH = 30  # minutes: a session picked without a length, and the picker's default
# Kudos given from a session's follow-up stand in for a message: "session-<id>" (the insights' "it helped" reads it).
SESSION_TS = "session-"
