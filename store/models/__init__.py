"""Typed SQLAlchemy 2 models for every entity (docs/ARCHITECTURE.md, data model); every row carries its team_id.

One module per aggregate; every name is re-exported here, so `from store.models import X` is the one way in and
importing this package maps every table (Alembic's autogenerate reads `Base.metadata`).
"""

from __future__ import annotations

from store.models.base import NAMING, Base, UTCDateTime, machine_now
from store.models.catalog import AliasChoice, Offer, Topic, TopicAlias
from store.models.insights import InsightsAdmin, InsightsLogin
from store.models.kudos import FOLLOW_UP_KUDOS_SQL, Kudos
from store.models.learning import LIVE_NEED_SQL, LearningSession, Match, Need, SessionParticipant
from store.models.people import Member, ProcessedEvent, Workspace
from store.models.scheduling import DigestRun, SlotInvite

__all__ = [
    "FOLLOW_UP_KUDOS_SQL",
    "LIVE_NEED_SQL",
    "NAMING",
    "AliasChoice",
    "Base",
    "DigestRun",
    "InsightsAdmin",
    "InsightsLogin",
    "Kudos",
    "LearningSession",
    "Match",
    "Member",
    "Need",
    "Offer",
    "ProcessedEvent",
    "SessionParticipant",
    "SlotInvite",
    "Topic",
    "TopicAlias",
    "UTCDateTime",
    "Workspace",
    "machine_now",
]
