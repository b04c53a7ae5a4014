"""The dashboard as HTML and its tables as CSV; the web app, the `peerlearn insights` command and the console trial
all render through here, so the file and the served page are the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.insights import charts
from bot.insights.report import PERIODS, Report, Table

_env = Environment(loader=PackageLoader("bot.insights", "templates"), autoescape=select_autoescape(default=True))


def page(
    report: Report,
    *,
    user: str | None = None,
    csrf: str | None = None,
    link: Callable[[str], str] | None = None,
    csv_link: Callable[[str], str] | None = None,
    built: datetime | None = None,
) -> str:
    """The whole dashboard; without `link` it is a static file (no period links, no downloads, no sign-out)."""

    def table(t: Table) -> Markup:
        return Markup(_env.get_template("table.html").render(t=t, csv=csv_link))

    return _env.get_template("insights.html").render(
        report=report,
        user=user,
        csrf=csrf,
        static=link is None,
        link=link,
        periods=[(key, label) for key, (label, _) in PERIODS.items()],
        draw=charts.render,
        table=table,
        built=f"{built:%Y-%m-%d %H:%M} UTC" if built else None,
    )


def message(title: str, text: str, *, retry: str | None = None, people: Sequence[str] = ()) -> str:
    """A short page for a refusal or an error: what happened, and what to do."""
    return _env.get_template("message.html").render(title=title, message=text, retry=retry, people=list(people))


def as_csv(t: Table) -> str:
    """The table's rows as the page shows them (hidden small counts stay hidden)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(t.columns)
    writer.writerows(t.rows)
    return out.getvalue()
