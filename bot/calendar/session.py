"""A peerlearn session as a calendar sees it: the `.ics` invitation and the "Add to Google Calendar" link, their
title and description written once so the file and the link always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calendar import ics


@dataclass(frozen=True)
class CalendarSession:
    """A timed session: when, how long, on what, with whom."""

    team_id: str
    session_id: int
    sequence: int
    start: datetime
    minutes: int
    topic: str
    expert: str  # names, as the calendar shows them
    learner: str

    @property
    def summary(self) -> str:
        return f"{self.topic}: {self.expert} and {self.learner}"

    @property
    def description(self) -> str:
        return f"A peerlearn session: {self.learner} learns {self.topic} from {self.expert}."

    @property
    def filename(self) -> str:
        return f"peerlearn-session-{self.session_id}.ics"


def invitation(session: CalendarSession, *, channel_id: str, tz: str, method: ics.Method = "REQUEST") -> bytes:
    """The `.ics` file (or its cancellation) for both of them, pointing back to their group DM."""
    return ics.invitation(
        uid=ics.event_uid(session.team_id, session.session_id),
        sequence=session.sequence,
        start=session.start,
        length=timedelta(minutes=session.minutes),
        summary=session.summary,
        description=session.description,
        organizer=session.expert,
        attendees=[session.expert, session.learner],
        url=f"https://slack.com/app_redirect?channel={channel_id}",
        tz_name=tz,
        method=method,
    )


def google_link(session: CalendarSession) -> str:
    """An "Add to Google Calendar" link."""
    return ics.google_calendar_link(
        start=session.start,
        length=timedelta(minutes=session.minutes),
        summary=session.summary,
        details=session.description,
    )
