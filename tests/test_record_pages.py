"""Record pages that show their evidence, and "Cite this".

What any request answers, with Datasette's test client on the real data (and on a copy whose
records hold markup); what a reader sees, in headless chromium against `datasette serve`.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import OrderedDict
from itertools import accumulate

import pytest
from datasette.app import Datasette
from datasette.utils import tilde_encode

from article_dataset.metadata import metadata
from article_dataset.site.pages import SITE_URL_VARIABLE
from article_dataset.tables.evidence import RECORD_TABLES
from tests.browser_support import shot
from tests.html_support import CONTRAST, Node, Tree

from .conftest import ARTICLE_ID, build_edited, label_of

EVENT = "danebaev-beaten-in-atbasar-video"


async def record_page(datasette, table: str, record_id: str) -> Node:
    response = await datasette.client.get(f"/article/{table}/{record_id}")
    assert response.status_code == 200, (table, record_id)
    return Tree(response.text).root


def best_record(db, table: str, of: str) -> str:
    """The record of the table with the most evidence (of="evidence") or claims."""
    return db.execute(
        f"select record_id from {of} where record_table = ? group by record_id "
        "order by count(*) desc, record_id limit 1",
        [table],
    ).fetchone()[0]


# The text and date variables of a CSL-JSON item (citation-style-language/schema,
# csl-data.json, which allows no others); names are left out, as a citation here has none.
CSL_ITEM_PROPERTIES = frozenset(
    """type id categories language journalAbbreviation shortTitle accessed container event-date
    issued original-date submitted abstract annote archive archive_location archive-place
    authority call-number chapter-number citation-number citation-label collection-number
    collection-title container-title container-title-short dimensions DOI edition event
    event-place first-reference-note-number genre ISBN ISSN issue jurisdiction keyword
    locator medium note number number-of-pages number-of-volumes original-publisher
    original-publisher-place original-title page page-first PMCID PMID publisher
    publisher-place references reviewed-title scale section source status title title-short
    URL version volume year-suffix""".split()  # noqa: SIM905
)


def version_of(db) -> str:
    digest = hashlib.sha256()
    for path, sha256 in db.execute("select path, sha256 from _build_files order by path"):
        digest.update(f"{path}\0{sha256}\n".encode())
    return digest.hexdigest()[:12]


@pytest.mark.parametrize("table", RECORD_TABLES)
async def test_a_record_shows_each_sentence_of_its_evidence_with_its_quotes_marked(
    datasette, db, table
):
    record_id = best_record(db, table, "evidence")
    evidence = db.execute(
        """select e.quote, e.char_start, e.char_end, e.article_id, s.id as sentence_id,
          s.number, s.text from evidence e join sentences s on s.id = e.sentence_id
        where e.record_table = ? and e.record_id = ?""",
        [table, record_id],
    ).fetchall()
    sentences = sorted({(row["number"], row["sentence_id"], row["text"]) for row in evidence})
    page = await record_page(datasette, table, record_id)
    shown = page.one("section", "record-sentences").all("li", "record-sentence")
    assert len(shown) == len(sentences), record_id
    for item, (number, sentence_id, text) in zip(shown, sentences, strict=True):
        link = item.one("a", "sentence-number")
        assert link.text() == f"Sentence {number}"
        assert link.attrs["href"] == f"/article/sentences/{sentence_id}"
        assert item.one("span", "sentence-text").text() == text  # the whole sentence, as it is
    quotes = {
        a.attrs["href"]: a.one("mark").text()
        for a in page.one("section", "record-sentences").all("a", "quote")
    }
    expected = {
        f"/-/read/{row['article_id']}#q-{row['char_start']}-{row['char_end']}": row["quote"]
        for row in evidence
    }
    assert quotes == expected


@pytest.mark.parametrize("table", [t for t in RECORD_TABLES if t != "disputes"])
async def test_a_record_shows_each_of_its_claims_with_who_asserts_it(datasette, db, table):
    record_id = best_record(db, table, "claims")
    claims = db.execute(
        "select * from claims where record_table = ? and record_id = ?", [table, record_id]
    ).fetchall()
    page = await record_page(datasette, table, record_id)
    rows = page.one("section", "record-claims").all("tr", "record-claim")
    assert len(rows) == len(claims), record_id
    by_url = {row.one("td", "claim-field").one("a").attrs["href"]: row for row in rows}
    assert set(by_url) == {f"/article/claims/{tilde_encode(claim['id'])}" for claim in claims}
    # Who asserts each value, as the provenance query names it; but a waived value, which
    # no sentence states, is asserted by nobody in the article.
    provenance = await datasette.client.get(
        "/article/provenance.json",
        params={"record_table": table, "record_id": record_id, "_shape": "objects"},
    )
    asserted_by = {row["claim_id"]: row["asserted_by"] for row in provenance.json()["rows"]}
    for claim in claims:
        row = by_url[f"/article/claims/{tilde_encode(claim['id'])}"]
        assert row.one("td", "claim-field").text() == claim["field"]
        value = row.one("td", "claim-value")
        if claim["value_table"]:
            label = label_of(db, claim["value_table"], claim["value"])
            assert value.text() == f"{label} ({claim['value']})"
            assert (
                value.one("a").attrs["href"] == f"/article/{claim['value_table']}/{claim['value']}"
            )
        else:
            assert value.text() == claim["value"]
        who = row.one("td", "claim-asserted-by").text()
        if claim["linked_by"] == "waived":
            assert who == "nobody in the article"
            assert row.one("td", "claim-sentence").text() == "Stated by no sentence of the article"
        elif claim["asserted_by_id"]:
            assert who == f"{asserted_by[claim['id']]} ({claim['asserted_by_id']})"
        else:
            assert who == asserted_by[claim["id"]]
        for column in ("assertion", "linked_by", "note"):
            css = "claim-" + column.replace("_", "-")
            assert row.one("td", css).text() == (claim[column] or ""), column


async def test_a_claims_quote_is_marked_in_its_sentence(datasette, db):
    claim = db.execute(
        """select c.quote, s.number, s.text from claims c join sentences s on s.id = c.sentence_id
        where c.record_table = 'actors' and c.record_id = 'timur-danebaev' and c.field = 'age'"""
    ).fetchone()
    page = await record_page(datasette, "actors", "timur-danebaev")
    [row] = [
        r for r in page.all("tr", "record-claim") if r.one("td", "claim-field").text() == "age"
    ]
    cell = row.one("td", "claim-sentence")
    assert cell.one("span", "sentence-text").text() == claim["text"]
    mark = cell.one("a", "quote")
    assert mark.one("mark").text() == claim["quote"] == "38"
    assert mark.attrs["href"] == f"/-/read/{ARTICLE_ID}#s{claim['number']}"


async def test_a_disputed_event_shows_who_disputes_it_and_a_statement_what_it_disputes(
    datasette, db
):
    page = await record_page(datasette, "events", EVENT)
    disputed_by = page.one("section", "record-disputes").all("li", "disputed-by")
    expected = db.execute(
        """select d.id, d.relation, d.by_table, d.by_id, s.title from disputes d
        join statements s on s.id = d.by_id
        where d.record_table = 'events' and d.record_id = ? order by d.id""",
        [EVENT],
    ).fetchall()
    assert len(expected) == 2
    assert len(disputed_by) == len(expected)
    assert not page.all("li", "disputing")
    for item, dispute in zip(disputed_by, expected, strict=True):
        other = item.one("a", "record")
        assert other.attrs["href"] == f"/article/{dispute['by_table']}/{dispute['by_id']}"
        assert (
            other.text() == f"{label_of(db, 'statements', dispute['by_id'])} ({dispute['by_id']})"
        )
        assert item.one("strong", "dispute-relation").text() == dispute["relation"]
        assert item.one("a", "dispute-link").attrs["href"] == f"/article/disputes/{dispute['id']}"

    # The other direction: the guards' speaker's statement denies two records.
    page = await record_page(datasette, "statements", "speaker-no-torture")
    disputing = page.one("section", "record-disputes").all("li", "disputing")
    expected = db.execute(
        """select relation, record_table, record_id from disputes
        where by_table = 'statements' and by_id = 'speaker-no-torture' order by id"""
    ).fetchall()
    assert len(expected) == 2
    assert [
        (item.one("strong").text(), item.one("a", "record").attrs["href"]) for item in disputing
    ] == [(d["relation"], f"/article/{d['record_table']}/{d['record_id']}") for d in expected]
    assert not page.all("li", "disputed-by")


async def test_foreign_keys_on_a_row_page_show_their_label_and_keep_their_link(datasette, db):
    event = db.execute(
        "select e.place_id, p.name from events e join places p on p.id = e.place_id where e.id = ?",
        [EVENT],
    ).fetchone()
    page = await record_page(datasette, "events", EVENT)
    link = page.one("table", "rows-and-columns").one("td", "col-place_id").one("a")
    assert link.attrs["href"] == f"/article/places/{event['place_id']}"
    assert link.text() == f"{event['name']} ({event['place_id']})"
    # A polymorphic id on a dispute's page: the record disputed, by its label.
    page = await record_page(datasette, "disputes", "guards-deny-torture")
    link = page.one("td", "col-record_id").one("a")
    assert link.attrs["href"] == f"/article/events/{EVENT}"
    title = db.execute("select title from events where id = ?", [EVENT]).fetchone()[0]
    assert link.text() == f"{title} ({EVENT})"


async def test_query_results_link_ids_without_looking_up_labels(datasette):
    """A query's page may hold 1 000 rows of ids: linked by id, with no query per cell."""
    response = await datasette.client.get(
        "/article/provenance", params={"record_table": "events", "record_id": EVENT}
    )
    values = Tree(response.text).root.all("td", "col-value")
    links = [link for cell in values for link in cell.all("a", "record")]
    assert links
    for link in links:
        assert not link.all("span", "record-id")
        assert link.attrs["href"].endswith("/" + link.text())


def test_labels_are_looked_up_once_and_kept_in_a_bounded_cache(datasette, db, monkeypatch):
    from article_dataset.site import cells

    monkeypatch.setattr(cells, "LABELS_KEPT", 3)
    monkeypatch.setattr(cells, "_labels", OrderedDict())  # earlier tests filled the real one
    queries = []
    connect = cells._connection

    class Counted:  # the lookup connection, counting the queries asked of it
        def __init__(self, connection):
            self.connection = connection

        def execute(self, sql, *args):
            queries.append(sql)
            return self.connection.execute(sql, *args)

    monkeypatch.setattr(cells, "_connection", lambda *a: Counted(connect(*a)))
    actors = db.execute("select id, name from actors order by id limit 6").fetchall()
    shown = [cells.record_label(datasette, "article", "actors", a["id"]) for a in actors]
    assert shown == [a["name"] for a in actors]
    assert [key[-1] for key in cells._labels] == [a["id"] for a in actors[3:]]  # the last 3
    asked = len(queries)
    assert [cells.record_label(datasette, "article", "actors", a["id"]) for a in actors[3:]] == [
        a["name"] for a in actors[3:]
    ]
    assert len(queries) == asked  # kept: not looked up again
    assert cells.record_label(datasette, "article", "actors", actors[0]["id"]) == actors[0]["name"]
    assert len(queries) == asked + 1  # gone from the cache: looked up once more
    assert cells.record_label(datasette, "article", "actors", "no-such-actor") is None
    assert cells.record_label(datasette, "article", "no such table", "x") is None


async def test_other_tables_row_pages_show_nothing_new(datasette):
    response = await datasette.client.get(f"/article/sentences/{ARTICLE_ID}-s014")
    assert response.status_code == 200
    assert "record-page" not in response.text
    assert "Cite this" not in response.text
    assert "record.css" not in response.text


async def test_a_record_page_cites_the_record_with_its_sentences_and_version(datasette, db):
    page = await record_page(datasette, "events", EVENT)
    cite = page.one("section", "cite-this")
    version = version_of(db)
    assert cite.one("code", "cite-version").text() == version
    title = db.execute("select title from events where id = ?", [EVENT]).fetchone()[0]
    url = f"http://127.0.0.1:8001/article/events/{EVENT}"  # the site's address, by default
    sentences = db.execute(
        """select distinct s.number, s.text from evidence e join sentences s on s.id = e.sentence_id
        where e.record_table = 'events' and e.record_id = ? order by s.number""",
        [EVENT],
    ).fetchall()
    dataset = metadata()["title"]
    text = cite.one("pre", "cite-text").text()
    bibtex = cite.one("pre", "cite-bibtex").text()
    csl = json.loads(cite.one("pre", "cite-csl").text())
    for form in (text, bibtex, json.dumps(csl, ensure_ascii=False)):
        for expected in (title, url, version, dataset):
            assert expected in form, (expected, form[:80])
        for number, sentence in sentences:
            assert f"[{number}] {sentence}" in form
    assert bibtex.startswith(f"@misc{{events:{EVENT},\n")
    assert bibtex.count("{") == bibtex.count("}")
    assert csl["type"] == "dataset"
    assert set(csl) <= CSL_ITEM_PROPERTIES, set(csl) - CSL_ITEM_PROPERTIES
    shown = {key: csl[key] for key in ("title", "URL", "version", "container-title")}
    assert shown == {"title": title, "URL": url, "version": version, "container-title": dataset}
    # The JSON of the page is the JSON /-/cite serves, byte for byte, every time.
    json_url = cite.one("p", "cite-download").one("a").attrs["href"]
    assert json_url == f"/-/cite/events/{EVENT}.json"
    first = await datasette.client.get(json_url)
    second = await datasette.client.get(json_url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/json")
    assert first.content == second.content
    assert first.text == cite.one("pre", "cite-csl").text()


async def test_two_readers_of_the_same_build_get_the_same_citation(datasette, db_path):
    """No date, no time, not the address a request came in on: the same record cited on two
    servers of one build, by readers who reach it under different host names, byte for byte."""
    other = Datasette([str(db_path)], metadata=metadata())
    path = "/article/actors/timur-danebaev"
    blocks = [
        re.search(
            r'<section class="cite-this".*?</section>',
            (await ds.client.get(path, headers={"host": host})).text,
            re.S,
        ).group()
        for ds, host in ((datasette, "localhost"), (other, "evil.example"), (datasette, "x:9"))
    ]
    assert blocks[0] == blocks[1] == blocks[2]
    assert "evil.example" not in blocks[1] and "http://127.0.0.1:8001/article/actors/" in blocks[1]


async def test_citations_give_the_site_url_it_is_published_at(datasette, monkeypatch):
    monkeypatch.setenv(SITE_URL_VARIABLE, "https://kazakhstan.example.org/")
    response = await datasette.client.get(f"/-/cite/events/{EVENT}.json")
    assert response.json()["URL"] == f"https://kazakhstan.example.org/article/events/{EVENT}"


@pytest.mark.parametrize(
    "path",
    [
        "/-/cite/events/no-such-event.json",
        "/-/cite/no-such-table/x.json",
        "/-/cite/sentences/torture-video-kazakhstan-s014.json",  # a table, but not citable
        "/-/cite/actors/~3Cscript~3Ealert(1)~3C~2Fscript~3E.json",
        "/-/cite/~3Cimg~20src~3Dx~3E/x.json",
        "/-/cite/actors/%3Cscript%3E.json",
        "/-/cite/articles/nope.json",
        "/-/cite/claims/x.json",
    ],
)
async def test_cite_json_answers_404_for_what_it_cannot_cite(datasette, path):
    response = await datasette.client.get(path)
    assert response.status_code == 404, path
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["ok"] is False and body["error"]
    assert "<" not in response.text and ">" not in response.text


async def test_the_annotated_article_is_citable_as_the_read_page(datasette, db):
    article = db.execute("select * from articles where id = ?", [ARTICLE_ID]).fetchone()
    response = await datasette.client.get(f"/-/cite/articles/{ARTICLE_ID}.json")
    assert response.status_code == 200
    csl = response.json()
    assert csl["title"] == article["title"]
    assert csl["URL"] == f"http://127.0.0.1:8001/-/read/{ARTICLE_ID}"
    assert csl["original-publisher"] == article["publisher"]
    assert csl["type"] == "dataset" and set(csl) <= CSL_ITEM_PROPERTIES
    assert article["source_url"] in csl["note"]
    # What the annotated article shows: the same citation.
    page = await datasette.client.get(f"/-/read/{ARTICLE_ID}")
    block = Tree(page.text).root.one("section", "cite-this")
    assert block.one("pre", "cite-csl").text() == response.text
    assert json.loads(block.one("pre", "cite-csl").text()) == csl
    assert article["title"] in block.one("pre", "cite-text").text()


HOSTILE_NAME = r"Timur {Danebaev} 100% & <script>window.__xss = 1</script> \ # _ ~ ^ $ }{"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Datasette on a database built from a copy of the data with markup, braces and LaTeX's
    special characters in an actor's name (its name claim waived, as no sentence states it)."""
    quoted = HOSTILE_NAME.replace("'", "''")
    replaced = f"  name: '{quoted}'\n  claims: {{name: {{waived: 'hostile test name'}}}}\n"
    edit = ("registry/actors.yml", "  name: Timur Danebaev\n", replaced)
    db = build_edited(tmp_path_factory.mktemp("hostile-records"), edit)
    return Datasette([str(db)], metadata=metadata())


async def test_markup_in_a_record_is_escaped_in_its_page_and_citations(hostile):
    response = await hostile.client.get("/article/actors/timur-danebaev")
    assert response.status_code == 200
    assert "<script>window.__xss" not in response.text
    assert html.escape("<script>window.__xss = 1</script>") in response.text
    page = Tree(response.text).root
    cite = page.one("section", "cite-this")
    # The page shows the name as text: in the plain citation exactly as it is.
    assert HOSTILE_NAME in cite.one("pre", "cite-text").text()
    bibtex = cite.one("pre", "cite-bibtex").text()
    title = re.search(r"^  title = \{(.*)\},$", bibtex, re.M).group(1)
    assert title == (
        r"{Timur \textbraceleft{}Danebaev\textbraceright{} 100\% \& <script>window.\_\_xss = "
        r"1</script> \textbackslash{} \# \_ \textasciitilde{} \textasciicircum{} \$ "
        r"\textbraceright{}\textbraceleft{}}"
    )
    # Braces balance at every depth: the entry ends where it should.
    depths = list(accumulate({"{": 1, "}": -1}.get(character, 0) for character in bibtex))
    assert min(depths) == 0 == depths[-1]
    csl = json.loads(cite.one("pre", "cite-csl").text())
    assert csl["title"] == HOSTILE_NAME
    served = await hostile.client.get("/-/cite/actors/timur-danebaev.json")
    assert served.json() == csl
    # And where the name labels a link: an event's victim, on the event's page.
    event = Tree((await hostile.client.get(f"/article/events/{EVENT}")).text).root
    victims = [
        row.one("td", "claim-value").one("a").text()
        for row in event.all("tr", "record-claim")
        if row.one("td", "claim-field").text() == "actors.victim"
    ]
    assert victims == [f"{HOSTILE_NAME} (timur-danebaev)"]


def test_in_the_browser_an_event_shows_its_sentences_and_citation(page, db):
    from playwright.sync_api import expect

    page.goto(f"/article/events/{EVENT}")
    sentences = page.locator("section.record-sentences li.record-sentence")
    expected = db.execute(
        """select count(distinct sentence_id) from evidence
        where record_table = 'events' and record_id = ?""",
        [EVENT],
    ).fetchone()[0]
    expect(sentences).to_have_count(expected)
    expect(sentences.first.locator("mark")).to_be_visible()
    # The stylesheet is served and applied: the quotes have site.css's evidence colour.
    mark = sentences.first.locator("mark")
    assert mark.evaluate("(m) => getComputedStyle(m).backgroundColor") == "rgb(255, 240, 163)"
    cite = page.locator("section.cite-this")
    expect(cite.get_by_role("heading", name="Cite this")).to_be_visible()
    expect(cite.locator("pre.cite-bibtex")).to_contain_text(f"@misc{{events:{EVENT},")
    expect(cite.locator("code.cite-version")).to_have_text(version_of(db))
    for selector in ("a.quote mark", ".record-id", "pre.cite-text", "a.sentence-number"):
        ratio = page.locator(f".record-page {selector}").first.evaluate(CONTRAST)
        assert ratio >= 4.5, (selector, ratio)
    shot(page, "record-event.png")  # the README's picture is a copy of it
