"""Cite this record: the dataset version, and citations as text, BibTeX and CSL-JSON.

A citation holds nothing that changes between two readers of the same build (no access
date, no time): the same record of the same data gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse

from datasette.utils import escape_sqlite, tilde_decode, tilde_encode
from datasette.utils.asgi import Response

from .embedded import PerFile, record_linking
from .pages import article_database, label_sql, read_url, row_url, site_url

# Not a curated record, but a citable document: the annotated article, /-/read/<id>.
ARTICLES = "articles"

_versions = PerFile()


async def dataset_version(datasette, database: str) -> str:
    """A short hash of the build's inputs: every input file's path and SHA-256, and the hash
    of the build's code (the '(code)' row), as _build_files records them. Two builds of the
    same data by the same code have the same version; any edit to the data gives a new one."""
    db = datasette.get_database(database)
    found, version, signature = (
        _versions.kept(db.path, db.is_mutable) if db.path else (False, None, None)
    )
    if found:
        return version
    rows = await db.execute("select path, sha256 from _build_files order by path")
    digest = hashlib.sha256()
    for path, sha256 in rows:
        digest.update(f"{path}\0{sha256}\n".encode())
    version = digest.hexdigest()[:12]
    if signature is not None:
        _versions.keep(db.path, signature, version)
    return version


async def supporting_sentences(db, table: str, record_id: str) -> list[dict]:
    """The sentences of the record's evidence in article order, each with its quotes'
    spans: [{"id", "number", "text", "char_start", "article_id", "article_title",
    "quotes": [(char_start, char_end, quote), ...]}, ...]."""
    rows = await db.execute(
        """select s.id, s.number, s.text, s.char_start, s.article_id, a.title as article_title,
          ev.char_start as quote_start, ev.char_end as quote_end, ev.quote
        from evidence ev join sentences s on s.id = ev.sentence_id
        left join articles a on a.id = s.article_id
        where ev.record_table = :table and ev.record_id = :id
        order by a.date_sort, s.article_id, s.number, ev.char_start, ev.char_end""",
        {"table": table, "id": record_id},
    )
    sentences: dict[str, dict] = {}
    for row in rows:
        sentence = sentences.setdefault(
            row["id"],
            {
                "id": row["id"],
                "number": row["number"],
                "text": row["text"],
                "char_start": row["char_start"],
                "article_id": row["article_id"],
                "article_title": row["article_title"],
                "quotes": [],
            },
        )
        span = (row["quote_start"], row["quote_end"], row["quote"])
        if span not in sentence["quotes"]:
            sentence["quotes"].append(span)
    return list(sentences.values())


def citable_tables(datasette, database: str) -> tuple[str, ...]:
    return (*(record_linking(datasette, database).get("records") or ()), ARTICLES)


async def citation(
    datasette, database: str, table: str, record_id: str, request, sentences=None
) -> dict | None:
    """{"text", "bibtex", "csl" (the CSL-JSON item), "csl_json" (it as served), "label",
    "url", "version", "json_url"}; None for a table that is not citable or an unknown id.
    `sentences`: supporting_sentences of the record, where the caller has them already."""
    db = datasette.databases.get(database)
    if db is None or table not in citable_tables(datasette, database):
        return None
    if not await db.table_exists(table):
        return None
    label_column = await db.label_column_for_table(table)
    shown = label_sql(table, label_column) if label_column else "null"
    # The label, and of an article where it was published (not its whole text).
    published = ", publisher, published, source_url" if table == ARTICLES else ""
    found = (
        await db.execute(
            f"select {shown} as _cited_label{published} from {escape_sqlite(table)} where id = ?",
            [record_id],
        )
    ).first()
    if found is None:
        return None
    row = dict(zip(found.keys(), found, strict=True))
    label = str(row.pop("_cited_label") or record_id)
    if table == ARTICLES:
        path = read_url(datasette, record_id)
        sentences, genre = [], "Annotated article"
        about = _article_note(row)
    else:
        path = row_url(datasette, database, table, record_id)
        if sentences is None:
            sentences = await supporting_sentences(db, table, record_id)
        genre = f"Curated record ({table})"
        about = _sentences_note(sentences)
    version = await dataset_version(datasette, database)
    dataset = str(
        datasette.metadata("title") or datasette.metadata("title", database=database) or database
    )
    publisher = datasette.metadata("publisher")
    url = site_url() + str(path)
    key = re.sub(r"[^A-Za-z0-9_.:-]", "-", f"{table}:{record_id}")
    csl = {
        "id": f"{table}/{record_id}",
        "type": "dataset",
        "genre": genre,
        "title": label,
        "container-title": dataset,
        "version": version,
        "URL": url,
        **({"publisher": str(publisher)} if publisher else {}),
        **_original(table, row),
        **({"note": about} if about else {}),
    }
    where = f"{genre}, in: {dataset}, version {version}"
    text = f"{label} [{table}/{record_id}]. {where}. {url}." + (f" {about}" if about else "")
    bibtex = _bibtex(key, label, where, url, str(publisher) if publisher else None, about)
    csl_json = json.dumps(csl, ensure_ascii=False, indent=2) + "\n"
    json_url = datasette.urls.path(f"-/cite/{tilde_encode(table)}/{tilde_encode(record_id)}.json")
    return {
        "text": text,
        "bibtex": bibtex,
        "csl": csl,
        "csl_json": csl_json,
        "label": label,
        "url": url,
        "version": version,
        "json_url": json_url,
    }


def _original(table: str, row: dict) -> dict:
    """The annotated article's first publisher (its title is the item's own)."""
    if table != ARTICLES or not row.get("publisher"):
        return {}
    return {"original-publisher": str(row["publisher"])}


def _article_note(row: dict) -> str:
    parts = []
    if row.get("publisher"):
        parts.append(f"Published by {row['publisher']}")
    if row.get("published"):
        parts.append(f"{row['published']} (EDTF date)")
    note = ", ".join(parts)
    if row.get("source_url"):
        note += ("; text" if note else "Text") + f" as scraped from {row['source_url']}"
    return f"{note}." if note else ""


def _sentences_note(sentences: list[dict]) -> str:
    """'Sentence 14 of “Title”: [14] …', or 'Sentences 3, 14 of “Title”: [3] … [14] …', one
    such part per article: each sentence as it is, after its number in brackets (quotes
    around it would double the quotation marks many sentences begin with)."""
    by_article: dict[str, list[dict]] = {}
    for sentence in sentences:
        by_article.setdefault(sentence["article_id"], []).append(sentence)
    parts = []
    for article_id, found in by_article.items():
        title = found[0]["article_title"] or article_id
        numbers = ", ".join(str(sentence["number"]) for sentence in found)
        texts = " ".join(f"[{sentence['number']}] {sentence['text']}" for sentence in found)
        parts.append(f"Sentence{'s' if len(found) > 1 else ''} {numbers} of “{title}”: {texts}")
    return " ".join(parts)


_LATEX = {
    "\\": r"\textbackslash{}",
    # BibTeX counts braces even after a backslash: \{ alone would unbalance the entry.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_LATEX_SPECIAL = re.compile("|".join(map(re.escape, _LATEX)))


def latex(text: str) -> str:
    """Text as a BibTeX field's value: LaTeX's special characters escaped, braces balanced."""
    return _LATEX_SPECIAL.sub(lambda match: _LATEX[match.group()], " ".join(text.split()))


def _bibtex(key, label, where, url, publisher, about) -> str:
    fields = [
        ("title", "{" + latex(label) + "}"),  # the inner braces keep its capitals
        ("howpublished", latex(where)),
        ("publisher", latex(publisher) if publisher else None),
        # Verbatim in biblatex: only characters a URL may carry, the rest percent-encoded.
        ("url", urllib.parse.quote(url, safe=":/?=&;+,@!$'()*-._~")),
        ("note", latex(about) if about else None),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{key},\n{body}}}\n"


def _not_found(message: str) -> Response:
    body = json.dumps({"ok": False, "error": message, "status": 404}, ensure_ascii=False)
    # The message echoes the address: never as markup, whatever a client makes of the answer
    # (outside strings JSON has none of these characters).
    for character, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        body = body.replace(character, escaped)
    return Response(body, status=404, content_type="application/json; charset=utf-8")


async def cite_json(request, datasette):
    """/-/cite/<table>/<id>.json: the record's CSL-JSON item, as its page shows it."""
    database = article_database(datasette)
    table = tilde_decode(request.url_vars["table"])
    record_id = tilde_decode(request.url_vars["record_id"])
    if table not in citable_tables(datasette, database):
        return _not_found(f"Nothing to cite in {table!r}: not a table of records")
    found = await citation(datasette, database, table, record_id, request)
    if found is None:
        return _not_found(f"No record {record_id!r} in {table}")
    return Response(found["csl_json"], content_type="application/json; charset=utf-8")
