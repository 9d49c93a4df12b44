"""The timeline's drawing: dated records as SVG marks on a time axis broken over empty years.

Every shape follows from the record's date columns alone (date, date_start, date_end,
date_sort, date_precision, date_qualifier): a day is a point, one month, season or year a bar
over all of it, anything wider a bar from its first to its last day, an open side a fade that
claims no day, a set its members. Text is escaped by Markup.format, in attributes and content.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from markupsafe import Markup

from .pages import shorten

WIDTH = 1180
LABEL_X = 10
# The labels are an SVG of their own, beside the chart's: on a narrow screen they stay put
# (sticky) while the chart scrolls under them. Both share one coordinate system.
LABEL_WIDTH = 440
LABEL_CHARS = 58  # what the label column holds at 13px (the browser test checks it fits)
CHART_X0 = 450
CHART_X1 = WIDTH - 20
BREAK_WIDTH = 28
AXIS_HEIGHT = 46
ROW_HEIGHT = 24
HEADER_HEIGHT = 32
GROUP_GAP = 8
POINT_RADIUS = 6
BAR_HEIGHT = 12
FADE_STEPS = (0.55, 0.38, 0.24, 0.12)
FADE_STEP = 9
FADE_EXTENT = len(FADE_STEPS) * FADE_STEP + 8
CARD_HEIGHT = 42
DATE_CHAR_WIDTH = 6.6  # 11.5px text, generously: a date label is not placed off the edge
CARD_CHAR_WIDTH = 7.4
# Years with no dated record between two records at least this far apart are left out.
GAP_DAYS = 365
MIN_SEGMENT_SHARE = 0.16
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UNIT_MONTHS = {"month": 1, "season": 3, "year": 12}
SVG = "http://www.w3.org/2000/svg"


@dataclass
class Mark:
    """One dated record as the database gives it, and the address of its page."""

    table: str
    id: str
    title: str
    date: str
    start: str | None
    end: str | None
    sort: str | None
    precision: str | None
    qualifier: str | None
    date_text: str | None
    url: str


@dataclass
class Shape:
    """What a date looks like: its known spans of days, and which sides are open."""

    kind: str  # point, period, range, set, one-of
    spans: list[tuple[datetime.date, datetime.date]]
    open_start: bool = False
    open_end: bool = False


@dataclass
class Group:
    title: str
    marks: list[tuple[Mark, Shape]]
    part_of: str | None = None


@dataclass
class Drawing:
    svg: Markup
    keys: set[str] = field(default_factory=set)  # the kinds of mark drawn, for the legend
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (last year, next year)


def _n(value) -> str:
    return f"{value:.1f}".removesuffix(".0") if isinstance(value, float) else str(value)


def el(name: str, *children, **attributes) -> Markup:
    """An SVG element; attribute names: class_ is class, data_id is data-id."""
    rendered = Markup("").join(
        Markup(' {}="{}"').format(Markup(key.rstrip("_").replace("_", "-")), _n(value))
        for key, value in attributes.items()
        if value is not None
    )
    if not children:
        return Markup("<{}{}/>").format(Markup(name), rendered)
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), rendered, Markup("").join(children))


def unit_end(day: datetime.date, precision: str | None) -> datetime.date:
    """The last day of the unit of the precision that starts on this day."""
    months = UNIT_MONTHS.get(precision or "day")
    if months is None:
        return day
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)


@dataclass
class Segment:
    first: datetime.date
    last: datetime.date
    marks: int
    x0: float = 0.0
    x1: float = 0.0

    def x(self, day: datetime.date, end_of_day: bool = False) -> float:
        days = (self.last - self.first).days + 1
        offset = (day - self.first).days + (1 if end_of_day else 0)
        return self.x0 + (self.x1 - self.x0) * offset / days


def segments(shapes: list[Shape]) -> list[Segment]:
    """The parts of the axis: the months the marks cover, apart where a year holds none."""
    found = sorted((item.spans[0][0], max(last for _, last in item.spans)) for item in shapes)
    merged: list[Segment] = []
    for first, last in found:
        if merged and (first - merged[-1].last).days <= GAP_DAYS:
            merged[-1].last = max(merged[-1].last, last)
            merged[-1].marks += 1
        else:
            merged.append(Segment(first, last, 1))
    for segment in merged:
        segment.first = segment.first.replace(day=1)
        segment.last = unit_end(segment.last.replace(day=1), "month")
    # Each part is as wide as its share of the marks, and never too narrow to read: a lone
    # record of 2007 does not squeeze the two years most of the story happens in.
    total = sum(segment.marks for segment in merged)
    shares = [max(segment.marks / total, MIN_SEGMENT_SHARE) for segment in merged]
    available = CHART_X1 - CHART_X0 - FADE_EXTENT - BREAK_WIDTH * (len(merged) - 1)
    x = CHART_X0 + FADE_EXTENT
    for segment, share in zip(merged, shares, strict=True):
        segment.x0, segment.x1 = x, x + available * share / sum(shares)
        x = segment.x1 + BREAK_WIDTH
    return merged


def _x(axis: list[Segment], day: datetime.date, end_of_day: bool = False) -> float:
    for segment in axis:
        if segment.first <= day <= segment.last:
            return segment.x(day, end_of_day)
    return axis[-1].x1 if day > axis[-1].last else axis[0].x0


def _ticks(segment: Segment) -> list[tuple[datetime.date, str, str | None]]:
    """(day, label, year above it) for the ticks of one part of the axis."""
    first, last = segment.first, segment.last
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    per_month = (segment.x1 - segment.x0) / months
    step = 1 if per_month >= 26 else 3 if per_month >= 9 else 12
    ticks = []
    day = first
    while day <= last:
        starts = day.month == 1 or day == first
        if step == 12 and starts:
            ticks.append((day, str(day.year), None))
        elif step < 12 and ((day.month - 1) % step == 0 or day == first):
            ticks.append((day, MONTHS[day.month - 1], str(day.year) if starts else None))
        day = unit_end(day, "month") + datetime.timedelta(days=1)
    return ticks


def axis_lines(axis: list[Segment], top: float, bottom: float) -> Markup:
    parts = []
    for segment in axis:
        for day, label, year in _ticks(segment):
            x = segment.x(day)
            parts.append(el("line", class_="grid", x1=x, x2=x, y1=top, y2=bottom))
            parts += [el("text", label, class_="tick", x=x, y=y) for y in (top - 6, bottom + 18)]
            if year:  # above the first month of each year
                parts += [
                    el("text", year, class_="tick year", x=x, y=y) for y in (top - 24, bottom + 36)
                ]
        for y in (top, bottom):
            parts.append(el("line", class_="axis", x1=segment.x0, x2=segment.x1, y1=y, y2=y))
    for before, after in itertools.pairwise(axis):
        x0, x1 = before.x1 + 4, after.x0 - 4
        left_out = f"{before.last.year + 1}–{after.first.year - 1}"
        if after.first.year - before.last.year <= 1:
            left_out = "months"
        marks = [
            el("title", f"Axis broken: {left_out} hold no dated record, left out"),
            el("rect", class_="break-band", x=x0, y=top, width=x1 - x0, height=bottom - top),
        ]
        for y, dx in itertools.product((top, bottom), (0, 7)):
            x = x0 + 5 + dx
            marks.append(el("line", class_="break-mark", x1=x, x2=x + 6, y1=y + 7, y2=y - 7))
        parts.append(el("g", *marks, class_="axis-break"))
    return Markup("").join(parts)


def _point(mark: Mark, x: float, cy: float) -> Markup:
    if mark.table == "statements":  # a diamond: told apart from an event without its colour
        r = POINT_RADIUS + 1
        corners = ((x, cy - r), (x + r, cy), (x, cy + r), (x - r, cy))
        points = " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)
        return el("polygon", class_="shape", points=points)
    return el("circle", class_="shape", cx=x, cy=cy, r=POINT_RADIUS)


def _bar(x0: float, x1: float, cy: float, kind: str) -> Markup:
    x1, top = max(x1, x0 + 5), cy - BAR_HEIGHT / 2
    radius = min(BAR_HEIGHT / 2 if kind == "period" else 1.0, (x1 - x0) / 2)
    parts = [el("rect", class_="shape", x=x0, y=top, width=x1 - x0, height=BAR_HEIGHT, rx=radius)]
    if kind == "range":  # end caps: from this day to that one
        parts += [el("line", class_="cap", x1=x, x2=x, y1=top - 3, y2=cy + 9) for x in (x0, x1)]
    return Markup("").join(parts)


def _fade(x: float, cy: float, direction: int) -> Markup:
    """An open side: steps fading away from the known part, and a chevron. No day is claimed:
    the fade is as long at any scale."""
    size = {"y": cy - BAR_HEIGHT / 2 + 2, "width": FADE_STEP, "height": BAR_HEIGHT - 4}
    parts = [
        el(
            "rect",
            class_="fade",
            x=x + (step if direction > 0 else -step - 1) * FADE_STEP,
            **size,
            opacity=opacity,
        )
        for step, opacity in enumerate(FADE_STEPS)
    ]
    tip = x + direction * (FADE_EXTENT - 1)
    back = tip - direction * 6
    points = f"{_n(back)},{_n(cy - 5)} {_n(tip)},{_n(cy)} {_n(back)},{_n(cy + 5)}"
    return Markup("").join([*parts, el("polyline", class_="chevron", points=points)])


def mark_shapes(
    mark: Mark, form: Shape, axis: list[Segment], cy: float
) -> tuple[Markup, float, float]:
    """The mark's shapes, and the left and right edges of what they cover."""
    spans = [(_x(axis, first), _x(axis, last, end_of_day=True)) for first, last in form.spans]
    parts = []
    if len(spans) > 1:  # a set: its members joined, nothing drawn between them
        x0, x1 = (spans[0][0] + spans[0][1]) / 2, (spans[-1][0] + spans[-1][1]) / 2
        parts.append(el("line", class_="set-link", x1=x0, x2=x1, y1=cy, y2=cy))
    for (first, last), (x0, x1) in zip(form.spans, spans, strict=True):
        if first == last:
            parts.append(_point(mark, (x0 + x1) / 2, cy))
        else:
            parts.append(_bar(x0, x1, cy, "range" if form.kind == "range" else "period"))
    left, right = spans[0][0], spans[-1][1]
    if form.spans[0][0] == form.spans[0][1]:
        left = min(left, (spans[0][0] + spans[0][1]) / 2 - POINT_RADIUS)
    if form.spans[-1][0] == form.spans[-1][1]:
        right = max(right, (spans[-1][0] + spans[-1][1]) / 2 + POINT_RADIUS)
    if form.open_end:
        parts.append(_fade(right, cy, +1))
        right += FADE_EXTENT
    if form.open_start:
        parts.append(_fade(left, cy, -1))
        left -= FADE_EXTENT
    return Markup("").join(parts), left, right


def keys(mark: Mark, form: Shape) -> list[str]:
    """The mark's classes: what it is, its form, its open sides and how sure its date is."""
    found = ["event" if mark.table == "events" else "statement", form.kind]
    found += ["open-start"] if form.open_start else []
    found += ["open-end"] if form.open_end else []
    return [*found, mark.qualifier or "exact"]


def when(mark: Mark) -> str:
    """The date as a reader should see it: the article's words, and how sure it is."""
    words = f"“{mark.date_text}”" if mark.date_text else mark.date
    qualifier = "uncertain, approximate" if mark.qualifier == "both" else mark.qualifier
    return f"{words} · {qualifier}" if qualifier else words


def _card(mark: Mark, date_line: str, left: float, top: float) -> Markup:
    """Shown on hover and focus, above the row (rows below would paint over it)."""
    title = shorten(mark.title, int((WIDTH - LABEL_WIDTH - 28) / CARD_CHAR_WIDTH))
    width = min(max(len(title), len(date_line)) * CARD_CHAR_WIDTH + 20, WIDTH - LABEL_WIDTH - 8)
    x, y = min(max(left - 10, LABEL_WIDTH + 4), WIDTH - 4 - width), top - CARD_HEIGHT - 2
    return el(
        "g",
        el("rect", x=x, y=y, width=width, height=CARD_HEIGHT, rx=4),
        el("text", title, class_="card-title", x=x + 10, y=y + 17),
        el("text", date_line, class_="card-date", x=x + 10, y=y + 34),
        class_="focus-card",
    )


def _row(mark: Mark, form: Shape, axis: list[Segment], top: float, index: int):
    """The row's label (a link out of the tab order: the mark is the one to reach), and its
    mark with the date in the article's words."""
    cy, stripe = top + ROW_HEIGHT / 2, "odd" if index % 2 else "even"
    drawn, left, right = mark_shapes(mark, form, axis, cy)
    words = when(mark)
    anchor, x, width = "start", right + 6, len(words) * DATE_CHAR_WIDTH
    if x + width > WIDTH - 4 and left - 6 - width >= CHART_X0:  # no room after: before
        anchor, x = "end", left - 6
    details = ", ".join(filter(None, (mark.date, mark.precision, mark.qualifier)))
    date_line = f"{words} ({details})"
    label = el(
        "a",
        el("rect", class_="row-bg", x=0, y=top, width=LABEL_WIDTH, height=ROW_HEIGHT),
        el("text", shorten(mark.title, LABEL_CHARS), class_="label", x=LABEL_X, y=cy + 4.5),
        href=mark.url,
        class_=f"row-label {stripe}",
        tabindex=-1,
    )
    chart_width = WIDTH - LABEL_WIDTH
    mark_link = el(
        "a",
        el("title", f"{mark.title}\n{date_line}"),
        el("rect", class_="row-bg", x=LABEL_WIDTH, y=top, width=chart_width, height=ROW_HEIGHT),
        el("g", drawn, class_="mark " + " ".join(keys(mark, form))),
        el("text", words, class_="date-label", x=x, y=cy + 4, text_anchor=anchor),
        _card(mark, date_line, left, top),
        href=mark.url,
        class_=f"record-link {stripe}",
        data_table=mark.table,
        data_id=mark.id,
    )
    return label, mark_link


def _header(group: Group, top: float):
    count = len(group.marks)
    note = f"{count} dated record" + ("" if count == 1 else "s")
    if group.part_of:
        note = f"part of “{shorten(group.part_of, 60)}” · {note}"
    rule = {"class_": "thread-rule", "y1": top + 2, "y2": top + 2}
    label = el(
        "g",
        el("line", x1=0, x2=LABEL_WIDTH, **rule),
        el("text", shorten(group.title, 52), class_="thread-title", x=LABEL_X, y=top + 22),
    )
    chart = el(
        "g",
        el("title", group.title + (f" (part of “{group.part_of}”)" if group.part_of else "")),
        el("line", x1=LABEL_WIDTH, x2=WIDTH, **rule),
        el("text", note, class_="thread-note", x=CHART_X0, y=top + 22),
        class_="thread",
    )
    return label, chart


def draw(groups: list[Group]) -> Drawing | None:
    """The SVGs of the groups' labels and marks, or None when there is no mark."""
    shaped = [(group, group.marks) for group in groups if group.marks]
    if not shaped:
        return None
    axis = segments([form for _, pairs in shaped for _, form in pairs])
    labels, parts, found = [], [], set()
    y, index = AXIS_HEIGHT + 4, 0
    for group, pairs in shaped:
        for side, part in zip((labels, parts), _header(group, y), strict=True):
            side.append(part)
        y += HEADER_HEIGHT
        for mark, form in pairs:
            for side, part in zip((labels, parts), _row(mark, form, axis, y, index), strict=True):
                side.append(part)
            found.update(keys(mark, form))
            y, index = y + ROW_HEIGHT, index + 1
        y += GROUP_GAP
    height, width = y + AXIS_HEIGHT, WIDTH - LABEL_WIDTH
    found |= {"axis-break"} if len(axis) > 1 else set()
    label_svg = el(
        "svg",
        el("rect", class_="paper", x=0, y=0, width=LABEL_WIDTH, height=height),
        *labels,
        **{"xmlns": SVG, "class_": "timeline-labels", "width": LABEL_WIDTH, "height": height},
        aria_hidden="true",  # the marks' links name the same records
    )
    chart_svg = el(
        "svg",
        el("rect", class_="paper", x=LABEL_WIDTH, y=0, width=width, height=height),
        axis_lines(axis, AXIS_HEIGHT, y),
        *parts,
        **{"xmlns": SVG, "class_": "timeline-chart", "width": width, "height": height},
        viewBox=f"{LABEL_WIDTH} 0 {width} {_n(height)}",
        role="group",
        aria_label=f"Timeline: {index} dated records in {len(shaped)} groups",
    )
    breaks = [(a.last.year, b.first.year) for a, b in itertools.pairwise(axis)]
    return Drawing(label_svg + chart_svg, found, breaks)
