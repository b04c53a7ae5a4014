"""Repositories: typed queries over one Session. They never commit and never open sessions.

One module per aggregate (people, catalog, learning, kudos, meetings, scheduling, slots) and one of reports across them;
`Repos` gathers them all over one database session, and the names code outside store/ uses are imported from here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from store.models import machine_now
from store.repos.aliases import AliasRepo
from store.repos.catalog import OfferRepo, TopicRef, TopicRepo
from store.repos.experts import ExpertRow
from store.repos.kudos import EndorsementRepo, KudosRepo
from store.repos.learning import LIVE_NEED, OPEN_MATCH, MatchRepo, NeedRepo, SessionRepo
from store.repos.meetings import MeetingRepo, proposed_times
from store.repos.people import EventRepo, MemberRef, MemberRepo, UserProfile, WorkspaceRepo
from store.repos.reports import DigestRepo, ExportRepo, HomeRepo, StatsRepo
from store.repos.scheduling import DigestRunRepo, DueRepo
from store.repos.slots import SlotRepo
from store.repos.timeline import TimelineRepo
from store.sql import Now

__all__ = [
    "LIVE_NEED",
    "OPEN_MATCH",
    "ExpertRow",
    "MemberRef",
    "Repos",
    "TopicRef",
    "UserProfile",
    "proposed_times",
]


class Repos:
    """Every repository over one database session (`db`), so a service takes a single argument."""

    def __init__(self, db: Session, now: Now = machine_now) -> None:
        self.db = db
        self.now = now  # the caller's clock (a request's one reading): every row written carries its time
        self.workspaces = WorkspaceRepo(db, now)
        self.members = MemberRepo(db, now)
        self.topics = TopicRepo(db, now)
        self.offers = OfferRepo(db, now)
        self.needs = NeedRepo(db, now)
        self.stats = StatsRepo(db)
        self.kudos = KudosRepo(db, now)
        self.matches = MatchRepo(db, now)
        self.sessions = SessionRepo(db, now)
        self.aliases = AliasRepo(db, now)
        self.events = EventRepo(db, now)
        self.home = HomeRepo(db)
        self.export = ExportRepo(db)
        self.digest = DigestRepo(db)
        self.runs = DigestRunRepo(db)
        self.due = DueRepo(db)
        self.meetings = MeetingRepo(db)
        self.endorsements = EndorsementRepo(db)
        self.slots = SlotRepo(db)
        self.timeline = TimelineRepo(db)

    def on_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once this session's transaction has committed; forgotten if it rolls back. What lives
        beside the database (the topic index) must never know a row that was not saved."""
        self.db.info.setdefault(_ON_COMMIT, []).append(hook)


_ON_COMMIT = "peerlearn.on_commit"


@event.listens_for(Session, "after_commit")
def _committed(db: Session) -> None:
    for hook in db.info.pop(_ON_COMMIT, ()):
        hook()


@event.listens_for(Session, "after_rollback")
def _rolled_back(db: Session) -> None:
    db.info.pop(_ON_COMMIT, None)
