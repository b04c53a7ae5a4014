"""The insights report: the repository's aggregates turned into the tables and charts the page and its CSVs show,
with the privacy rules applied once, here (learners as counts, small counts hidden, teachers by name)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.matcher.rank import DEFAULT_CAPACITY
from store.repos.insights import InsightsRepo

PERIODS = {"4w": ("Last 4 weeks", 28), "quarter": ("Last quarter", 91), "year": ("Last year", 365)}
DEFAULT_PERIOD = "4w"
# A count of 1 or 2 learners beside a topic would point at the person who asked (needs are private): hidden.
FEWER = "fewer than 3"
TOP_TOPICS = 30

Cell = str | int


@dataclass(frozen=True)
class Table:
    """One table of the page; its CSV (`key`.csv) holds exactly these rows."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]


@dataclass(frozen=True)
class Chart:
    """What a chart draws: a label per point and one or more named series (None: a hidden small count)."""

    kind: str  # "bars" or "lines"
    title: str
    labels: list[str]
    series: list[tuple[str, list[int | None]]]


@dataclass
class Section:
    key: str
    title: str
    intro: str
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Headline:
    """The three numbers App Home shows admins."""

    waiting: Cell
    median_wait: str
    sessions_month: int


@dataclass
class Report:
    team_id: str
    team_name: str
    period: str
    start: datetime
    end: datetime
    headline: Headline
    sections: list[Section]

    @property
    def period_label(self) -> str:
        return PERIODS[self.period][0]

    def table(self, key: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.key == key), None)


def learners(count: int) -> Cell:
    """A learner count as shown: 0, or 3 and more; 1 or 2 would single someone out."""
    return FEWER if 0 < count < 3 else count


def chartable(cell: Cell) -> int | None:
    return cell if isinstance(cell, int) else None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.5 = median) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def duration(seconds: float | None) -> str:
    """3.5 hours, 2.0 days: how long someone waited, for people to read."""
    if seconds is None:
        return "–"
    hours = seconds / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def window(period: str, now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=PERIODS[period][1]), now


def headline(repo: InsightsRepo, team_id: str, now: datetime) -> Headline:
    """Learners waiting, their median wait, and sessions held in the last 30 days: three small aggregates (the
    wait of each of 50,000 open needs, read back to take their median here, took a third of a second)."""
    waiting, median_since = repo.waiting(team_id)
    median = (now - median_since).total_seconds() if median_since is not None else None
    held = repo.sessions_held(team_id, now - timedelta(days=30), now)
    return Headline(learners(waiting), duration(median), held)


def build(repo: InsightsRepo, team_id: str, team_name: str, period: str, now: datetime) -> Report:
    """The whole report for one tenant and period."""
    start, end = window(period, now)
    weekly = repo.weekly(team_id, start, end)  # the flow's trend and participation both show it: asked once
    return Report(
        team_id=team_id,
        team_name=team_name,
        period=period,
        start=start,
        end=end,
        headline=headline(repo, team_id, now),
        sections=[
            skill_gaps(repo, team_id, start, end, now),
            flow(repo, team_id, start, end, now, weekly),
            participation(repo, team_id, start, end, weekly),
            people(repo, team_id, start, end),
        ],
    )


def skill_gaps(repo: InsightsRepo, team_id: str, start: datetime, end: datetime, now: datetime) -> Section:
    demand = repo.demand(team_id, TOP_TOPICS)
    ids = [topic for topic, _, _ in demand]
    supply = repo.supply(team_id, ids, DEFAULT_CAPACITY)
    held = repo.held_by_topic(team_id, ids, start, end)
    waits: dict[int, list[float]] = {}
    for topic, created in repo.waiting_since(team_id, ids):
        waits.setdefault(topic, []).append((now - created).total_seconds())
    rows, untaught, single, full = [], [], [], []
    for topic, label, waiting in demand:
        active, paused, busy = supply.get(topic, (0, 0, 0))
        shown = learners(waiting)
        median = duration(percentile(waits.get(topic, []), 0.5))
        rows.append((label, shown, active, paused, held.get(topic, 0), median))
        if active == 0:
            untaught.append((label, shown, paused))
        if active == 1 and waiting >= 3:
            single.append((label, waiting))
        if active and busy == active:
            full.append((label, active, shown))
    top = rows[:10]
    return Section(
        "gaps",
        "Skill gaps",
        "What people wait to learn against who teaches it. Learners are counted, never named.",
        charts=[
            Chart(
                "bars",
                "Learners waiting and teachers, by topic",
                [str(r[0]) for r in top],
                [("Learners waiting", [chartable(r[1]) for r in top]), ("Teachers", [int(r[2]) for r in top])],
            )
        ],
        tables=[
            Table(
                "demand",
                "Demand against supply",
                ("Topic", "Learners waiting", "Teachers active", "Teachers paused", "Sessions held", "Median wait"),
                rows,
            ),
            Table(
                "untaught", "Wanted, and nobody teaches it", ("Topic", "Learners waiting", "Teachers paused"), untaught
            ),
            Table("one_teacher", "One teacher, three or more waiting", ("Topic", "Learners waiting"), list(single)),
            Table("at_capacity", "Every teacher at capacity", ("Topic", "Teachers", "Learners waiting"), full),
        ],
    )


def flow(
    repo: InsightsRepo, team_id: str, start: datetime, end: datetime, now: datetime, weekly: dict[str, dict[int, int]]
) -> Section:
    counts = repo.funnel(team_id, start, end, now)
    stages = [
        ("Asked", counts["asks"]),
        ("Accepted", counts["accepted"]),
        ("Time agreed", counts["agreed"]),
        ("Session held", counts["held"]),
        ("It helped", counts["helped"]),
    ]
    asks = counts["asks"]
    funnel_rows: list[tuple[Cell, ...]] = [(n, c, f"{100 * c / asks:.0f}%" if asks else "–") for n, c in stages]
    answers = repo.first_answers(team_id, start, end)
    to_session = repo.first_sessions(team_id, start, end)
    waits: list[tuple[Cell, ...]] = [
        ("Time to first answer", duration(percentile(answers, 0.5)), duration(percentile(answers, 0.9)), len(answers)),
        (
            "Time to a session",
            duration(percentile(to_session, 0.5)),
            duration(percentile(to_session, 0.9)),
            len(to_session),
        ),
    ]
    weeks = week_labels(start, end)
    asked = repo.asks_by_week(team_id, start, end)
    sessions = weekly["sessions"]
    trend: list[tuple[Cell, ...]] = [(w, asked.get(i, 0), sessions.get(i, 0)) for i, w in enumerate(weeks)]
    return Section(
        "flow",
        "The flow",
        'Needs declared in the period and how far each got. "It helped" counts the learners who answered the'
        ' follow-up\'s "Did it help?" after a session held: with kudos for their teacher, or "Mark need done".'
        " A cancelled session counts nowhere.",
        charts=[
            Chart(
                "bars", "From ask to a session that helped", [s for s, _ in stages], [("Needs", [c for _, c in stages])]
            ),
            Chart(
                "lines",
                "Asks and sessions held, by week",
                weeks,
                [("Asks", [int(r[1]) for r in trend]), ("Sessions held", [int(r[2]) for r in trend])],
            ),
        ],
        tables=[
            Table("funnel", "From ask to session", ("Stage", "Needs", "Share of asks"), funnel_rows),
            Table("flow_weekly", "Asks and sessions by week", ("Week of", "Asks", "Sessions held"), trend),
            Table(
                "stuck",
                "Where asks got stuck",
                ("What happened", "Count"),
                [
                    ("Declined by the teacher", counts["declined"]),
                    ("Re-routed after 48 hours unanswered", counts["rerouted"]),
                    ("Session cancelled", counts["cancelled"]),
                ],
            ),
            Table("waits", "How long people waited", ("Wait", "Median", "90th percentile", "Needs"), waits),
        ],
    )


def participation(
    repo: InsightsRepo, team_id: str, start: datetime, end: datetime, weekly: dict[str, dict[int, int]]
) -> Section:
    weeks = week_labels(start, end)
    names = ("learners", "teachers", "sessions", "kudos", "endorsements")
    rows: list[tuple[Cell, ...]] = [(w, *(weekly[n].get(i, 0) for n in names)) for i, w in enumerate(weeks)]
    new_teachers, first_learners = repo.newcomers(team_id, start, end)
    active, members = repo.took_part(team_id, start, end)
    share = f"{100 * active / members:.1f}%" if members else "–"
    return Section(
        "participation",
        "Participation",
        "Who took part, week by week.",
        charts=[
            Chart(
                "lines",
                "Each week",
                weeks,
                [(n.capitalize(), [int(r[1 + k]) for r in rows]) for k, n in enumerate(names)],
            )
        ],
        tables=[
            Table(
                "participation_weekly",
                "Each week",
                ("Week of", "Learners", "Teachers", "Sessions", "Kudos", "Endorsements"),
                rows,
            ),
            Table(
                "participation",
                "In the period",
                ("Measure", "Value"),
                [
                    ("New teachers", new_teachers),
                    ("First-time learners", learners(first_learners)),
                    ("Members who took part", active),
                    ("Share of members who took part", share),
                ],
            ),
        ],
    )


def people(repo: InsightsRepo, team_id: str, start: datetime, end: datetime) -> Section:
    hosts = repo.teachers(team_id, start, end)
    topics = repo.topics_taught([h[0] for h in hosts[:200]])
    rows: list[tuple[Cell, ...]] = [
        (name or user, ", ".join(topics.get(mid, [])[:5]), held, endorsed) for mid, user, name, held, endorsed in hosts
    ]
    total = sum(h[3] for h in hosts)
    top = math.ceil(len(hosts) / 10)
    share = f"{100 * sum(h[3] for h in hosts[:top]) / total:.0f}%" if total else "–"
    top_rows = rows[:10]
    return Section(
        "people",
        "People who teach",
        "Teachers by name, as on /learn: sessions they held in the period and the endorsements they got.",
        charts=[
            Chart(
                "bars",
                "Sessions held, top teachers",
                [str(r[0]) for r in top_rows],
                [("Sessions", [int(r[2]) for r in top_rows])],
            )
        ],
        tables=[
            Table("teachers", "Teachers", ("Teacher", "Topics", "Sessions held", "Endorsements"), rows[:200]),
            Table(
                "load",
                "How evenly teaching is spread",
                ("Measure", "Value"),
                [("Teachers who held a session", len(hosts)), ("Share of sessions held by the top 10%", share)],
            ),
        ],
    )


def week_labels(start: datetime, end: datetime) -> list[str]:
    count = max(1, math.ceil((end - start).days / 7))
    return [(start + timedelta(days=7 * i)).date().isoformat() for i in range(count)]
