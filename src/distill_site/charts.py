"""SVG charts and diagrams drawn from the data at build time (see blocks.BLOCKS).

Each chart is a function of the facts that returns one ``<figure>``: an
inline SVG (``role="img"``, with ``<title>`` and ``<desc>``) and a
``<figcaption>`` that holds the same information as text, in a ``<details>``
table or list. The blocks put that HTML in the page's raw-HTML stash, so
Python-Markdown emits it as a block and never wraps it in a ``<p>``.

Rules that keep the charts honest and portable:

- every number shown comes from ``format_figure`` / ``format_value``;
- every text is escaped: the data file is edited by hand;
- no colour in the SVG: shapes carry classes, styled in
  ``overrides/assets/stylesheets/charts.css`` with Material's colour
  variables, so light, dark and print each get their own;
- sizes are viewBox units: drawings are ``WIDTH`` units wide and CSS shows
  them at the column's width up to 27em, so 15-unit text is about 13.7 px on
  a 360-pixel phone and 18 px on a desktop; text is wrapped here, with a
  per-character width estimate;
- the output depends on the facts only: same data, byte-identical HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html import escape as html_escape

from markdown.util import ETX, STX

from . import syntax
from .blocks import block
from .errors import SiteError
from .formatting import format_figure, format_value


def escape(text: str, quote: bool = True) -> str:
    """Text for the chart's HTML. The chart is raw HTML (Markdown never reads it),
    but Python-Markdown's placeholder characters would still be acted on."""
    return html_escape(text.replace(STX, "\ufffd").replace(ETX, "\ufffd"), quote=quote)


WIDTH = 360  # viewBox width of every drawing
MARGIN = 8
TEXT = 15  # body text size, viewBox units
SMALL = 14  # the smallest text used
LINE = 19  # line height for TEXT


# --- Text measuring and wrapping ------------------------------------------

_NARROW = set("iIjl.,;:'’‘!|")
_SEMI = set(" ftr()[]-–—“”\"/")
_WIDE = set("mwMW")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of the width of ``text`` in a sans-serif font."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.26
        elif char in _SEMI:
            em += 0.34
        elif char in _WIDE:
            em += 0.86
        elif char.isupper():
            em += 0.68
        else:
            em += 0.56
    return em * size * (1.08 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a long word overflows)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


# --- SVG and HTML pieces ----------------------------------------------------

def _num(value: float) -> str:
    """A coordinate rounded to a tenth, written the same way every time."""
    value = round(float(value), 1) + 0.0  # no "-0.0"
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _num(value)
        parts.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def _text(x, y, content: str, cls: str = "chart-text", size: float = TEXT,
          anchor: str = "start") -> str:
    attrs = {"x": x, "y": y, "class": cls, "font-size": size,
             "text-anchor": None if anchor == "start" else anchor}
    return f"<text{_attrs(attrs)}>{escape(content, quote=False)}</text>"


def _lines(x, y, lines: list[str], cls: str = "chart-text", size: float = TEXT,
           anchor: str = "start", step: float = LINE) -> list[str]:
    return [_text(x, y + i * step, line, cls, size, anchor) for i, line in enumerate(lines)]


def _rect(x, y, width, height, cls: str, rx=None) -> str:
    return f"<rect{_attrs({'x': x, 'y': y, 'width': max(width, 0), 'height': height, 'rx': rx, 'class': cls})}/>"


def _line(x1, y1, x2, y2, cls: str) -> str:
    return f"<line{_attrs({'x1': x1, 'y1': y1, 'x2': x2, 'y2': y2, 'class': cls})}/>"


def _circle(cx, cy, r, cls: str) -> str:
    return f"<circle{_attrs({'cx': cx, 'cy': cy, 'r': r, 'class': cls})}/>"


def _path(d: str, cls: str) -> str:
    return f"<path{_attrs({'d': d, 'class': cls})}/>"


def _arrow_down(x, y1, y2, cls: str = "chart-arrow") -> list[str]:
    """A vertical arrow from y1 to y2, its head drawn as a path (no marker ids)."""
    head = f"M{_num(x - 5)} {_num(y2 - 8)}L{_num(x)} {_num(y2)}L{_num(x + 5)} {_num(y2 - 8)}Z"
    return [_line(x, y1, x, y2 - 6, cls), _path(head, cls + "head")]


@dataclass
class Chart:
    """What a chart function hands to ``render_figure``."""

    kind: str  # the CSS modifier: chart--<kind>
    title: str
    desc: str
    height: float
    body: list[str]
    caption: str  # plain text
    summary: str  # the <details> summary
    alternative: str  # HTML: the same information as a table or list
    notes: list[str] = field(default_factory=list)


def render_figure(chart: Chart, ident: str) -> str:
    """The chart as one ``<figure>``; ``ident`` makes its ids unique on the page."""
    height = _num(chart.height)
    svg = [
        f'<svg class="chart__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc"'
        f' fill="currentColor" font-size="{TEXT}">',
        f'<title id="{ident}-title">{escape(chart.title, quote=False)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.desc, quote=False)}</desc>',
        *chart.body,
        "</svg>",
    ]
    caption = [f"<p>{escape(chart.caption, quote=False)}</p>"]
    caption += [f"<p>{escape(note, quote=False)}</p>" for note in chart.notes]
    return "\n".join([
        f'<figure class="chart chart--{chart.kind}" id="{ident}">',
        *svg,
        "<figcaption>",
        *caption,
        f'<details class="chart__data"><summary>{escape(chart.summary, quote=False)}</summary>',
        chart.alternative,
        "</details>",
        "</figcaption>",
        "</figure>",
    ])


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain HTML table of texts (escaped here)."""
    head = "".join(f'<th scope="col">{escape(h, quote=False)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c, quote=False)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"


# --- Reading the facts --------------------------------------------------------

def _figure(facts, key: str, chart: str, kinds: tuple[str, ...]):
    figure = facts.figures.get(key)
    if figure is None:
        raise SiteError(facts.path, None, f"the {chart} chart needs the figure '{key}', which is missing",
                        f"add '{key}' back, or change the chart in src/distill_site/charts.py")
    if figure.kind not in kinds:
        raise SiteError(facts.path, figure.line, f"the {chart} chart needs '{key}' to be a "
                        f"{' or '.join(kinds)}, but it is a {figure.kind}")
    return figure


def _stated_by(facts, figure) -> str:
    if figure.sources:
        return "; ".join(facts.sources[s].short for s in figure.sources)
    inputs = ", ".join(facts.figures[k].label for k in figure.derive.inputs)
    return f"Our calculation from: {inputs}"


def plain_text(facts, text: str) -> str:
    """A data-file text with its ``{{ fig:... }}`` / ``{{ typed:... }}`` replaced by words."""
    def replace(match):
        body = match["body"]
        typed = syntax.TYPED.fullmatch(body)
        if typed:
            return typed["text"]
        ref = syntax.parse_figure(body, facts.figures)
        return format_figure(facts.figures[ref.key], ref.variant, qualified=ref.qualified)
    return syntax.REFERENCE.sub(replace, text or "").replace("\\{{", "{{")


# --- Scale: exchanges per campaign ------------------------------------------

# (figure key, name in the chart); the last row is the campaign the site is about.
SCALE_ROWS = (
    ("deepseek_exchanges", "DeepSeek"),
    ("moonshot_exchanges", "Moonshot AI"),
    ("minimax_exchanges", "MiniMax"),
    ("february_total", "The three February campaigns combined"),
    ("alibaba_exchanges", "Alleged Alibaba-linked campaign"),
)
SCALE_KEY_ROW = "alibaba_exchanges"


def _derived_note(figure) -> str:
    return " (our sum)" if figure.derive.op == "sum" else " (our calculation)"


def _scale_chart(facts) -> Chart:
    """Horizontal bars, one per campaign, on a linear scale from zero."""
    rows = []
    for key, name in SCALE_ROWS:
        figure = _figure(facts, key, "scale", ("count",))
        if figure.is_derived:
            name += _derived_note(figure)
        rows.append((figure, name, format_figure(figure)))

    x0, right, bar_height = MARGIN + 1, WIDTH - MARGIN, 18
    largest = max(figure.value for figure, _, _ in rows)
    length = right - x0  # the longest bar spans the drawing; the scale is linear from zero

    body, y = [], 4.0
    for figure, name, label in rows:
        if figure.id == SCALE_KEY_ROW:
            y += 10  # set the alleged campaign apart from the February group
        names = wrap(name, right - MARGIN, TEXT, bold=True)
        body += _lines(MARGIN, y + TEXT, names, "chart-text chart-text--strong")
        # The value sits at the right end of the name's last line, or on a line of its own.
        room = right - MARGIN - text_width(names[-1], TEXT, bold=True) - 12
        value_y = y + TEXT + (len(names) - 1) * LINE
        if text_width(label, TEXT) > room:
            value_y += LINE
        body.append(_text(right, value_y, label, "chart-text chart-value", TEXT, "end"))
        top = value_y + 7
        width = length * figure.value / largest if largest else 0
        if figure.value and width < 1:
            width = 1  # a non-zero value stays visible
        cls = "chart-bar"
        if figure.id == SCALE_KEY_ROW:
            cls += " chart-bar--key"
        elif figure.is_derived:
            cls += " chart-bar--derived"
        body.append(_rect(x0, top, width, bar_height, cls))
        y = top + bar_height + 14
    zero = _line(x0 - 0.5, 4 + TEXT + 4, x0 - 0.5, y - 10, "chart-axis")
    body.insert(0, zero)

    said = "; ".join(f"{name}: {label}" for _, name, label in rows)
    derived = [name for figure, name, _ in rows if figure.is_derived]
    caption = ("Exchanges with Claude in each campaign Anthropic alleges: the three named in its "
               "February disclosure, and the alleged Alibaba-linked campaign. The bars are drawn "
               "to a linear scale that starts at zero.")
    if derived:
        caption += " The dashed bar is our own arithmetic from the reported figures."
    return Chart(
        kind="scale",
        title="Exchanges with Claude, campaign by campaign",
        desc=f"Horizontal bar chart on a linear scale starting at zero. Exchanges: {said}.",
        height=y - 4,
        body=body,
        caption=caption,
        summary="The numbers in this chart",
        alternative=_table(["Campaign", "Exchanges", "Stated by"],
                           [[name, label, _stated_by(facts, figure)] for figure, name, label in rows]),
    )


# --- Timeline -------------------------------------------------------------------

def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _moment_text(facts, moment) -> str:
    if moment.figure:
        return format_figure(facts.figures[moment.figure])
    return format_value("date", moment.date, "month" if moment.month_only else "long")


def event_when(facts, event) -> str:
    """"June 10, 2026", "June 2026" or "April 22 to June 5, 2026"."""
    if not event.until:
        return _moment_text(facts, event.when)
    start, end = event.when, event.until
    if not start.month_only and not end.month_only and start.date.year == end.date.year:
        return f"{format_value('date', start.date, 'day')} to {_moment_text(facts, end)}"
    return f"{_moment_text(facts, start)} to {_moment_text(facts, end)}"


def _span(event) -> tuple[dt.date, dt.date, str]:
    """First and last day an event covers, and how it is drawn: day, month or range."""
    start = event.when.date
    if event.until:
        end = _month_end(event.until.date) if event.until.month_only else event.until.date
        return start, end, "range"
    if event.when.month_only:
        return start, _month_end(start), "month"
    return start, start, "day"


def gist(text: str) -> str:
    """The main clause of an event's text, for the chart; the table has it all."""
    text = " ".join(text.split())
    for separator in ("; ", " (", ", although ", ", ahead of ", ", according to ", " and warns "):
        cut = text.find(separator)
        if cut >= 30:
            text = text[:cut]
    return text.rstrip(" .,;:")


def clip(lines: list[str], most: int, width: float, size: float) -> list[str]:
    """At most ``most`` lines; a cut ends with an ellipsis at a word boundary."""
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1]
    while last and text_width(last + " …", size) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else ""
    kept[-1] = last.rstrip(" ,;:") + "…"
    return kept


def _mark(kind: str, x1: float, x2: float, y: float) -> str:
    if kind == "day":
        return _circle((x1 + x2) / 2, y, 4.5, "chart-mark chart-mark--day")
    cls = "chart-mark chart-mark--range" if kind == "range" else "chart-mark chart-mark--month"
    return _rect(x1, y - 4, max(x2 - x1, 4), 8, cls, rx=2)


def _timeline_chart(facts) -> Chart:
    """Every timeline event: a strip drawn to scale, then the events in order."""
    events = sorted(facts.timeline, key=lambda e: (e.when.date, _span(e)[1]))
    if not events:
        raise SiteError(facts.path, None, "the timeline chart needs at least one timeline event")
    spans = [_span(e) for e in events]
    first = _month_start(min(s for s, _, _ in spans))
    last = _month_end(max(e for _, e, _ in spans))
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
    body.insert(0, _line(x0, axis, x1, axis, "chart-axis"))
    month = first
    ticks = []
    while month <= last:
        big = month.month == 1 or month == first
        ticks.append(_line(x(month), axis, x(month), axis + (8 if big else 4), "chart-tick"))
        month = _month_end(month) + dt.timedelta(days=1)
    ticks.append(_line(x1, axis, x1, axis + 8, "chart-tick"))
    body[1:1] = ticks

    # Axis labels: the first and the last month, and each January between, on a
    # second row (with a longer tick) when the first row has no room for it.
    label_y = axis + 8 + SMALL + 2
    start_label = format_value("date", first, "month")
    end_label = format_value("date", last, "month")
    muted = "chart-text chart-text--muted"
    body.append(_text(x0, label_y, start_label, muted, SMALL))
    body.append(_text(x1, label_y, end_label, muted, SMALL, "end"))
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
            body.append(_line(x(january), axis + 8, x(january), y - SMALL, "chart-tick"))
        body.append(_text(centre, y, text, muted, SMALL, "middle"))
    label_y += (len(rows) - 1) * (SMALL + 4)

    # The events in order, along a vertical line, with the gist of each.
    y = label_y + 28
    line_x, text_x = MARGIN + 8, MARGIN + 26
    list_top = y - 8
    items = []
    for event, (start, end, kind) in zip(events, spans):
        when = event_when(facts, event)
        room = WIDTH - text_x - MARGIN
        words = clip(wrap(gist(plain_text(facts, event.text)), room, TEXT), 3, room, TEXT)
        if kind == "day":
            items.append(_circle(line_x, y - 4.5, 5, "chart-mark chart-mark--day"))
        else:
            items.append(_mark(kind, line_x - 7, line_x + 7, y - 4.5))
        items.append(_text(text_x, y, when, "chart-text chart-text--strong chart-text--key", SMALL))
        items += _lines(text_x, y + LINE, words)
        y += LINE * (len(words) + 1) + 10
    body.append(_line(line_x, list_top, line_x, y - LINE * 2, "chart-axis"))
    body += items

    months = f"{start_label} to {end_label}"
    desc = (f"Timeline from {months}, drawn to scale on a strip and then listed in order. "
            + " ".join(f"{event_when(facts, e)}: {gist(plain_text(facts, e.text))}." for e in events))
    return Chart(
        kind="timeline",
        title=f"Timeline of events, {months}",
        desc=desc,
        height=y - 6,
        body=body,
        caption=(f"The events from {months}. The strip at the top is drawn to scale: a dot is a "
                 "single day, an outlined bar a month for which the reports give no day, a solid bar "
                 "a period. Below, each event in order, in short; the full text is in the table."),
        summary="The events as a table",
        alternative=_table(["When", "What happened"],
                           [[event_when(facts, e), plain_text(facts, e.text)] for e in events]),
    )


# --- The campaign window ------------------------------------------------------------

CAMPAIGN = ("campaign_start", "campaign_end", "campaign_days")
# (first day, last day or None, name) for what came after the campaign.
CAMPAIGN_AFTER = (
    ("letter_date", None, "Letter to the senators"),
    ("restrictions_date", None, "Commerce restrictions"),
    ("congress_public_start", "congress_public_end", "Congress told (PYMNTS)"),
)


def _campaign_keys() -> list[str]:
    keys = list(CAMPAIGN)
    for start, end, _ in CAMPAIGN_AFTER:
        keys += [start] + ([end] if end else [])
    return keys


def _campaign_chart(facts) -> Chart:
    """The alleged campaign's window to scale, with the letter, restrictions and reports."""
    start, end = (_figure(facts, key, "campaign", ("date",)) for key in CAMPAIGN[:2])
    length = _figure(facts, CAMPAIGN[2], "campaign", ("duration",))
    after = []
    for first_key, last_key, name in CAMPAIGN_AFTER:
        first = _figure(facts, first_key, "campaign", ("date",))
        last = _figure(facts, last_key, "campaign", ("date",)) if last_key else None
        when = format_figure(first, "day") + (f" to {format_figure(last, 'day')}" if last else "")
        after.append((first.value, (last or first).value, name, when))

    begin = min([start.value] + [a for a, _, _, _ in after])
    finish = max([end.value] + [b for _, b, _, _ in after]) + dt.timedelta(days=1)
    x0, x1 = MARGIN + 4, WIDTH - MARGIN - 4
    days = max((finish - begin).days, 1)

    def x(day: dt.date) -> float:
        return x0 + (day - begin).days / days * (x1 - x0)

    body = []
    bar_left, bar_right = x(start.value), x(end.value + dt.timedelta(days=1))
    title = f"Alleged campaign: {format_figure(length)}"
    body.append(_text(bar_left, 18, title, "chart-text chart-text--strong"))
    body.append(_rect(bar_left, 26, bar_right - bar_left, 20, "chart-bar chart-bar--key"))
    axis = 54
    body.append(_line(x0, axis, x1, axis, "chart-axis"))
    start_text, end_text = format_figure(start, "day"), format_figure(end, "day")
    body.append(_text(bar_left, axis + 18, start_text, "chart-text chart-text--muted", SMALL))
    body.append(_text(bar_right, axis + 18, end_text, "chart-text chart-text--muted", SMALL, "end"))

    row = axis + 44
    for first, last, name, when in after:
        left, right = x(first), x(last + dt.timedelta(days=1))
        middle = (left + right) / 2
        label = f"{name}, {when}"
        width = text_width(label, TEXT)
        body.append(_line(middle, axis, middle, row - 4, "chart-leader"))
        if first == last:
            body.append(_circle(middle, axis, 5, "chart-mark chart-mark--day"))
        else:
            body.append(_rect(left, axis - 4, max(right - left, 6), 8, "chart-mark chart-mark--range", rx=2))
        if width <= middle - 6 - MARGIN:
            body.append(_text(middle - 6, row, label, "chart-text chart-halo", TEXT, "end"))
        elif middle + 6 + width <= WIDTH - MARGIN:
            body.append(_text(middle + 6, row, label, "chart-text chart-halo"))
        else:
            body.append(_text(MARGIN, row, label, "chart-text chart-halo"))
        row += LINE + 6

    window = f"{format_figure(start)} to {format_figure(end)}"
    later = "; ".join(f"{name}: {when}" for _, _, name, when in after)
    return Chart(
        kind="campaign",
        title=f"The alleged campaign: {format_figure(length)}, and what followed",
        desc=(f"Time line drawn to scale. The alleged Alibaba-linked campaign ran from {window}, "
              f"{format_figure(length)}. After it: {later}."),
        height=row - LINE,
        body=body,
        caption=(f"The alleged campaign ran from {window} ({format_figure(length)}), according to "
                 "Anthropic; the letter, the restrictions and the days PYMNTS gives for the findings reaching "
                 "Congress and the public followed within weeks. "
                 "Drawn to scale: one unit of length is the same number of days throughout."),
        summary="The dates as a table",
        alternative=_table(["What", "When"],
                           [["Alleged campaign", f"{window} ({format_figure(length)})"]]
                           + [[name, when] for _, _, name, when in after]),
    )


# --- Diagrams ----------------------------------------------------------------------

def _box(y: float, title: str, detail: str, cls: str, x: float = MARGIN,
         width: float = WIDTH - 2 * MARGIN) -> tuple[list[str], float]:
    """A rounded box with a bold title and a wrapped detail; returns (svg, bottom)."""
    inner = width - 28
    titles = wrap(title, inner, TEXT + 1, bold=True)
    details = wrap(detail, inner, TEXT) if detail else []
    height = 10 + len(titles) * (LINE + 1) + len(details) * LINE + 8
    parts = [_rect(x, y, width, height, cls, rx=8)]
    parts += _lines(x + 14, y + 10 + TEXT, titles, "chart-text chart-text--strong", TEXT + 1, step=LINE + 1)
    parts += _lines(x + 14, y + 10 + TEXT + len(titles) * (LINE + 1), details)
    return parts, y + height


# (title, detail, kind of box, words on the arrow to the next box)
DISTILLATION_STEPS = (
    ("Prompts", "Many questions, written to draw out the skills the student should learn",
     "data", "sent to"),
    ("Teacher model", "A strong model, asked through its API like any customer's requests",
     "model", "answers with"),
    ("Outputs", "The teacher's written answers, sometimes with the steps it wrote out; not the likelihoods behind them",
     "data", "collected into"),
    ("Training set", "Each prompt paired with the teacher's answer",
     "data", "used to train"),
    ("Student model", "Learns to answer the way the teacher does", "model", None),
)


def _distillation_diagram(facts) -> Chart:
    """Teacher, prompts, outputs, training set, student: the flow of distillation."""
    body, y = [], 4.0
    for title, detail, kind, arrow in DISTILLATION_STEPS:
        parts, bottom = _box(y, title, detail, f"chart-node chart-node--{kind}")
        body += parts
        y = bottom
        if arrow:
            middle = WIDTH / 2
            body += _arrow_down(middle, y + 2, y + 34)
            body.append(_text(middle + 12, y + 22, arrow, "chart-text chart-text--muted", SMALL))
            y += 36
    steps = " Then: ".join(f"{t}: {d}." for t, d, _, _ in DISTILLATION_STEPS)
    items = "".join(f"<li><strong>{escape(t, quote=False)}</strong>: {escape(d, quote=False)}.</li>"
                    for t, d, _, _ in DISTILLATION_STEPS)
    return Chart(
        kind="diagram",
        title="How distillation works",
        desc=f"Flow diagram, top to bottom. {steps}",
        height=y + 4,
        body=body,
        caption=("Distillation from outside, in five steps: prompts go to the teacher model, its "
                 "written answers become a training set, and the student model learns from it. Only "
                 "answers travel; the teacher's weights are never copied. A lab distilling its own model "
                 "can also train the student on the teacher's likelihoods for every possible answer."),
        summary="The steps as text",
        alternative=f"<ol>{items}</ol>",
    )


OUTPUTS_LOCKED = ("Weights", "The billions of numbers learned in training: the model itself. "
                  "Kept behind encryption and access controls.")
OUTPUTS_EXPOSED = (
    ("Answers", "The text the model writes back to each question"),
    ("Reasoning patterns", "The steps it writes out for a problem, which may not show how it really got there"),
    ("Edge cases", "How it handles unusual, tricky or borderline requests"),
)


def _lock(x: float, y: float) -> list[str]:
    """A padlock icon, 16 by 20 units, top-left at (x, y)."""
    shackle = (f"M{_num(x + 3)} {_num(y + 9)}V{_num(y + 6)}a5 5 0 0 1 10 0V{_num(y + 9)}")
    return [_path(shackle, "chart-icon-line"), _rect(x, y + 9, 16, 11, "chart-icon", rx=2)]


def _outputs_weights_diagram(facts) -> Chart:
    """What stays locked (weights) and what the API lets out (answers and more)."""
    body, y = [], 4.0
    panel_x, panel_w = MARGIN, WIDTH - 2 * MARGIN
    # The locked panel: the model's weights.
    title, detail = OUTPUTS_LOCKED
    details = wrap(detail, panel_w - 56, TEXT)
    locked_h = 44 + (LINE + 1) + len(details) * LINE + 6
    body.append(_rect(panel_x, y, panel_w, locked_h, "chart-node chart-node--locked", rx=8))
    body.append(_text(panel_x + 14, y + 24, "Stays locked inside the company", "chart-text chart-text--muted", SMALL))
    body += _lock(panel_x + 14, y + 38)
    body.append(_text(panel_x + 42, y + 38 + TEXT + 1, title, "chart-text chart-text--strong", TEXT + 1))
    body += _lines(panel_x + 42, y + 38 + TEXT + 1 + LINE + 1, details)
    y += locked_h
    body += _arrow_down(WIDTH / 2, y + 2, y + 50)
    body += _lines(WIDTH / 2 + 12, y + 22, ["The API: questions in,", "answers out"],
                   "chart-text chart-text--muted", SMALL, step=SMALL + 3)
    y += 54
    # The exposed panel: what anyone with an account can collect.
    top = y
    parts = [_text(panel_x + 14, y + 24, "What the API exposes", "chart-text chart-text--muted", SMALL)]
    y += 34
    for name, what in OUTPUTS_EXPOSED:
        item, y = _box(y, name, what, "chart-node chart-node--data", panel_x + 10, panel_w - 20)
        parts += item
        y += 8
    body.append(_rect(panel_x, top, panel_w, y - top + 2, "chart-node chart-node--open", rx=8))
    body += parts
    y += 2
    exposed = "; ".join(f"{n}: {w}" for n, w in OUTPUTS_EXPOSED)
    alternative = (
        "<dl>"
        f"<dt>Stays locked</dt><dd><strong>{escape(title, quote=False)}</strong>: {escape(detail, quote=False)}</dd>"
        "<dt>What the API exposes</dt>"
        + "".join(f"<dd><strong>{escape(n, quote=False)}</strong>: {escape(w, quote=False)}.</dd>"
                  for n, w in OUTPUTS_EXPOSED)
        + "</dl>"
    )
    return Chart(
        kind="diagram",
        title="Outputs, not weights: what an API exposes and what stays locked",
        desc=(f"Diagram in two panels. Locked inside the company: {title}. {detail} "
              f"An arrow labelled 'The API: questions in, answers out' leads to what the API exposes: {exposed}."),
        height=y + 4,
        body=body,
        caption=("An API lets anyone with an account see a model's answers, its reasoning patterns and "
                 "how it handles edge cases. Its weights stay locked. Distillation learns from the "
                 "first and never touches the second."),
        summary="The diagram as text",
        alternative=alternative,
    )


# --- Blocks -----------------------------------------------------------------------

_FIGURE_ID = re.compile(r'<figure class="chart[^"]*" id="([^"]+)"')


def _free_id(md, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... if the page already has that chart."""
    taken = set()
    for html in md.htmlStash.rawHtmlBlocks:
        taken.update(_FIGURE_ID.findall(str(html)))
    ident, number = base, 1
    while ident in taken:
        number += 1
        ident = f"{base}-{number}"
    return ident


# block name -> the function that draws it; the block name is also the base of its ids.
DRAWINGS = {
    "chart-scale": _scale_chart,
    "chart-timeline": _timeline_chart,
    "chart-campaign": _campaign_chart,
    "diagram-distillation": _distillation_diagram,
    "diagram-outputs-weights": _outputs_weights_diagram,
}


def draw(name: str, facts, ident: str | None = None) -> str:
    """The HTML ``<figure>`` of the chart or diagram ``name``, drawn from ``facts``."""
    return render_figure(DRAWINGS[name](facts), ident or name)


def scale_chart(facts, ident: str = "chart-scale") -> str:
    return draw("chart-scale", facts, ident)


def timeline_chart(facts, ident: str = "chart-timeline") -> str:
    return draw("chart-timeline", facts, ident)


def campaign_chart(facts, ident: str = "chart-campaign") -> str:
    return draw("chart-campaign", facts, ident)


def distillation_diagram(facts, ident: str = "diagram-distillation") -> str:
    return draw("diagram-distillation", facts, ident)


def outputs_weights_diagram(facts, ident: str = "diagram-outputs-weights") -> str:
    return draw("diagram-outputs-weights", facts, ident)


def _place(page, name: str) -> list[str]:
    html = draw(name, page.facts, _free_id(page.md, name))
    return ["", page.md.htmlStash.store(html), ""]


USES = {
    "chart-scale": lambda facts: [key for key, _ in SCALE_ROWS],
    "chart-timeline": lambda facts: sorted({m.figure for e in facts.timeline
                                            for m in (e.when, e.until) if m and m.figure}),
    "chart-campaign": lambda facts: _campaign_keys(),
}

for _name in DRAWINGS:
    block(_name, uses=USES.get(_name, lambda facts: []))(
        lambda page, _name=_name: _place(page, _name))
