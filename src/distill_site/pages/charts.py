"""Charts of figures from the data file: bar charts, the timeline, a period to scale.

Each kind has three parts: ``read_*`` checks the fields a page declared for
it (``declaration.Reader``), ``draw_*`` turns that declaration and the facts
into an ``svg.Chart``, ``*_figures`` names the figures it shows (for the
numbers page's "used on" column). Every number shown comes from
``format_figure`` / ``format_value``; every word from the page's
declaration or the data file. The words the drawing adds itself describe
its shape for screen readers ("Horizontal bar chart ...") and are used only
when the page gives no ``description``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import syntax
from ..facts.formatting import format_figure, format_value
from . import svg, timeline_view
from .presentation import event_when, plain_text, stated_by
from .svg import LINE, MARGIN, SMALL, TEXT, WIDTH, clip, text_width, wrap

NUMBERS = ("count", "ratio", "duration")


# --- Bar chart: one figure per bar ----------------------------------------------

@dataclass(frozen=True)
class Bar:
    figure: str
    label: str
    highlight: bool  # drawn in the key colour, set apart from the bars above it


@dataclass(frozen=True)
class BarChart:
    columns: tuple[str, str, str]  # the text version's headings: what a bar is, its value, who states it
    derived_note: str | None  # added to the caption when a bar shows a derived figure (drawn dashed)
    bars: tuple[Bar, ...]


BAR_CHART_FIELDS = {"columns": True, "derived note": False, "bars": True}


def read_bar_chart(read, entry) -> BarChart:
    bars, kinds = [], set()
    for number, (item, line) in enumerate(read.entries(entry, "bars", "the bar chart"), 1):
        what = f"bar {number}"
        read.fields(item, {"figure": True, "label": True, "highlight": False}, what, line)
        figure = read.figure(item, "figure", what, NUMBERS)
        kinds.add(figure.kind)
        if len(kinds) > 1:
            read.fail(item.line_of("figure"), f"{what} shows a {figure.kind}, but the bars above show a "
                      f"{sorted(kinds - {figure.kind})[0]}", "one chart, one kind of figure: the bars share a scale")
        if figure.is_derived and "derived note" not in entry:
            read.fail(item.line_of("figure"), f"{what} shows '{figure.id}', a derived figure, which is drawn "
                      "dashed, but the chart says nowhere what a dashed bar means",
                      "add 'derived note: …', a sentence the caption gets whenever a bar is dashed")
        bars.append(Bar(figure.id, read.words(item, "label", what), read.flag(item, "highlight", what)))
    return BarChart(read.texts(entry, "columns", "the bar chart", 3),
                    read.words(entry, "derived note", "the bar chart"), tuple(bars))


def bar_chart_figures(chart: BarChart, facts) -> list[str]:
    return [bar.figure for bar in chart.bars]


def draw_bar_chart(declared, facts) -> svg.Chart:
    """Horizontal bars, one per figure, on a linear scale from zero."""
    chart: BarChart = declared.details
    rows = [(facts.figures[bar.figure], bar.label, format_figure(facts.figures[bar.figure]), bar.highlight)
            for bar in chart.bars]

    x0, right, bar_height = MARGIN + 1, WIDTH - MARGIN, 18
    largest = max(figure.value for figure, _, _, _ in rows)
    length = right - x0  # the longest bar spans the drawing; the scale is linear from zero

    body, y = [], 4.0
    for figure, name, label, highlight in rows:
        if highlight:
            y += 10  # set the highlighted bar apart from the ones above it
        names = wrap(name, right - MARGIN, TEXT, bold=True)
        body += svg.lines(MARGIN, y + TEXT, names, "chart-text chart-text--strong")
        # The value sits at the right end of the name's last line, or on a line of its own.
        room = right - MARGIN - text_width(names[-1], TEXT, bold=True) - 12
        value_y = y + TEXT + (len(names) - 1) * LINE
        if text_width(label, TEXT) > room:
            value_y += LINE
        body.append(svg.text(right, value_y, label, "chart-text chart-value", TEXT, "end"))
        top = value_y + 7
        width = length * figure.value / largest if largest else 0
        if figure.value and width < 1:
            width = 1  # a non-zero value stays visible
        cls = "chart-bar"
        if highlight:
            cls += " chart-bar--key"
        elif figure.is_derived:
            cls += " chart-bar--derived"
        body.append(svg.rect(x0, top, width, bar_height, cls))
        y = top + bar_height + 14
    zero = svg.line(x0 - 0.5, 4 + TEXT + 4, x0 - 0.5, y - 10, "chart-axis")
    body.insert(0, zero)

    said = "; ".join(f"{name}: {label}" for _, name, label, _ in rows)
    caption = declared.caption
    if any(figure.is_derived for figure, _, _, _ in rows):
        caption += " " + chart.derived_note
    return svg.Chart(
        kind="bar",
        title=declared.title,
        desc=declared.description
        or f"Horizontal bar chart on a linear scale starting at zero. {chart.columns[1]}: {said}.",
        height=y - 4,
        body=body,
        caption=caption,
        summary=declared.summary,
        alternative=svg.table(list(chart.columns),
                              [[name, label, stated_by(facts, figure)] for figure, name, label, _ in rows]),
    )


# --- Timeline: every event of the data file's timeline ----------------------------

SPAN = "{span}"  # in a timeline's texts: the months it covers, "January 2025 to June 2026"


@dataclass(frozen=True)
class Timeline:
    columns: tuple[str, str, str]  # the table's headings: when, what happened, reported by
    shorten_at: tuple[str, ...]  # an event's text is cut before the first of these, for the drawing
    drawing_caption: str | None  # the drawing's caption (SVG file, embed page), if not the page's


TIMELINE_FIELDS = {"columns": True, "shorten at": False, "drawing caption": False}


def read_timeline(read, entry) -> Timeline:
    if not read.facts.timeline:
        read.fail(entry.line_of("type"), "a timeline draws the events under 'timeline:' in the data file, "
                  "and it has none", "add the events to the data file, or remove the timeline")
    cuts = entry.get("shorten at", [])
    if not isinstance(cuts, list) or not all(isinstance(c, str) and c for c in cuts):
        read.fail(entry.line_of("shorten at"), "'shorten at' of the timeline must be a list of texts in quotes, "
                  "like [\"; \", \" (\"]", "quote each one: the spaces around it count")
    return Timeline(read.texts(entry, "columns", "the timeline", 3), tuple(cuts),
                    read.words(entry, "drawing caption", "the timeline", (SPAN,)))


def timeline_figures(chart: Timeline, facts) -> list[str]:
    """Its events' date figures, and the figures their texts name (its page shows those too)."""
    named = {syntax.parse_figure(m["body"], facts.figures).key for e in facts.timeline
             for m in syntax.REFERENCE.finditer(e.text) if not syntax.TYPED.fullmatch(m["body"])}
    return sorted(named | {m.figure for e in facts.timeline for m in (e.when, e.until) if m and m.figure})


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _span(event) -> tuple[dt.date, dt.date, str]:
    """First and last day an event covers, and how it is drawn: day, month or range."""
    start = event.when.date
    if event.until:
        end = _month_end(event.until.date) if event.until.month_only else event.until.date
        return start, end, "range"
    if event.when.month_only:
        return start, _month_end(start), "month"
    return start, start, "day"


def gist(text: str, cuts: tuple[str, ...]) -> str:
    """The main clause of an event's text, for the drawing: cut before the first of
    ``cuts`` that leaves at least 30 characters; the table has it all."""
    text = " ".join(text.split())
    for separator in cuts:
        cut = text.find(separator)
        if cut >= 30:
            text = text[:cut]
    return text.rstrip(" .,;:")


def _mark(kind: str, x1: float, x2: float, y: float) -> str:
    if kind == "day":
        return svg.circle((x1 + x2) / 2, y, 4.5, "chart-mark chart-mark--day")
    cls = "chart-mark chart-mark--range" if kind == "range" else "chart-mark chart-mark--month"
    return svg.rect(x1, y - 4, max(x2 - x1, 4), 8, cls, rx=2)


def _events(facts) -> list:
    """The timeline's events in order: by first day, then by last."""
    return sorted(facts.timeline, key=lambda e: (e.when.date, _span(e)[1]))


def _months_covered(events) -> tuple[dt.date, dt.date]:
    spans = [_span(e) for e in events]
    return _month_start(min(s for s, _, _ in spans)), _month_end(max(e for _, e, _ in spans))


def show_timeline(declared, page, ident: str) -> str:
    """The timeline on its page: one table, each event once and in full (timeline_view)."""
    events = _events(page.facts)
    first, last = _months_covered(events)
    months = f"{format_value('date', first, 'month')} to {format_value('date', last, 'month')}"
    return timeline_view.events_table(page, ident, events, declared.title.replace(SPAN, months),
                                      declared.caption.replace(SPAN, months), declared.details.columns)


def draw_timeline(declared, facts) -> svg.Chart:
    """Every timeline event, for the SVG file and the embed page: a strip drawn to
    scale, then the events in order, each in short (its page shows them in full)."""
    chart: Timeline = declared.details
    events = _events(facts)
    spans = [_span(e) for e in events]
    first, last = _months_covered(events)
    x0, x1 = MARGIN + 4, WIDTH - MARGIN - 4
    days = (last - first).days + 1

    def x(day: dt.date) -> float:
        return x0 + (day - first).days / days * (x1 - x0)

    # Lanes: an event goes in the first lane where it does not touch the one before.
    lanes: list[float] = []
    placed = []
    for start, end, kind in spans:
        left, right = x(start), x(end + dt.timedelta(days=1))
        if kind == "day":
            left, right = left - 5, left + 5
        for lane, edge in enumerate(lanes):
            if left > edge + 2:
                lanes[lane] = right
                break
        else:
            lane = len(lanes)
            lanes.append(right)
        placed.append((lane, start, end, kind))

    body = []
    lane_height, top = 12, 6
    axis = top + len(lanes) * lane_height + 4
    for lane, start, end, kind in placed:
        y = axis - 8 - lane * lane_height
        a, b = x(start), x(end + dt.timedelta(days=1))
        if kind == "day":
            a = b = x(start) + (b - a) / 2
        body.append(_mark(kind, a, b, y))
    body.insert(0, svg.line(x0, axis, x1, axis, "chart-axis"))
    month = first
    ticks = []
    while month <= last:
        big = month.month == 1 or month == first
        ticks.append(svg.line(x(month), axis, x(month), axis + (8 if big else 4), "chart-tick"))
        month = _month_end(month) + dt.timedelta(days=1)
    ticks.append(svg.line(x1, axis, x1, axis + 8, "chart-tick"))
    body[1:1] = ticks

    # Axis labels: the first and the last month, and each January between, on a
    # second row (with a longer tick) when the first row has no room for it.
    label_y = axis + 8 + SMALL + 2
    start_label = format_value("date", first, "month")
    end_label = format_value("date", last, "month")
    muted = "chart-text chart-text--muted"
    body.append(svg.text(x0, label_y, start_label, muted, SMALL))
    body.append(svg.text(x1, label_y, end_label, muted, SMALL, "end"))
    rows = [[(x0, x0 + text_width(start_label, SMALL)), (x1 - text_width(end_label, SMALL), x1)]]
    for year in range(first.year + 1, last.year + 1):
        january = dt.date(year, 1, 1)
        text = format_value("date", january, "month")
        width = text_width(text, SMALL)
        centre = min(max(x(january), x0 + width / 2), x1 - width / 2)
        span = (centre - width / 2, centre + width / 2)
        for row, taken in enumerate(rows + [[]]):
            if all(span[1] + 6 < a or span[0] - 6 > b for a, b in taken):
                break
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        y = label_y + row * (SMALL + 4)
        if row:
            body.append(svg.line(x(january), axis + 8, x(january), y - SMALL, "chart-tick"))
        body.append(svg.text(centre, y, text, muted, SMALL, "middle"))
    label_y += (len(rows) - 1) * (SMALL + 4)

    # The events in order, along a vertical line, with the gist of each.
    y = label_y + 28
    line_x, text_x = MARGIN + 8, MARGIN + 26
    list_top = y - 8
    items = []
    for event, (start, end, kind) in zip(events, spans):
        when = event_when(facts, event)
        room = WIDTH - text_x - MARGIN
        words = clip(wrap(gist(plain_text(facts, event.text), chart.shorten_at), room, TEXT), 3, room, TEXT)
        if kind == "day":
            items.append(svg.circle(line_x, y - 4.5, 5, "chart-mark chart-mark--day"))
        else:
            items.append(_mark(kind, line_x - 7, line_x + 7, y - 4.5))
        items.append(svg.text(text_x, y, when, "chart-text chart-text--strong chart-text--key", SMALL))
        items += svg.lines(text_x, y + LINE, words)
        y += LINE * (len(words) + 1) + 10
    body.append(svg.line(line_x, list_top, line_x, y - LINE * 2, "chart-axis"))
    body += items

    months = f"{start_label} to {end_label}"
    desc = declared.description or (
        f"Timeline from {months}, drawn to scale on a strip and then listed in order. "
        + " ".join(f"{event_when(facts, e)}: {gist(plain_text(facts, e.text), chart.shorten_at)}." for e in events))
    return svg.Chart(
        kind="timeline",
        title=declared.title.replace(SPAN, months),
        desc=desc.replace(SPAN, months),
        height=y - 6,
        body=body,
        caption=(chart.drawing_caption or declared.caption).replace(SPAN, months),
        summary=declared.summary,
        alternative=svg.table(list(chart.columns),
                              [[event_when(facts, e), plain_text(facts, e.text),
                                "; ".join(facts.sources[s].short for s in e.sources)] for e in events]),
    )


# --- Period: one period to scale, and the dates around it ---------------------------

@dataclass(frozen=True)
class Dates:
    label: str
    first: str  # a date figure's key
    last: str | None  # a date figure's key, for a range
    length: str | None = None  # a duration figure's key (the period only)


@dataclass(frozen=True)
class Period:
    columns: tuple[str, str]  # the table's headings: what, when
    period: Dates
    events: tuple[Dates, ...]


PERIOD_FIELDS = {"columns": True, "period": True, "events": True}
DATES = ("date",)


def read_period(read, entry) -> Period:
    what = "the period"
    period = read.fields(entry["period"], {"label": True, "from": True, "to": True, "length": False},
                         what, entry.line_of("period"))
    main = Dates(read.words(period, "label", what), read.figure(period, "from", what, DATES).id,
                 read.figure(period, "to", what, DATES).id,
                 getattr(read.figure(period, "length", what, ("duration",)), "id", None))
    events = []
    for number, (item, line) in enumerate(read.entries(entry, "events", "the period chart"), 1):
        what = f"event {number}"
        read.fields(item, {"label": True, "from": True, "to": False}, what, line)
        last = read.figure(item, "to", what, DATES)
        events.append(Dates(read.words(item, "label", what), read.figure(item, "from", what, DATES).id,
                            last.id if last else None))
    return Period(read.texts(entry, "columns", "the period chart", 2), main, tuple(events))


def period_figures(chart: Period, facts) -> list[str]:
    keys = []
    for dates in (chart.period, *chart.events):
        keys += [k for k in (dates.first, dates.last, dates.length) if k]
    return keys


def draw_period(declared, facts) -> svg.Chart:
    """One period drawn to scale as a bar, with the dates or ranges around it on the same scale."""
    chart: Period = declared.details
    figures = facts.figures
    start, end = figures[chart.period.first], figures[chart.period.last]
    length = figures[chart.period.length] if chart.period.length else None
    # Days only ("June 10") where the year is the period's; else the whole date.
    year = start.value.year

    def day(figure) -> str:
        return format_figure(figure, "day" if figure.value.year == year else None)

    after = []
    for dates in chart.events:
        first = figures[dates.first]
        last = figures[dates.last] if dates.last else None
        when = day(first) + (f" to {day(last)}" if last else "")
        after.append((first.value, (last or first).value, dates.label, when))

    begin = min([start.value] + [a for a, _, _, _ in after])
    finish = max([end.value] + [b for _, b, _, _ in after]) + dt.timedelta(days=1)
    x0, x1 = MARGIN + 4, WIDTH - MARGIN - 4
    days = max((finish - begin).days, 1)

    def x(when: dt.date) -> float:
        return x0 + (when - begin).days / days * (x1 - x0)

    body = []
    bar_left, bar_right = x(start.value), x(end.value + dt.timedelta(days=1))
    title = chart.period.label + (f": {format_figure(length)}" if length else "")
    body.append(svg.text(bar_left, 18, title, "chart-text chart-text--strong"))
    body.append(svg.rect(bar_left, 26, bar_right - bar_left, 20, "chart-bar chart-bar--key"))
    axis = 54
    body.append(svg.line(x0, axis, x1, axis, "chart-axis"))
    body.append(svg.text(bar_left, axis + 18, day(start), "chart-text chart-text--muted", SMALL))
    body.append(svg.text(bar_right, axis + 18, day(end), "chart-text chart-text--muted", SMALL, "end"))

    row = axis + 44
    for first, last, name, when in after:
        left, right = x(first), x(last + dt.timedelta(days=1))
        middle = (left + right) / 2
        label = f"{name}, {when}"
        width = text_width(label, TEXT)
        body.append(svg.line(middle, axis, middle, row - 4, "chart-leader"))
        if first == last:
            body.append(svg.circle(middle, axis, 5, "chart-mark chart-mark--day"))
        else:
            body.append(svg.rect(left, axis - 4, max(right - left, 6), 8, "chart-mark chart-mark--range", rx=2))
        if width <= middle - 6 - MARGIN:
            body.append(svg.text(middle - 6, row, label, "chart-text chart-halo", TEXT, "end"))
        elif middle + 6 + width <= WIDTH - MARGIN:
            body.append(svg.text(middle + 6, row, label, "chart-text chart-halo"))
        else:
            body.append(svg.text(MARGIN, row, label, "chart-text chart-halo"))
        row += LINE + 6

    window = f"{format_figure(start)} to {format_figure(end)}"
    if length:
        window += f" ({format_figure(length)})"
    others = "; ".join(f"{name}: {when}" for _, _, name, when in after)
    return svg.Chart(
        kind="period",
        title=declared.title,
        desc=declared.description
        or f"A period drawn to scale, with the dates around it. {chart.period.label}: {window}. {others}.",
        height=row - LINE,
        body=body,
        caption=declared.caption,
        summary=declared.summary,
        alternative=svg.table(list(chart.columns),
                              [[chart.period.label, window]] + [[name, when] for _, _, name, when in after]),
    )
