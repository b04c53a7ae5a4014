"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched, printable, and coloured by CSS
variables so they follow the page's light or dark theme. Each chart sits beside a table with the same numbers."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.insights.report import Chart

WIDTH = 640
BAR = 14  # height of one bar
GAP = 6
LABEL = 170  # room for a topic's name left of the bars
PLOT_HEIGHT = 200


def render(chart: Chart) -> Markup:
    """The chart as an <svg> element (role img, titled), or a note when there is nothing to draw."""
    if not chart.labels or not any(v for _, values in chart.series for v in values if v):
        return Markup('<p class="empty">Nothing to draw for this period yet.</p>')
    return bars(chart) if chart.kind == "bars" else lines(chart)


def _legend(chart: Chart, y: int) -> str:
    parts = []
    for k, (name, _) in enumerate(chart.series):
        x = 10 + 150 * k
        parts.append(
            f'<rect class="s{k}" x="{x}" y="{y}" width="10" height="10"/>'
            f'<text x="{x + 14}" y="{y + 9}" class="legend">{escape(name)}</text>'
        )
    return "".join(parts)


def bars(chart: Chart) -> Markup:
    """Horizontal bars, one group per label (a topic, a stage of the flow, a teacher)."""
    peak = max((v or 0) for _, values in chart.series for v in values) or 1
    group = BAR * len(chart.series) + GAP
    height = group * len(chart.labels) + 30
    room = WIDTH - LABEL - 50
    out = [_open(chart, height)]
    for i, label in enumerate(chart.labels):
        top = 4 + i * group
        out.append(
            f'<text class="label" x="{LABEL - 6}" y="{top + BAR - 3}" text-anchor="end">{escape(_short(label))}</text>'
        )
        for k, (_, values) in enumerate(chart.series):
            value = values[i]
            y = top + k * BAR
            if value is None:  # a hidden small count: say so instead of drawing it
                out.append(f'<text class="value" x="{LABEL + 4}" y="{y + BAR - 3}">&lt;3</text>')
                continue
            width = max(1.0, room * value / peak) if value else 0.0
            out.append(
                f'<rect class="bar s{k}" x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR - 2}">'
                f"<title>{escape(label)}: {value}</title></rect>"
                f'<text class="value" x="{LABEL + width + 4:.1f}" y="{y + BAR - 3}">{value}</text>'
            )
    if len(chart.series) > 1:
        out.append(_legend(chart, height - 16))
    out.append("</svg>")
    return Markup("".join(out))


def lines(chart: Chart) -> Markup:
    """One line per series over the weeks, with a y axis from 0 to the largest value."""
    peak = max((v or 0) for _, values in chart.series for v in values) or 1
    left, right, top = 40, 10, 10
    room = WIDTH - left - right
    steps = max(1, len(chart.labels) - 1)
    height = PLOT_HEIGHT + 60

    def x(i: int) -> float:
        return left + room * i / steps

    def y(v: int) -> float:
        return top + PLOT_HEIGHT * (1 - v / peak)

    out = [_open(chart, height)]
    for tick in (0, peak // 2, peak):
        out.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="value" x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    every = max(1, len(chart.labels) // 6)
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            out.append(
                f'<text class="label" x="{x(i):.1f}" y="{top + PLOT_HEIGHT + 16}" text-anchor="middle">'
                f"{escape(label[5:])}</text>"
            )
    for k, (name, values) in enumerate(chart.series):
        points = " ".join(f"{x(i):.1f},{y(v or 0):.1f}" for i, v in enumerate(values))
        out.append(f'<polyline class="line s{k}" points="{points}"><title>{escape(name)}</title></polyline>')
    out.append(_legend(chart, height - 16))
    out.append("</svg>")
    return Markup("".join(out))


def _open(chart: Chart, height: int) -> str:
    return (
        f'<svg class="chart" data-kind="{chart.kind}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(chart.title)}</title>'
    )


def _short(label: str, size: int = 26) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"
