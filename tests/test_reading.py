"""The annotated article, /-/read/<article-id>: the article with its records on it.

What a reader sees is checked in headless chromium against a plain `datasette serve`
(fixtures in tests/browser_support.py); what any request answers, with Datasette's client.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.utils import tilde_encode

from tests.browser_support import ARTIFACTS, local_page, shot
from tests.html_support import CONTRAST

from .conftest import ARTICLE_ID

READ = f"/-/read/{ARTICLE_ID}"
CONTESTED = ("allegation", "official_claim", "denial")

# Each sentence's own words: what is left without its number and its waiver.
SENTENCES = """() => [...document.querySelectorAll('.paragraph .sentence')].map((s) => ({
  id: s.id,
  text: [...s.childNodes]
    .filter((n) => !(n.classList && ['number', 'waiver'].some((c) => n.classList.contains(c))))
    .map((n) => n.textContent).join('').trim(),
  uncited: s.classList.contains('uncited'),
  waiver: (s.querySelector('.waiver') || {}).textContent || null,
  numberLink: s.querySelector('a.number').getAttribute('href'),
}))"""

# For each span named by a highlight: the words highlighted for it, in order.
HIGHLIGHTED = """() => {
  const words = {};
  for (const a of document.querySelectorAll('a.hl')) {
    for (const span of a.dataset.spans.split(' ')) {
      words[span] = (words[span] || '') + a.textContent;
    }
  }
  return words;
}"""


def distinct_spans(db) -> dict[str, dict]:
    """q-<start>-<end> -> the quote and the records its evidence backs."""
    spans: dict[str, dict] = {}
    for row in db.execute(
        "select record_table, record_id, quote, char_start, char_end from evidence "
        "where article_id = ?",
        [ARTICLE_ID],
    ):
        span = spans.setdefault(
            f"q-{row['char_start']}-{row['char_end']}", {"quote": row["quote"], "records": set()}
        )
        span["records"].add((row["record_table"], row["record_id"]))
    return spans


async def test_the_page_answers_and_an_unknown_article_is_not_found(datasette):
    response = await datasette.client.get(READ)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script" not in response.text.split("<body", 1)[1].split("<footer", 1)[0]
    missing = await datasette.client.get("/-/read/no-such-article")
    assert missing.status_code == 404
    assert "No article with the id" in missing.text


async def test_search_words_are_shown_as_text(datasette):
    hostile = '"><script>window.__xss = 1</script><img src=x onerror=alert(1)>'
    response = await datasette.client.get(READ, params={"q": hostile})
    assert response.status_code == 200
    assert "<script>window.__xss" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in response.text


async def test_every_place_in_the_article_links_to_it_in_the_annotated_article(datasette, db):
    """A paragraph's, a sentence's, a quote's and a stated value's pages link to their place."""
    evidence = db.execute("select id, char_start, char_end from evidence limit 1").fetchone()
    claim = db.execute(
        "select c.id, s.number from claims c join sentences s on s.id = c.sentence_id limit 1"
    ).fetchone()
    paragraph = db.execute("select id, number from paragraphs where number = 3").fetchone()
    for table, row_id, anchor in (
        ("evidence", evidence["id"], f"q-{evidence['char_start']}-{evidence['char_end']}"),
        ("claims", claim["id"], f"s{claim['number']}"),
        ("paragraphs", paragraph["id"], "p3"),
        ("articles", ARTICLE_ID, None),
    ):
        html = (await datasette.client.get(f"/article/{table}/{tilde_encode(row_id)}")).text
        expected = f"{READ}#{anchor}" if anchor else READ
        assert f'<p class="read-in-article"><a href="{expected}">' in html, table


async def test_the_reading_room_is_on_the_home_and_database_pages_not_on_query_results(datasette):
    for path in ("/", "/article"):
        assert 'class="reading-room-links' in (await datasette.client.get(path)).text, path
    home = (await datasette.client.get("/")).text
    [version] = re.findall(r"Dataset version <code>([0-9a-f]{12})</code>", home)
    read = (await datasette.client.get("/-/read/torture-video-kazakhstan")).text
    assert f"Dataset version <code>{version}</code>" in read  # the same, on the article
    query = await datasette.client.get("/article?sql=select+1+as+one")
    assert query.status_code == 200 and "<td" in query.text
    assert "reading-room-links" not in query.text


async def test_another_database_served_beside_it_keeps_its_own_pages(db_path, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table sentences (id text primary key, words text)")
        connection.execute("insert into sentences values ('a', 'not an article')")
    served = Datasette([str(db_path), str(other)])
    response = await served.client.get("/other/sentences/a")
    assert response.status_code == 200
    assert "read-in-article" not in response.text and "not an article" in response.text


def test_every_sentence_is_shown_in_order_and_uncited_ones_say_why(page, db):
    page.goto(READ)
    shown = page.evaluate(SENTENCES)
    rows = db.execute(
        "select id, number, text, uncited_reason from sentences where article_id = ? "
        "order by number",
        [ARTICLE_ID],
    ).fetchall()
    assert len(shown) == len(rows) == 59
    assert [s["id"] for s in shown] == [f"s{row['number']}" for row in rows]
    assert [s["text"] for s in shown] == [row["text"] for row in rows]
    assert [s["numberLink"] for s in shown] == [f"/article/sentences/{row['id']}" for row in rows]
    uncited = [(s["id"], s["waiver"]) for s in shown if s["uncited"]]
    assert uncited == [
        (f"s{row['number']}", f"not cited: {row['uncited_reason']}")
        for row in rows
        if row["uncited_reason"]
    ]
    assert len(uncited) == 3
    # Headings as headings: the headline and the two section headings.
    headings = page.locator(".paragraph.heading h2").all_text_contents()
    assert len(headings) == 3 and "‘Men With Epaulets And Uniforms’" in headings[2]


def test_one_highlight_per_evidence_span_listing_every_record_it_backs(page, db):
    page.goto(READ)
    spans = distinct_spans(db)
    assert len(spans) == 215
    # The words highlighted for each span are exactly its quote: the offsets are right.
    assert page.evaluate(HIGHLIGHTED) == {anchor: span["quote"] for anchor, span in spans.items()}
    listed = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.quotes li')].map((li) =>
          [li.id, [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')).sort()]))"""
    )
    assert set(listed) == set(spans)
    for anchor, span in spans.items():
        expected = sorted(f"/article/{table}/{record_id}" for table, record_id in span["records"])
        records = [href for href in listed[anchor] if not href.startswith("#")]
        assert records == expected, anchor
    # Every span is reached from the text: its own highlight links to it, or (a quote wholly
    # covered by smaller ones) the entry of a quote inside it does.
    targets = set(page.evaluate("[...document.querySelectorAll('a.hl')].map((a) => a.hash)"))
    reached = set(targets)
    for anchor in targets:
        reached |= set(
            page.locator(f"{anchor} a.within").evaluate_all("(l) => l.map((a) => a.hash)")
        )
    assert {a.removeprefix("#") for a in reached} == set(spans)
    assert len(targets) < len(spans)  # some are only reached through a smaller quote


def test_contested_passages_stand_out_and_say_who_asserts_them(page, db):
    page.goto(READ)
    contested = {
        (table, row["id"])
        for table in ("events", "statements", "figures", "cases", "penalties")
        for row in db.execute(f"select id from {table} where assertion in {CONTESTED}")
    }
    contested |= {(r["record_table"], r["record_id"]) for r in db.execute("select * from disputes")}
    contested |= {(r["by_table"], r["by_id"]) for r in db.execute("select * from disputes")}
    contested |= {("disputes", r["id"]) for r in db.execute("select id from disputes")}
    marked = page.evaluate(
        """() => [...document.querySelectorAll('.quotes li')]
          .filter((li) => li.classList.contains('contested')).map((li) => li.id)"""
    )
    expected = {
        anchor for anchor, span in distinct_spans(db).items() if span["records"] & contested
    }
    assert set(marked) == expected and len(expected) > 20
    # The guards' denial is contested, highlighted as such in its sentence.
    denial = page.locator("a.hl.contested", has_text="There was no torture of defendants")
    assert denial.count() >= 1
    # Beside the paragraph, Toqaev's "20,000 terrorists" is his official claim, by name.
    figure = page.locator("aside li.figures", has_text="20,000")
    assert "official claim, Qasym-Zhomart Toqaev" in figure.first.text_content()


def test_a_highlight_leads_to_its_records_and_back(page):
    from playwright.sync_api import expect

    page.goto(READ)
    highlight = page.locator("#s14 a.hl", has_text="38").first
    anchor = highlight.get_attribute("href")
    highlight.click()
    assert page.url.endswith(anchor)
    entry = page.locator(anchor)
    expect(entry).to_be_visible()
    # The innermost quote under "38" is the age: a figure.
    entry.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/article/figures/danebaev-age$"))
    back = page.locator(f'a[href$="{READ}{anchor}"]')
    expect(back.first).to_be_visible()
    back.first.click()
    expect(page.locator(anchor)).to_be_visible()


def test_search_words_are_highlighted_where_they_occur(page, db):
    text = db.execute("select text from articles where id = ?", [ARTICLE_ID]).fetchone()[0]
    page.goto(f"{READ}?q=Toqaev")
    expected = re.findall(r"\btoqaev\w*", text, re.IGNORECASE)
    marks = page.locator(".paragraph mark.search").all_text_contents()
    # A match cut by a highlight's edge is several marks: join those back.
    joined = page.evaluate(
        """() => [...document.querySelectorAll('.paragraph .sentence')].flatMap((s) =>
          (s.textContent.match(/\\btoqaev\\w*/gi) || []))"""
    )
    assert marks and "".join(marks) == "".join(expected)
    assert len(joined) == len(expected) == 9
    assert page.locator(".match-count").text_content().startswith(f"{len(expected)} matches")


@pytest.mark.parametrize("width", [390, 1280])
def test_readable_on_a_phone_and_a_desktop_by_keyboard_with_enough_contrast(browser, server, width):
    with local_page(browser, server, viewport={"width": width, "height": 900}) as page:
        page.goto(f"{READ}?q=torture")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        text = page.locator("#p3 .text").bounding_box()
        aside = page.locator("#p3 aside").bounding_box()
        if width >= 1000:
            assert aside["x"] >= text["x"] + text["width"]  # beside the text
        else:
            assert aside["y"] >= text["y"] + text["height"]  # under it
        # Tab from the search box reaches the article's highlights, with a visible focus.
        page.locator("#q").focus()
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('hl')"):
                break
        else:
            raise AssertionError("Tab never reached a highlight")
        focus = """(() => {
          const style = getComputedStyle(document.activeElement);
          return [style.outlineStyle, style.outlineWidth, style.outlineColor];
        })()"""
        assert page.evaluate(focus) == ["solid", "3px", "rgb(29, 95, 214)"]  # site.css --focus
        for selector in (
            ".paragraph p",
            "a.hl.depth-1",
            "a.hl.depth-2",
            "a.hl.contested",
            ".sentence .number",
            ".sentence.uncited",
            ".waiver",
            "mark.search",
            "aside a",
            "aside .voice",
            "aside h3",
            ".legend dd",
        ):
            element = page.locator(selector).first
            ratio = element.evaluate(CONTRAST)
            assert ratio >= 4.5, (selector, ratio)
        shot(page, f"read-{width}.png")
        page.goto(f"{READ}?q=torture")  # the top of the page, as a reader first sees it
        page.screenshot(path=str(ARTIFACTS / f"read-{width}-top.png"))


def test_linked_from_the_home_page_the_articles_page_and_every_sentences_page(page, db):
    page.goto("/")
    page.get_by_role("link", name=re.compile("^Read “Torture Video")).click()
    assert page.url.endswith(READ)
    page.goto(f"/article/articles/{ARTICLE_ID}")
    page.get_by_role("link", name="Read the article with its records on it").click()
    assert page.url.endswith(READ)
    sentences = db.execute(
        "select id, number from sentences where article_id = ? order by number", [ARTICLE_ID]
    ).fetchall()
    for sentence_id, number in sentences:  # each page's link, as served (no need to render)
        html = page.request.get(f"/article/sentences/{sentence_id}").text()
        link = f'<p class="read-in-article"><a href="{READ}#s{number}">'
        assert link in html, sentence_id
    sentence_id, number = sentences[-1]
    page.goto(f"/article/sentences/{sentence_id}")
    page.locator("p.read-in-article a").click()
    assert page.url.endswith(f"{READ}#s{number}")
    assert page.locator(f"#s{number}").is_visible()
