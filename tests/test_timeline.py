"""The timeline, /-/timeline: dated events and statements drawn on the server as SVG.

What any request answers is checked with Datasette's client (these tests come first: the
browser fixture's sync playwright keeps its own loop while open); what a reader sees, in
headless chromium against a plain `datasette serve` (fixtures in tests/browser_support.py).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from datasette.app import Datasette
from datasette.utils import tilde_encode

from article_dataset.metadata import metadata
from article_dataset.site import timeline
from article_dataset.site.timeline_svg import LABEL_WIDTH
from tests.browser_support import local_page, shot
from tests.conftest import label_of

TIMELINE = "/-/timeline"
SVG = "{http://www.w3.org/2000/svg}"
RECORD_TABLES = ("events", "statements")


def chart(html: str) -> ET.Element:
    """The timeline's SVG, which must be well-formed XML."""
    start = re.search(r'<svg [^>]*class="timeline-chart"', html).start()
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def marks(svg: ET.Element) -> list[dict]:
    """Each mark of the chart in order, with the thread whose header precedes it."""
    found, thread = [], None
    for child in svg:
        if child.tag == f"{SVG}g" and child.get("class") == "thread":
            thread = {text.get("class"): text.text for text in child.iter(f"{SVG}text")}
            thread["name"] = child.find(f"{SVG}title").text.split(" (part of “")[0]
        elif child.tag == f"{SVG}a":
            mark = next(g for g in child.iter(f"{SVG}g") if "mark" in g.get("class").split())
            found.append(
                {
                    "table": child.get("data-table"),
                    "id": child.get("data-id"),
                    "href": child.get("href"),
                    "classes": set(mark.get("class").split()),
                    "mark": mark,
                    "title": child.find(f"{SVG}title").text,
                    "thread": thread,
                }
            )
    return found


def undated_links(html: str) -> dict[str, str]:
    """{href: the thread heading above it} in the list of undated records."""
    section = html[html.index('<section class="undated"') :]
    section = section[: section.index("</section>")]
    found, heading = {}, None
    for match in re.finditer(r'<h3>(.*?)</h3>|<li class="\w+"><a href="([^"]+)">', section):
        if match.group(1) is not None:
            heading = match.group(1)
        else:
            found[match.group(2)] = heading
    return found


def records(db, dated: bool) -> dict[tuple[str, str], sqlite3.Row]:
    return {
        (table, row["id"]): row
        for table in RECORD_TABLES
        for row in db.execute(f"select * from {table} where date is {'not' if dated else ''} null")
    }


def row_url(table: str, record_id: str) -> str:
    return f"/article/{table}/{tilde_encode(record_id)}"


@pytest.fixture(scope="module")
async def page_html(datasette):
    response = await datasette.client.get(TIMELINE)
    assert response.status_code == 200
    return response.text


async def test_one_mark_per_dated_event_and_statement(page_html, db):
    drawn = marks(chart(page_html))
    dated = records(db, dated=True)
    assert len(drawn) == len(dated) > 0
    assert {(mark["table"], mark["id"]) for mark in drawn} == set(dated)
    for mark in drawn:  # the tooltip: the title and the article's words for the date
        row = dated[(mark["table"], mark["id"])]
        assert mark["title"].startswith(label_of(db, mark["table"], mark["id"]) + "\n")
        assert f"“{row['date_text']}”" in mark["title"] and row["date"] in mark["title"]


async def test_every_mark_links_to_its_record_page(page_html, datasette):
    for mark in marks(chart(page_html)):
        assert mark["href"] == row_url(mark["table"], mark["id"])
        response = await datasette.client.get(mark["href"])
        assert response.status_code == 200, mark["href"]
        assert mark["id"] in response.text


async def test_undated_records_are_listed_apart(page_html, db, datasette):
    listed = undated_links(page_html)
    undated = records(db, dated=False)
    assert len(listed) == len(undated) > 0
    assert set(listed) == {row_url(*key) for key in undated}
    assert not set(listed) & {mark["href"] for mark in marks(chart(page_html))}
    assert f"Undated records ({len(undated)})" in page_html
    for href in list(listed)[:5]:
        assert (await datasette.client.get(href)).status_code == 200


async def test_uncertain_and_approximate_dates_have_their_own_marks_and_legend(page_html, db):
    dated = records(db, dated=True)
    drawn = marks(chart(page_html))
    for mark in drawn:
        qualifier = dated[(mark["table"], mark["id"])]["date_qualifier"] or "exact"
        assert qualifier in mark["classes"]
        assert not {"exact", "uncertain", "approximate", "both"} - {qualifier} & mark["classes"]
    used = set().union(*(mark["classes"] for mark in drawn))
    assert {"uncertain", "approximate", "exact"} <= used
    legend = set(re.findall(r'data-legend="([\w-]+)"', page_html))
    assert used - {"mark"} <= legend  # every kind of mark drawn is explained
    assert "axis-break" in legend


async def test_days_are_points_and_ranges_are_bars(page_html, db):
    dated = records(db, dated=True)
    drawn = {(mark["table"], mark["id"]): mark for mark in marks(chart(page_html))}
    shapes = {key: mark["mark"].findall(f"{SVG}*[@class='shape']") for key, mark in drawn.items()}
    for key, row in dated.items():
        classes, tags = drawn[key]["classes"], {shape.tag for shape in shapes[key]}
        if "/" in row["date"] and row["date_start"] and row["date_end"]:
            assert "range" in classes and tags == {f"{SVG}rect"}, key
        elif row["date"].startswith("{"):  # both days, and nothing drawn between them
            assert "set" in classes and len(shapes[key]) == 2 and f"{SVG}rect" not in tags
        elif row["date_start"] == row["date_end"]:
            assert "point" in classes and f"{SVG}rect" not in tags, key
        elif "/" not in row["date"]:
            assert classes & {"period", "range"} and tags == {f"{SVG}rect"}, key
        elif ".." in row["date"]:  # open on one side: that side fades, no day claimed
            side = "open-start" if row["date"].startswith("..") else "open-end"
            fades = drawn[key]["mark"].findall(f"{SVG}*[@class='fade']")
            assert side in classes and fades, key
        else:
            pytest.fail(f"a date no case above checks: {key} {row['date']}")
    # A year as a bar over the whole year; 2008~ with its margin, as a range.
    assert "period" in drawn[("events", "nazarbaev-sidelined")]["classes"]
    assert "range" in drawn[("events", "kuramashin-atbasar-stint")]["classes"]


async def test_an_open_side_fades_and_claims_no_day(page_html):
    drawn = {mark["id"]: mark for mark in marks(chart(page_html))}

    def box(mark_id):
        shape = drawn[mark_id]["mark"].find(f"{SVG}*[@class='shape']")
        if shape.tag == f"{SVG}circle":
            return shape.get("cx")
        return shape.get("x"), shape.get("width")

    # "2022-01/..": its bar is January 2022, as "2022-01" is; the rest a fade and an arrow.
    assert {"range", "open-end"} <= drawn["detainee-complaints"]["classes"]
    assert box("detainee-complaints") == box("january-2022-unrest")
    assert drawn["detainee-complaints"]["mark"].findall(f"{SVG}rect[@class='fade']")
    assert drawn["detainee-complaints"]["mark"].find(f"{SVG}polyline[@class='chevron']") is not None
    # "../2023-09-06": the day it ends, as "2023-09-06" is, and a fade before it.
    assert {"point", "open-start"} <= drawn["atbasar-jail-investigation"]["classes"]
    assert box("atbasar-jail-investigation") == box("committee-press-release")


async def test_threads_follow_the_links_between_events(page_html, db):
    thread = {(m["table"], m["id"]): m["thread"]["name"] for m in marks(chart(page_html))}
    for href, heading in undated_links(page_html).items():
        table, record_id = href.split("/")[2:4]
        thread[(table, record_id)] = heading
    links = db.execute("select event_id, related_event_id, relation from event_links").fetchall()
    with_sequel = {b for _, b, r in links if r == "follows"} | {
        a for a, _, r in links if r == "causes"
    }
    for event, related, relation in links:
        if relation == "part_of" and event in with_sequel:
            continue  # a part with a sequel of its own starts a thread
        assert thread[("events", event)] == thread[("events", related)], (event, related)
    for statement, event in db.execute(
        "select id, event_id from statements where event_id is not null"
    ):
        assert thread[("statements", statement)] == thread[("events", event)], statement
    title = dict(db.execute("select id, title from events").fetchall())
    # Each thread is named after the event its others lead back to.
    assert (
        thread[("events", "torture-video-published")] == title["danebaev-beaten-in-atbasar-video"]
    )
    assert thread[("events", "csto-intervention")] == title["january-2022-unrest"]
    assert thread[("events", "semey-officers-convicted")] == title["semey-resident-tortured"]
    assert thread[("events", "kaliev-officer-sentenced")] == title["eldos-kaliev-death"]
    # Danebaev's case is one thread: the lawsuit, the pressure, the charges, the sentence.
    danebaev = {
        thread[("events", e)]
        for e in ("danebaev-lawsuit-attempt", "danebaev-charged", "danebaev-sentenced")
    }
    assert danebaev == {title["danebaev-lawsuit-attempt"]}
    assert thread[("statements", "toqaev-20000-terrorists")] == title["january-2022-unrest"]
    semey = next(m for m in marks(chart(page_html)) if m["id"] == "semey-officers-convicted")
    assert f"part of “{title['january-2022-unrest']}”" in semey["thread"]["thread-note"]


def test_threads_from_a_small_graph():
    events = {
        e: (f"Title {e}", day) for e, day in zip("ABCDE", ("2", "3", "4", "5", "1"), strict=True)
    }
    links = [("B", "A", "part_of"), ("C", "A", "part_of"), ("D", "C", "follows")]
    statements = {"s1": ("B", None), "s2": (None, None), "s3": (None, None)}
    disputes = [("statements", "s1", "statements", "s2")]
    keys, found = timeline.threads(events, links, statements, disputes)
    assert keys[("events", "A")] == keys[("events", "B")] == keys[("statements", "s1")] == "A"
    assert keys[("statements", "s2")] == "A"  # no event: the thread of what it disputes
    assert keys[("events", "C")] == keys[("events", "D")] == "C"  # C has a sequel: its own
    assert found["C"].part_of == "Title A" and found["A"].part_of is None
    assert keys[("events", "E")] is None and keys[("statements", "s3")] is None  # loose


async def test_the_page_is_whole_without_scripts_or_other_sites(page_html, datasette):
    svg = chart(page_html)
    assert not svg.findall(f".//{SVG}script") and not svg.findall(f".//{SVG}foreignObject")
    assert not [e for e in svg.iter() if any(name.startswith("on") for name in e.attrib)]
    # Nothing is loaded from elsewhere: no CDN, no fonts, no scripts (links to read are fine).
    loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="([^"]*)"', page_html)
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded)
    remote = re.compile(r"@import|url\(\s*[\"']?(?:[a-z]+:)?//")
    assert not remote.search(page_html)
    for css in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page_html):
        response = await datasette.client.get(css)
        assert response.status_code == 200, css
        assert not remote.search(response.text), css
    assert "timeline.css" in page_html and "site.css" in page_html
    assert "One page draws at most" not in page_html  # every record of the article fits


async def test_unknown_article_or_page_is_refused(datasette, db):
    (article_id,) = db.execute("select id from articles").fetchone()
    chosen = await datasette.client.get(f"{TIMELINE}?article={article_id}")
    assert chosen.status_code == 200
    assert len(marks(chart(chosen.text))) == len(records(db, dated=True))
    unknown = await datasette.client.get(f"{TIMELINE}?article=%3Cscript%3Ex")
    assert unknown.status_code == 404 and "<script>x" not in unknown.text
    assert (await datasette.client.get(f"{TIMELINE}?page=2")).status_code == 404
    for bad in ("0", "-1", "x", "1.5", "１", "9" * 5000):  # int() refuses 4 301 digits
        assert (await datasette.client.get(f"{TIMELINE}?page={bad}")).status_code == 400, bad


async def test_a_page_draws_at_most_its_cap(datasette, db, monkeypatch):
    monkeypatch.setattr(timeline, "MAX_MARKS", 20)
    seen = []
    total = len(records(db, dated=True))
    assert 40 < total <= 60  # three pages of 20
    for number, expected in ((1, 20), (2, 20), (3, total - 40)):
        response = await datasette.client.get(f"{TIMELINE}?page={number}")
        assert response.status_code == 200
        drawn = marks(chart(response.text))
        assert len(drawn) == expected
        assert f"this is page {number} of 3" in response.text
        assert ('rel="next"' in response.text) == (number < 3)
        seen += [(mark["table"], mark["id"]) for mark in drawn]
    assert sorted(seen) == sorted(records(db, dated=True))  # each once, by date across pages


HOSTILE = '<script>alert("t")</script><img src=x onerror=alert(1)>&amp;'


async def test_hostile_markup_stays_text(db_path, tmp_path):
    copy = tmp_path / "hostile.db"
    shutil.copy(db_path, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute(
            "update events set title = ?, date_text = ? where id = 'csto-intervention'",
            (HOSTILE, HOSTILE),
        )
        connection.execute(
            "update events set title = ? where id = 'january-2022-unrest'", (HOSTILE,)
        )
        connection.execute(
            "update statements set title = ? where id = 'kuramashin-beaten-severely'", (HOSTILE,)
        )
    hostile = Datasette([str(copy)], metadata=metadata())
    response = await hostile.client.get(TIMELINE)
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    svg = chart(response.text)  # still well-formed: nothing broke out of its element
    assert not [e for e in svg.iter() if any(name.startswith("on") for name in e.attrib)]
    csto = next(mark for mark in marks(svg) if mark["id"] == "csto-intervention")
    assert csto["title"].startswith(HOSTILE)  # shown as the very text it is
    assert any(m["thread"]["name"].startswith("<script>") for m in marks(svg))
    assert "&lt;script&gt;alert" in response.text.split('id="undated"')[1]


# In the browser -----------------------------------------------------------------------------

CONTRAST = """(pairs) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const over = (top, below) => top.length === 4
    ? top.slice(0, 3).map((v, i) => v * top[3] + below[i] * (1 - top[3])) : top.slice(0, 3);
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const paper = rgb(getComputedStyle(document.querySelector('.timeline-chart .paper')).fill);
  const ratio = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const worst = {};
  for (const [textSelector, backgroundSelector, property] of pairs) {
    for (const text of document.querySelectorAll(textSelector)) {
      const style = getComputedStyle(text);
      const colour = rgb(property === 'color' ? style.color : style.fill);
      let background = paper;
      if (backgroundSelector === 'page') {
        background = rgb(getComputedStyle(document.body).backgroundColor);
      } else if (backgroundSelector) {
        const behind = text.closest('a, g').querySelector(backgroundSelector);
        background = over(rgb(getComputedStyle(behind).fill), paper);
      }
      const value = ratio(over(colour, background), background);
      worst[textSelector] = Math.min(worst[textSelector] || 99, value);
    }
  }
  return worst;
}"""
TEXT_ON_BACKGROUND = [
    [".row-label .label", ".row-bg", "fill"],
    [".record-link .date-label", ".row-bg", "fill"],
    [".timeline-chart .tick", None, "fill"],
    [".timeline-labels .thread-title", None, "fill"],
    [".timeline-chart .thread-note", None, "fill"],
    [".focus-card text", "rect", "fill"],
    [".timeline .lede a", "page", "color"],
    [".timeline .counts", "page", "color"],
    [".timeline-legend .entry span", "page", "color"],
    [".undated a", "page", "color"],
]


def test_marks_visible_in_the_chart_with_readable_labels(page, db):
    from playwright.sync_api import expect

    page.goto(TIMELINE)
    expect(page.locator("a.record-link")).to_have_count(len(records(db, dated=True)))
    geometry = page.evaluate(
        """() => {
      const svg = document.querySelector('svg.timeline-chart').getBoundingClientRect();
      const box = document.querySelector('.timeline-scroll');
      return {
        fits: box.scrollWidth <= box.clientWidth,
        svg: [svg.left, svg.right, svg.top, svg.bottom],
        marks: [...document.querySelectorAll('a.record-link .mark')].map((m) => {
          const r = m.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom];
        }),
        labels: [...document.querySelectorAll('.row-label .label, .thread-title')]
          .map((t) => t.getBBox().x + t.getBBox().width),
      };
    }"""
    )
    assert geometry["fits"]  # at 1280 the whole chart shows without scrolling sideways
    left, right, top, bottom = geometry["svg"]
    for x0, x1, y0, y1 in geometry["marks"]:
        assert x1 - x0 > 4 and y1 - y0 > 4  # drawn, not collapsed
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom
    assert max(geometry["labels"]) < LABEL_WIDTH - 4  # labels fit their column
    measured = page.evaluate(CONTRAST, TEXT_ON_BACKGROUND)
    assert set(measured) == {selector for selector, *_ in TEXT_ON_BACKGROUND}  # each found
    for worst in measured.items():
        assert worst[1] >= 4.5, worst
    uncertain, approximate, exact = (
        page.locator(f".mark.{kind} .shape").first.evaluate(
            "(s) => [getComputedStyle(s).strokeDasharray, getComputedStyle(s).fill]"
        )
        for kind in ("uncertain", "approximate", "exact")
    )
    assert len({uncertain[0], approximate[0], exact[0]}) == 3  # dashed, dotted, solid
    assert len({uncertain[1], approximate[1], exact[1]}) == 3  # hollow, pale, filled
    shot(page, "timeline-1280.png")  # the README's picture is a copy of it


def test_tab_reaches_the_first_mark_and_shows_its_title_then_opens_it(page, db):
    from playwright.sync_api import expect

    page.goto(TIMELINE)
    first = page.locator("a.record-link").first
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg.timeline-chart')"):
            break
    assert page.evaluate(
        "() => document.activeElement.getAttribute('href')"
    ) == first.get_attribute("href")
    record_id = first.get_attribute("data-id")
    (title,) = db.execute("select title from events where id = ?", (record_id,)).fetchone()
    card = first.locator(".focus-card")
    expect(card).to_be_visible()
    expect(card.locator(".card-title")).to_have_text(title)
    assert (
        first.locator(".row-bg").evaluate("(r) => getComputedStyle(r).stroke") == "rgb(29, 95, 214)"
    )
    second = page.locator("a.record-link").nth(1)
    expect(second.locator(".focus-card")).to_be_hidden()
    page.keyboard.press("Tab")  # the next mark, and not its label: each record once in the order
    expect(second.locator(".focus-card")).to_be_visible()
    page.keyboard.press("Shift+Tab")

    first.locator(".mark").click()
    page.wait_for_url(f"**{row_url('events', record_id)}")
    expect(page.locator("h1")).to_contain_text(record_id)


def test_on_a_phone_the_chart_scrolls_inside_its_box(browser, server):
    from playwright.sync_api import expect

    with local_page(browser, server, viewport={"width": 390, "height": 844}) as page:
        page.goto(TIMELINE)
        sizes = page.evaluate(
            """() => {
          const box = document.querySelector('.timeline-scroll');
          const edge = box.getBoundingClientRect().left;
          const rights = [...box.querySelectorAll('a.record-link .mark')]
            .map((m) => m.getBoundingClientRect().right - edge);
          return {page: document.documentElement.scrollWidth, box: box.clientWidth,
                  content: box.scrollWidth, rightmost: Math.max(...rights)};
        }"""
        )
        assert sizes["page"] <= 390  # the page itself does not scroll sideways
        assert sizes["content"] > sizes["box"]  # the chart does, inside its box
        assert sizes["rightmost"] <= sizes["content"]
        last = page.locator("a.record-link .mark").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()
        # Scrolled to the latest marks, the labels stay beside them.
        edges = page.evaluate(
            """() => [document.querySelector('.timeline-scroll').scrollLeft,
                      document.querySelector('.timeline-scroll').getBoundingClientRect().left,
                      document.querySelector('.timeline-labels').getBoundingClientRect().left]"""
        )
        assert edges[0] > 0 and abs(edges[1] + 1 - edges[2]) <= 1, edges
        expect(page.locator(".row-label").last).to_be_in_viewport()
        shot(page, "timeline-390-scrolled.png")
        expect(page.locator(".timeline-legend")).to_be_visible()
        page.evaluate("() => document.querySelector('.timeline-scroll').scrollLeft = 0")
        shot(page, "timeline-390.png")


def test_without_javascript_the_chart_is_the_same(browser, server, page, db):
    page.goto(TIMELINE)
    with_scripts = page.locator("svg.timeline-chart").inner_html()
    with local_page(browser, server, java_script_enabled=False) as plain:
        plain.goto(TIMELINE)
        assert plain.locator("svg.timeline-chart").inner_html() == with_scripts
        assert plain.locator("a.record-link").count() == len(records(db, dated=True))
        assert plain.locator("a.record-link").first.is_visible()
