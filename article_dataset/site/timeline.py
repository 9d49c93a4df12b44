"""The timeline, drawn on the server as SVG: /-/timeline.

One article at a time (?article=<id>, else the latest published): its dated events and
statements at their dates, grouped into the threads of its story, and the undated ones listed
below. A thread is a connected part of the graph event_links makes (part of, follows,
responds to, causes), named after the event the others lead back to; an event that is part of
a larger one but has a sequel of its own (an event follows it, or it causes one) starts a
thread of its own, "part of" the larger one. A statement joins its event's thread, or, with
no event, the thread of a record it disputes or that disputes it.
"""

from __future__ import annotations

import collections
import datetime
import functools
import re
import urllib.parse
from dataclasses import dataclass

from datasette.utils.asgi import BadRequest, NotFound

from .pages import STATEMENT_LABEL, article_database, render_page, row_url
from .timeline_svg import (
    SVG,
    Group,
    Mark,
    Segment,
    Shape,
    axis_lines,
    draw,
    el,
    keys,
    mark_shapes,
    unit_end,
)

MAX_MARKS = 200  # drawn on one page; the rest on the next ones (?page=)
MAX_UNDATED = 300
MAX_ARTICLES_LISTED = 100
LOOSE = "Not linked to other records"
MEMBER = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?(?:-(\d{2}))?[?~%]?", re.ASCII)
LEGEND = {  # key: (what it tells, what it means)
    "event": ("What", "an event"),
    "statement": ("What", "a statement: who said what"),
    "point": ("When", "a day"),
    "period": ("When", "a month, season or year, the whole of it (no finer date given)"),
    "range": (
        "When",
        "from one date to another (each end over all of its day, month or year), or an "
        "approximate date with its margin",
    ),
    "open-end": ("When", "began then; the article gives no end"),
    "open-start": ("When", "by then; the article gives no start"),
    "set": ("When", "each of these dates, and not the days between"),
    "one-of": ("When", "one of these dates"),
    "exact": ("How sure", "as the article gives it (filled)"),
    "uncertain": ("How sure", "uncertain, EDTF “?” (hollow, dashed)"),
    "approximate": ("How sure", "approximate, EDTF “~” (pale, dotted)"),
    "both": ("How sure", "uncertain and approximate, EDTF “%” (hollow, dash-dotted)"),
    "axis-break": ("Axis", "years with no dated record, left out"),
}
DATES = "date, date_start, date_end, date_sort, date_precision, date_qualifier, date_text"
COLUMNS = f"id, title, {DATES}"
RECORDS = f"""
select 'events' as record_table, {COLUMNS} from events
where article_id = :article and date_sort is {{dated}}
union all
select 'statements', id, {STATEMENT_LABEL} as title, {DATES} from statements
where article_id = :article and date_sort is {{dated}}
order by date_sort, record_table, id limit :limit offset :offset
"""
# The latest published first, through the index on date_sort (a partial one, hence the where):
# no scan of the articles and their texts on each request.
LATEST = """select id, title from articles where date_sort is not null
order by date_sort desc, id limit :limit"""
FIRST = "select id, title from articles order by id limit 1"


def _member(text: str) -> tuple[datetime.date, datetime.date] | None:
    match = MEMBER.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            first = datetime.date(int(year), int(month), int(day))
            return first, first
        first = datetime.date(int(year), int(month or 1), 1)
    except ValueError:
        return None
    return first, unit_end(first, "month" if month else "year")


def shape(mark: Mark) -> Shape | None:
    """None for a date that gives no day (the build refuses those): listed as undated."""
    try:
        start, end, sort = (
            datetime.date.fromisoformat(value) if value else None
            for value in (mark.start, mark.end, mark.sort)
        )
    except ValueError:
        return None
    if mark.date.startswith(("{", "[")) and start and end:
        members = [_member(part) for part in mark.date[1:-1].split(",")]
        if None in members:  # members this reading does not know: the first and last day only
            members = [(start, start), (end, end)]
        return Shape("set" if mark.date.startswith("{") else "one-of", sorted(members))
    if "/" in mark.date:
        lower, _, upper = mark.date.partition("/")
        open_start, open_end = lower in ("", ".."), upper in ("", "..")
        # The known side of an open interval: from its bound to date_sort, its inner edge.
        first, last = (sort if open_start else start), (sort if open_end else end)
        if first is None or last is None:
            return None
        return Shape("point" if first == last else "range", [(first, last)], open_start, open_end)
    if start is None or end is None:
        return None
    if start == end:
        return Shape("point", [(start, end)])
    one_unit = unit_end(start, mark.precision) == end
    return Shape("period" if one_unit else "range", [(start, end)])


@dataclass
class Thread:
    key: str
    title: str
    part_of: str | None = None
    first_day: str = "9999"


class _Components:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def threads(events: dict, links: list, statements: dict, disputes: list) -> tuple[dict, dict]:
    """({(table, id): thread key or None when loose}, {key: Thread}).

    events: {id: (title, date_sort)}; links: (event_id, related_event_id, relation);
    statements: {id: (event_id, date_sort)}; disputes: (record_table, record_id, by_table,
    by_id)."""
    links = [(a, b, relation) for a, b, relation in links if a in events and b in events]
    with_sequel = {b for _, b, r in links if r == "follows"} | {
        a for a, _, r in links if r == "causes"
    }
    cut = {(a, b) for a, b, relation in links if relation == "part_of" and a in with_sequel}
    # Each kept link points from the later event to the earlier or larger one.
    kept = [(a, b, r) for a, b, r in links if r != "part_of" or (a, b) not in cut]
    earlier = [(b, a) if r == "causes" else (a, b) for a, b, r in kept]
    components = _Components()
    for event in events:
        components.find(event)
    for later, before in earlier:
        components.join(later, before)
    laters, leads_back = collections.defaultdict(set), {later for later, _ in earlier}
    for later, before in earlier:
        laters[before].add(later)

    def reached_by(event: str) -> int:
        seen, todo = {event}, [event]
        while todo:
            for later in laters[todo.pop()] - seen:
                seen.add(later)
                todo.append(later)
        return len(seen)

    members = collections.defaultdict(list)
    for event in events:
        members[components.find(event)].append(event)
    found: dict[str, Thread] = {}
    for component, ids in members.items():
        # The root is among the events that lead back to none (all of them, in a cycle).
        candidates = [e for e in ids if e not in leads_back] or ids
        root = min(candidates, key=lambda e: (-reached_by(e), events[e][1] or "9999", e))
        found[component] = Thread(root, events[root][0])
    record_thread = {("events", e): found[components.find(e)] for e in events}
    for child, parent in sorted(cut):
        thread, larger = record_thread[("events", child)], record_thread[("events", parent)]
        if thread is not larger:  # still linked to it otherwise, as the stint's beatings are
            thread.part_of = larger.title
    for statement, (event, _) in statements.items():
        if event in events:
            record_thread[("statements", statement)] = record_thread[("events", event)]
    for a_table, a_id, b_table, b_id in sorted(disputes):
        for mine, other in (((a_table, a_id), (b_table, b_id)), ((b_table, b_id), (a_table, a_id))):
            if mine[0] == "statements" and mine not in record_thread and other in record_thread:
                record_thread[mine] = record_thread[other]
    sizes = collections.Counter(id(thread) for thread in record_thread.values())
    days = {("events", e): day for e, (_, day) in events.items()}
    days.update({("statements", s): day for s, (_, day) in statements.items()})
    for record, thread in record_thread.items():
        if days.get(record):
            thread.first_day = min(thread.first_day, days[record])
    thread_of = dict.fromkeys((("statements", s) for s in statements), None)
    thread_of.update(
        (record, thread.key if sizes[id(thread)] > 1 else None)
        for record, thread in record_thread.items()
    )
    return thread_of, {thread.key: thread for thread in record_thread.values()}


def _grouped(pairs: list, thread_of: dict, found: dict) -> list[tuple[Thread | None, list]]:
    """(mark, shape) pairs by thread, threads in the order they begin, the loose ones last."""
    by_thread = collections.defaultdict(list)
    for mark, form in pairs:
        by_thread[thread_of.get((mark.table, mark.id))].append((mark, form))
    order = sorted(
        (key for key in by_thread if key),
        key=lambda k: (found[k].first_day, found[k].part_of is not None, found[k].title),
    )
    return [(found[key], by_thread[key]) for key in order] + (
        [(None, by_thread[None])] if None in by_thread else []
    )


async def _rows(db, sql: str, **params) -> list:
    return list(await db.execute(sql, params))


async def _article(db, wanted: str | None, latest: list):
    """The article asked for, else the latest published (of `latest`, listed already)."""
    if wanted is not None:
        rows = await _rows(db, "select id, title from articles where id = :id", id=wanted)
        if not rows:
            raise NotFound(f"No article {wanted!r}")
        return rows[0]
    rows = latest or await _rows(db, FIRST)
    if not rows:
        raise NotFound("No article is served here")
    return rows[0]


def _page_number(value: str | None) -> int:
    if value is None:
        return 1
    # The length first: int() of thousands of digits is refused with a ValueError.
    if len(value) > 9 or not value.isascii() or not value.isdigit() or int(value) < 1:
        raise BadRequest("page must be a whole number from 1")
    return int(value)


async def timeline_page(request, datasette):
    database = article_database(datasette)
    db = datasette.get_database(database)
    latest = await _rows(db, LATEST, limit=MAX_ARTICLES_LISTED)
    article = await _article(db, request.args.get("article"), latest)
    page = _page_number(request.args.get("page"))
    scope = {"article": article["id"]}
    graph = events, _, statements, _ = await _graph(db, scope)
    sorts = [sort for _, sort in (*events.values(), *statements.values())]
    dated_total = sum(sort is not None for sort in sorts)
    undated_total = len(sorts) - dated_total
    pages = max(1, -(-dated_total // MAX_MARKS))
    if page > pages:
        raise NotFound(f"The timeline has {pages} page(s)")
    window = {"limit": MAX_MARKS, "offset": (page - 1) * MAX_MARKS}
    dated = await _rows(db, RECORDS.format(dated="not null"), **scope, **window)
    undated = await _rows(db, RECORDS.format(dated="null"), **scope, limit=MAX_UNDATED, offset=0)

    def mark(row) -> Mark:  # the columns in the order of Mark's fields
        url = row_url(datasette, database, row["record_table"], row["id"])
        return Mark(row["record_table"], *(row[k] for k in COLUMNS.split(", ")), url)

    shaped = [(m, shape(m)) for m in map(mark, dated)]
    thread_of, found = threads(*graph)
    grouped = _grouped([pair for pair in shaped if pair[1]], thread_of, found)
    drawing = draw([Group(t.title if t else LOOSE, pairs, t and t.part_of) for t, pairs in grouped])
    # A date that gives no day is listed with the undated (the build refuses those).
    listed = [(m, None) for m, form in shaped if not form] + [(mark(row), None) for row in undated]
    legend = collections.defaultdict(list)
    for key, (heading, label) in LEGEND.items():
        if drawing and key in drawing.keys:
            legend[heading].append({"key": key, "label": label, "swatch": swatch(key)})
    context = {
        "article": article,
        "article_url": row_url(datasette, database, "articles", article["id"]),
        "articles": _articles(latest, article),
        "drawing": drawing,
        "legend": list(legend.items()),
        "dated_total": dated_total,
        "drawn": sum(len(pairs) for _, pairs in grouped),
        "first": window["offset"] + 1,
        "page": page,
        "pages": pages,
        "per_page": MAX_MARKS,
        "page_urls": _page_urls(article["id"], page, pages),
        "threads": sum(1 for thread, _ in grouped if thread),
        "loose": sum(len(pairs) for thread, pairs in grouped if not thread),
        "undated_groups": [
            {"title": thread.title if thread else LOOSE, "marks": [m for m, _ in pairs]}
            for thread, pairs in _grouped(listed, thread_of, found)
        ],
        "undated_total": undated_total,
        "undated_shown": len(undated),
    }
    return await render_page(datasette, request, "timeline.html", context)


async def _graph(db, scope: dict) -> tuple:
    events = {
        row["id"]: (row["title"], row["date_sort"])
        for row in await _rows(
            db, "select id, title, date_sort from events where article_id = :article", **scope
        )
    }
    links = await _rows(
        db,
        "select l.event_id, l.related_event_id, l.relation from event_links l "
        "join events e on e.id = l.event_id where e.article_id = :article",
        **scope,
    )
    statements = {
        row["id"]: (row["event_id"], row["date_sort"])
        for row in await _rows(
            db,
            "select id, event_id, date_sort from statements where article_id = :article",
            **scope,
        )
    }
    disputes = await _rows(
        db,
        "select record_table, record_id, by_table, by_id from disputes where article_id = :article",
        **scope,
    )
    return events, [tuple(row) for row in links], statements, [tuple(row) for row in disputes]


def _articles(latest: list, current) -> list[dict]:
    """The articles to choose from (the latest published first), the current one among them."""
    listed = [{"id": row["id"], "title": row["title"]} for row in latest]
    if current["id"] not in {item["id"] for item in listed}:
        listed.insert(0, {"id": current["id"], "title": current["title"]})
    return listed


def _page_urls(article_id: str, page: int, pages: int) -> dict:
    def url(number: int) -> str:
        return "?" + urllib.parse.urlencode({"article": article_id, "page": number})

    return {
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
    }


@functools.cache  # the same few pictures on every page
def swatch(key: str):
    """The legend's picture of a kind of mark, drawn as the timeline draws it."""
    day, days = datetime.date(2000, 7, 1), datetime.timedelta(days=1)
    year = Segment(day.replace(month=1), day.replace(month=12, day=31), 1, 8.0, 56.0)
    spans = {"period": (-120, 90), "range": (-150, 150), "open-end": (-150, -150)}
    spans |= {"open-start": (150, 150), "set": (-120, 120), "one-of": (-120, 120)}
    first, last = (day + n * days for n in spans.get(key, (0, 0)))
    kind = key if key in ("period", "range", "set", "one-of") else "point"
    members = [(first, first), (last, last)] if key in ("set", "one-of") else [(first, last)]
    form = Shape(kind, members, key == "open-start", key == "open-end")
    if key == "axis-break":
        parts = [Segment(year.first, year.last, 1, *xs) for xs in ((2.0, 24.0), (52.0, 62.0))]
        drawn, classes = axis_lines(parts, 10, 10), "axis-only"
    else:
        qualifier = key if key in ("uncertain", "approximate", "both") else None
        table = "statements" if key == "statement" else "events"
        sample = Mark(table, key, key, "", None, None, None, None, qualifier, None, "")
        drawn, classes = mark_shapes(sample, form, [year], 10)[0], " ".join(keys(sample, form))
    size = {"width": 64, "height": 20, "viewBox": "0 0 64 20"}
    group = el("g", drawn, class_=f"mark {classes}" if key != "axis-break" else classes)
    return el("svg", group, **size, xmlns=SVG, class_="swatch", aria_hidden="true")
