"""The published dataset in a real browser: headless chromium against a real `datasette serve`.

Skipped when /usr/bin/chromium is missing, except in CI (CI set), where that is a failure.
Each step leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.browser_support import local_page, shot
from tests.conftest import DATA, build_edited
from tests.server import free_port, running


def test_home_shows_title_and_license(page):
    from playwright.sync_api import expect

    page.goto("/")
    expect(page).to_have_title(re.compile("record by record"))
    expect(page.locator("h1")).to_have_text(
        "Detention and torture in Kazakhstan: articles, record by record"
    )
    expect(page.get_by_role("link", name=re.compile("CC BY 4.0")).first).to_be_visible()
    shot(page, "01-home.png")


def test_search_tokayev_finds_toqaev(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.fill("#search-all-q", "Tokayev")
    page.press("#search-all-q", "Enter")
    page.wait_for_url("**/-/search?q=Tokayev")
    results = page.locator("#search-all-results")
    expect(results.get_by_text("Qasym-Zhomart Toqaev", exact=True)).to_be_visible()
    expect(page.locator("li.search-all-loading:visible")).to_have_count(0)  # all tables answered
    shot(page, "02-search-tokayev.png")

    results.locator('h2 a[href="/article/actors?_search=Tokayev"]').click()
    page.wait_for_url("**/article/actors?_search=Tokayev")
    expect(page.locator("td.col-name", has_text="Qasym-Zhomart Toqaev")).to_be_visible()
    shot(page, "03-actors-search-tokayev.png")

    page.click('a[href="/article/actors/qasym-zhomart-toqaev"]')
    page.wait_for_url("**/article/actors/qasym-zhomart-toqaev")
    expect(page.locator("h1")).to_contain_text("qasym-zhomart-toqaev")
    expect(page.locator("td.col-name")).to_have_text("Qasym-Zhomart Toqaev")
    shot(page, "04-actor-toqaev.png")


def test_search_everything_from_the_menu_to_the_record(page):
    from playwright.sync_api import expect

    page.goto("/")
    page.locator("details.nav-menu > summary").click()
    page.get_by_role("link", name="Search everything").click()
    page.wait_for_url("**/article/search")
    page.fill('input[name="q"]', "Tokayev")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url("**/article/search?q=Tokayev*")
    expect(page.locator("td.col-matches").first).to_have_text("1")
    shot(page, "13-search-everything-tokayev.png")
    page.get_by_role("link", name="Qasym-Zhomart Toqaev").click()
    page.wait_for_url("**/article/actors/qasym-zhomart-toqaev")
    expect(page.locator("td.col-name")).to_have_text("Qasym-Zhomart Toqaev")


def test_person_to_statement_to_evidence_to_sentence(page):
    from playwright.sync_api import expect

    page.goto("/article/actors/lukpan-akhmedyarov")
    expect(page.locator("td.col-name")).to_have_text("Lukpan Akhmedyarov")
    shot(page, "05-actor-akhmedyarov.png")

    # "Links from other tables": N rows from actor_id in statements.
    page.click('a[href="/article/statements?actor_id=lukpan-akhmedyarov"]')
    page.wait_for_url("**/article/statements?actor_id=lukpan-akhmedyarov")
    shot(page, "06-statements-by-akhmedyarov.png")

    statement = "/article/statements/akhmedyarov-demonstration-of-power"
    page.click(f'td.col-id a[href="{statement}"]')
    page.wait_for_url(f"**{statement}")
    expect(page.locator("td.col-text")).to_have_text(
        "Because this video is actually a DEMONSTRATION of power"
    )
    shot(page, "07-statement.png")

    page.click('a[href="/article/evidence?statement_id=akhmedyarov-demonstration-of-power"]')
    page.wait_for_url("**/article/evidence?statement_id=akhmedyarov-demonstration-of-power")
    evidence = page.locator("table.rows-and-columns tbody tr").first
    expect(evidence.locator("td.col-quote")).to_contain_text("DEMONSTRATION of power")
    shot(page, "08-evidence.png")

    # Datasette 0.65 links foreign keys on table pages, not on row pages: follow sentence_id here.
    evidence.locator("td.col-sentence_id a").click()
    page.wait_for_url(re.compile(r"/article/sentences/[^/?]+$"))
    sentence = page.locator("td.col-text")
    expect(sentence).to_be_visible()
    expect(sentence).to_contain_text("Because this video is actually a DEMONSTRATION of power")
    shot(page, "09-sentence.png")


def test_record_to_the_sentence_that_states_each_value(page):
    """A reader checks where a value comes from: the record's page, its values with their
    sentences, one value's claim, the sentence itself."""
    from playwright.sync_api import expect

    page.goto("/article/actors/timur-danebaev")
    page.get_by_role("link", name="every value and the sentence that states it").click()
    page.wait_for_url("**/article/provenance?record_table=actors&record_id=timur-danebaev")
    rows = page.locator("table.rows-and-columns tbody tr")
    age = rows.filter(has=page.locator("td.col-field", has_text=re.compile(r"^\s*age\s*$")))
    expect(age).to_have_count(1)
    expect(age.locator("td.col-quote")).to_have_text("38")
    expect(age.locator("td.col-asserted_by")).to_have_text("the article")
    shot(page, "14-provenance-danebaev.png")

    age.locator("td.col-claim_id a").click()
    page.wait_for_url(re.compile(r"/article/claims/actors--timur-danebaev--age--1--[^/]+$"))
    expect(page.locator("td.col-linked_by")).to_have_text("build")
    shot(page, "15-claim-danebaev-age.png")

    page.locator("td.col-sentence_id a").click()
    page.wait_for_url(re.compile(r"/article/sentences/torture-video-kazakhstan-s014$"))
    expect(page.locator("td.col-text")).to_contain_text("Timur Danebaev, 38, is best known")
    shot(page, "16-sentence-of-the-claim.png")


def test_who_asserts_the_date_on_the_timeline(page):
    from playwright.sync_api import expect

    page.goto("/article/timeline")
    video = page.locator("table.rows-and-columns tbody tr").filter(
        has=page.locator("td.col-event_id", has_text="danebaev-beaten-in-atbasar-video")
    )
    expect(video.locator("td.col-date")).to_have_text("2023-08-24?")
    expect(video.locator("td.col-date_asserted_by")).to_have_text(
        "Unnamed opposition social media channel"
    )
    expect(video.locator("td.col-date_quote")).to_have_text(
        "that indicated it was shot on August 24"
    )


def test_timeline_in_date_order(page):
    from playwright.sync_api import expect

    page.goto("/article/timeline")
    cells = page.locator("table.rows-and-columns td.col-date")
    expect(cells.first).to_have_text("2007-01/2007-06")
    dates = [text.strip() for text in cells.all_inner_texts()]
    assert dates.index("2007-01/2007-06") < dates.index("2023-08-24?")
    days = [text.strip() for text in page.locator("td.col-date_sort").all_inner_texts()]
    assert [day for day in days if day] == sorted(day for day in days if day), days
    shot(page, "10-timeline.png")


def test_places_map_has_markers(page):
    from playwright.sync_api import expect

    page.goto("/article/places")
    # datasette-cluster-map puts a Leaflet map above the table; tiles cannot load offline.
    expect(page.locator(".leaflet-container")).to_have_count(1)
    expect(page.locator(".leaflet-container")).to_be_visible()
    markers = page.locator(".leaflet-container .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    assert markers.count() >= 1
    shot(page, "11-places-map.png")


HOSTILE = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, public_serve):
    """The make-serve command on a database whose records hold markup in their text."""
    actors = (DATA / "registry" / "actors.yml").read_text(encoding="utf-8")
    record = actors[actors.index("- id: timur-danebaev\n") :]
    description = record[record.index("  description: ") :].split("\n", 1)[0]
    db = build_edited(
        tmp_path_factory.mktemp("hostile"),
        # Markup in a description, and in the reason a value is waived (shown with the claims).
        (
            "registry/actors.yml",
            description,
            f"  description: '{HOSTILE} (hostile test text)'\n"
            f"  claims: {{name: {{waived: '{HOSTILE} (hostile waiver)'}}}}",
        ),
        # And in an event's title, which the reading room's pages show everywhere.
        (
            "articles/torture-video-kazakhstan/events.yml",
            "  title: Prisoner beaten with a baton in the Atbasar jail video\n",
            f"  title: '{HOSTILE} (hostile title)'\n",
        ),
    )
    port = free_port()
    with running(public_serve(db, port), port) as base:
        yield base


def test_markup_in_records_is_shown_as_text_and_never_runs(browser, hostile_server):
    from playwright.sync_api import expect

    with local_page(browser, hostile_server) as page:
        # What each page shows of the description (the search page a snippet of it, marked).
        script = "<script>window.__xss = 1</script>"
        for path, shown in (
            ("/article/actors/timur-danebaev", [script, "(hostile test text)"]),
            ("/article/actors?_search=hostile", [script, "(hostile test text)"]),
            ("/article/search?q=hostile", ["([hostile] test text)"]),
            (
                "/article/provenance?record_table=actors&record_id=timur-danebaev",
                [script, "(hostile waiver)"],
            ),
            # The reading room: the annotated article, a record page with its citation, the
            # timeline, and markup in their query parameters.
            ("/-/read/torture-video-kazakhstan", [script, "(hostile title)"]),
            ("/article/events/danebaev-beaten-in-atbasar-video", [script, "(hostile title)"]),
            ("/-/timeline", []),  # in its marks' tooltips: below
            (f"/-/read/torture-video-kazakhstan?q={quote(HOSTILE)}", [HOSTILE]),
            (f"/-/timeline?article={quote(HOSTILE)}", []),
        ):
            page.goto(path)
            if shown:
                expect(page.get_by_text(shown[-1]).first).to_be_visible()
            assert page.evaluate("window.__xss") is None, path
            scripts = "[...document.scripts].some((s) => s.textContent.includes('__xss'))"
            assert page.evaluate(scripts) is False, path
            body = page.inner_text("body")
            for text in ['onerror="window.__xss = 2">', *shown] if shown else ():
                assert text in body, (path, text)
            assert page.locator("img[onerror], [onerror]").count() == 0, path
        page.goto("/-/timeline")
        tooltip = page.locator("svg title").filter(has_text="(hostile title)").first
        assert tooltip.text_content().startswith(script)
        shot(page, "12-hostile-text-inert.png")
