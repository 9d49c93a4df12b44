"""The annotated article: /-/read/<article-id>.

The article paragraph by paragraph, every evidence span highlighted at its offsets and linked
to the records it backs, uncited sentences marked with their waiver, beside each paragraph the
records it backs by kind with who asserts them, and a search term (?q=) highlighted. Rendered
on the server from the database: it reads without JavaScript.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response

from . import citing
from .embedded import embedded, record_linking
from .pages import article_database, read_url, render_page, row_url, shorten
from .records import THE_ARTICLE, THE_CURATORS

# What the reader sees the kinds of records as, in the order the page lists them.
KIND_NAMES = {
    "events": "Events",
    "statements": "Statements",
    "figures": "Figures",
    "cases": "Cases",
    "charges": "Charges",
    "penalties": "Penalties",
    "disputes": "Disputes",
    "actors": "People and bodies",
    "places": "Places",
}
# Assertions that are not the article's own voice and that someone could dispute.
CONTESTED = {"allegation", "official_claim", "denial"}
OWN_VOICE = {None, "", "reported"}
# A search is a handful of words; longer ones are cut (the page stays cheap for any ?q=).
MAX_SEARCH_TERMS = 8
MAX_TERM_CHARACTERS = 40
MAX_STATEMENT_CHARACTERS = 160
# The home page names this many articles to read, and links to the rest.
MAX_LISTED_ARTICLES = 10


def search_pattern(q: str | None) -> re.Pattern | None:
    """Words of the search, matched case-insensitively at the start of a word, so that a
    search for "beat" also marks "beaten" (the site's full-text search stems words too)."""
    terms = [t[:MAX_TERM_CHARACTERS] for t in re.findall(r"\w+", q or "") if len(t) > 1]
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in dict.fromkeys(terms[:MAX_SEARCH_TERMS]))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def segments(text: str, start: int, end: int, spans: list[dict], matches: list[tuple]) -> list:
    """The text of [start, end) cut wherever a span or a search match begins or ends: each
    piece with the spans covering it (innermost first) and whether a match covers it."""
    cuts = {start, end}
    for span in spans:
        cuts.update((max(start, span["start"]), min(end, span["end"])))
    for match_start, match_end in matches:
        cuts.update((max(start, match_start), min(end, match_end)))
    points = sorted(c for c in cuts if start <= c <= end)
    pieces = []
    for a, b in itertools.pairwise(points):
        covering = sorted(
            (s for s in spans if s["start"] <= a and b <= s["end"]),
            key=lambda s: (s["end"] - s["start"], s["start"]),
        )
        pieces.append(
            {
                "text": text[a:b],
                "spans": covering,
                "anchor": covering[0]["anchor"] if covering else None,
                "title": "; ".join(
                    dict.fromkeys(r["display"] for s in covering for r in s["records"])
                ),
                "contested": any(s["contested"] for s in covering),
                "search": any(ms <= a and b <= me for ms, me in matches),
            }
        )
    return pieces


def within(items: list, starts: list[int], start: int, end: int) -> list:
    """The items (sorted by start, with their starts in `starts`) that begin in [start, end)."""
    return items[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


async def _records(db, article_id: str, tables: list[str], labels: dict) -> dict:
    """(table, id) -> what the page shows of each record the article's evidence backs."""
    records = {}
    for table in tables:
        label = labels.get(table) or "id"
        rows = await db.execute(
            f"select * from [{table}] where id in (select record_id from evidence "
            "where article_id = ? and record_table = ?)",
            [article_id, table],
        )
        for row in rows:
            row = dict(row)
            records[(table, row["id"])] = {
                "table": table,
                "id": row["id"],
                "label": row.get(label) or row["id"],
                "assertion": row.get("assertion"),
                "asserted_by_id": row.get("asserted_by_id"),
                "speaker_id": row.get("actor_id") if table == "statements" else None,
                "text": row.get("text") if table == "statements" else None,
            }
    return records


async def _people(db, ids: set) -> dict:
    ids = sorted(i for i in ids if i)
    if not ids:
        return {}
    placeholders = ", ".join("?" for _ in ids)
    rows = await db.execute(f"select id, name from actors where id in ({placeholders})", ids)
    return {row["id"]: row["name"] for row in rows}


async def _disputes(db, article_id: str) -> list[dict]:
    rows = await db.execute(
        "select id, record_table, record_id, by_table, by_id, relation from disputes "
        "where article_id = ? order by id",
        [article_id],
    )
    return [dict(row) for row in rows]


def _describe(records: dict, people: dict, disputes: list[dict], url) -> None:
    """Each record's link, who asserts it when that is not the article, and whether it is
    contested (someone's allegation, denial or official claim, or a side of a dispute)."""
    sides = defaultdict(list)
    for dispute in disputes:
        disputed = (dispute["record_table"], dispute["record_id"])
        by = (dispute["by_table"], dispute["by_id"])
        sides[disputed].append((dispute["relation"], by, "by"))
        sides[by].append((dispute["relation"], disputed, "of"))
    for key, record in records.items():
        record["url"] = url(*key)
        record["voice"] = None if record["assertion"] in OWN_VOICE else record["assertion"]
        record["asserted_by"] = people.get(record["asserted_by_id"]) or (
            THE_CURATORS if record["assertion"] == "inference" else None
        )
        record["speaker"] = people.get(record["speaker_id"])
        if record["table"] == "statements":
            # A statement's label starts with its speaker's id: readers see the name.
            words = shorten(record["text"] or "", MAX_STATEMENT_CHARACTERS)
            record["display"] = f"{record['speaker'] or THE_ARTICLE}: “{words}”"
        else:
            record["display"] = record["label"]
    for key, record in records.items():
        record["disputes"] = [
            {
                "relation": relation,
                "direction": direction,
                "label": (records.get(other) or {}).get("display", other[1]),
                "url": url(*other),
            }
            for relation, other, direction in sides.get(key, ())
        ]
        record["contested"] = (
            record["assertion"] in CONTESTED or bool(record["disputes"]) or key[0] == "disputes"
        )


async def read_page(request, datasette):
    database = article_database(datasette)
    db = datasette.get_database(database)
    article_id = tilde_decode(request.url_vars["article_id"])
    found = await db.execute(
        "select id, title, publisher, published, date_note, source_url, text from articles "
        "where id = ?",
        [article_id],
    )
    article = found.first()
    if article is None:
        raise NotFound(f"No article with the id {article_id!r}")
    article = dict(article)
    text = article["text"]

    def url(table: str, record_id: str) -> str:
        return row_url(datasette, database, table, record_id)

    linking = record_linking(datasette, database)
    tables_metadata = ((embedded(db.path, db.is_mutable) or {}).get("database") or {}).get(
        "tables"
    ) or {}
    labels = {name: (meta or {}).get("label_column") for name, meta in tables_metadata.items()}
    kinds = [t for t in KIND_NAMES if t in linking.get("records", ())]
    records = await _records(db, article_id, kinds, labels)
    disputes = await _disputes(db, article_id)
    people = await _people(
        db,
        {r["asserted_by_id"] for r in records.values()}
        | {r["speaker_id"] for r in records.values()},
    )
    _describe(records, people, disputes, url)

    evidence = await db.execute(
        "select record_table, record_id, char_start, char_end from evidence "
        "where article_id = ? order by char_start, char_end desc",
        [article_id],
    )
    spans: dict[tuple[int, int], dict] = {}
    for row in evidence:
        key = (row["char_start"], row["char_end"])
        span = spans.setdefault(
            key,
            {
                "start": key[0],
                "end": key[1],
                "anchor": f"q-{key[0]}-{key[1]}",
                "quote": text[key[0] : key[1]],
                "records": [],
            },
        )
        record = records.get((row["record_table"], row["record_id"]))
        if record and record not in span["records"]:
            span["records"].append(record)
    for span in spans.values():
        span["contested"] = any(r["contested"] for r in span["records"])
        span["records"].sort(key=lambda r: (kinds.index(r["table"]), r["label"]))

    pattern = search_pattern(request.args.get("q"))
    matches = [m.span() for m in pattern.finditer(text)] if pattern else []
    match_starts = [m[0] for m in matches]

    sentence_rows = await db.execute(
        "select id, paragraph_id, number, char_start, char_end, uncited_reason from sentences "
        "where article_id = ? order by number",
        [article_id],
    )
    by_paragraph = defaultdict(list)
    for row in sentence_rows:
        by_paragraph[row["paragraph_id"]].append(dict(row))
    paragraph_rows = await db.execute(
        "select id, number, is_heading, char_start, char_end from paragraphs "
        "where article_id = ? order by number",
        [article_id],
    )
    ordered_spans = sorted(spans.values(), key=lambda s: (s["start"], -s["end"]))
    span_starts = [s["start"] for s in ordered_spans]
    paragraphs = []
    for row in paragraph_rows:
        paragraph = dict(row)
        inside = within(ordered_spans, span_starts, row["char_start"], row["char_end"])
        pieces, cursor = [], row["char_start"]
        for sentence in by_paragraph[row["id"]]:
            if cursor < sentence["char_start"]:
                pieces.append({"between": text[cursor : sentence["char_start"]]})
            sentence["url"] = url("sentences", sentence["id"])
            start, end = sentence["char_start"], sentence["char_end"]
            sentence["segments"] = segments(
                text,
                start,
                end,
                within(inside, [s["start"] for s in inside], start, end),
                within(matches, match_starts, start, end),
            )
            pieces.append({"sentence": sentence})
            cursor = sentence["char_end"]
        paragraph["pieces"] = pieces
        paragraph["spans"] = inside
        for span in inside:  # a highlight links to its innermost quote: that one names the rest
            span["within"] = [
                outer
                for outer in inside
                if outer is not span
                and outer["start"] <= span["start"]
                and span["end"] <= outer["end"]
            ]
        cited = {}
        for span in inside:
            for record in span["records"]:
                cited.setdefault((record["table"], record["id"]), record)
        paragraph["kinds"] = [
            (KIND_NAMES[table], [r for key, r in cited.items() if key[0] == table])
            for table in kinds
            if any(key[0] == table for key in cited)
        ]
        paragraphs.append(paragraph)

    citation = await citing.citation(datasette, database, "articles", article_id, request)
    sentences = [p["sentence"] for par in paragraphs for p in par["pieces"] if "sentence" in p]
    context = {
        "database": database,
        "article": article,
        "article_url": url("articles", article_id),
        "paragraphs": paragraphs,
        "sentence_count": len(sentences),
        "waived_count": sum(1 for s in sentences if s["uncited_reason"]),
        "span_count": len(spans),
        "record_count": len(records),
        "q": request.args.get("q") or "",
        "match_count": len(matches),
        "citation": citation,
    }
    return await render_page(datasette, request, "read.html", context)


async def text_page(request, datasette):
    """The article's text exactly as articles.text holds it, as text/plain."""
    db = datasette.get_database(article_database(datasette))
    article_id = tilde_decode(request.url_vars["article_id"])
    found = (await db.execute("select text from articles where id = ?", [article_id])).first()
    if found is None:
        raise NotFound(f"No article with the id {article_id!r}")
    return Response.text(found[0])


async def site_context(datasette, database):
    """The home and database pages: the annotated articles, the timeline, the version."""
    try:
        database = article_database(datasette)
    except NotFound:
        return {}
    db = datasette.get_database(database)
    rows = await db.execute(
        f"select id, title from articles order by date_sort, id limit {MAX_LISTED_ARTICLES}"
    )
    count = (await db.execute("select count(*) from articles")).first()[0]
    return {
        "reading_room": {
            "articles": [
                {"title": row["title"], "url": read_url(datasette, row["id"])} for row in rows
            ],
            "more_articles": max(0, count - MAX_LISTED_ARTICLES),
            "articles_url": datasette.urls.table(database, "articles"),
            "timeline_url": datasette.urls.path("/-/timeline"),
            "version": await citing.dataset_version(datasette, database),
        }
    }
