"""Trust to the value: every curated value backed by the sentence that states it (or waived
with a reason), the words at their offsets, who asserts each value, the disputes and the
record of the source; as a reader finds them in article.db and through Datasette."""

from __future__ import annotations

import hashlib

import pytest

from article_dataset import BuildError, build
from article_dataset.tables import ALL_TABLES
from article_dataset.tables.claims import words_for

from .conftest import ARTICLE_ID, DATA


def claimed_values(db) -> set[tuple[str, str, str, str]]:
    """(table, record id, field, value) of every value the declarations make a claim, read
    from the records themselves, not from claims."""
    values = set()
    for table in ALL_TABLES:
        for column in (c for c in table.columns if c.claim):
            if table.part_of:
                owner_column, key, qualifier = table.part_of
                owner = table.column(owner_column).references
                role = f"[{qualifier}]" if qualifier else "null"
                rows = db.execute(
                    f"select [{owner_column}], [{column.name}], {role} from [{table.name}]"
                    + (" where name_type != 'canonical'" if key == "names" else "")
                )
                for record_id, value, role_value in rows:
                    field = f"{key}.{role_value}" if qualifier else key
                    values.add((owner, record_id, field, str(value)))
                continue
            rows = db.execute(f"select id, [{column.name}] from [{table.name}]")
            for record_id, value in rows:
                if value is not None and words_for(column, value):
                    values.add((table.name, record_id, column.name, str(value)))
    return values


def test_every_value_of_every_record_is_backed(built, db):
    _, report = built
    automatic, curated, waived = report.values
    claimed = {
        tuple(row) for row in db.execute("select record_table, record_id, field, value from claims")
    }
    expected = claimed_values(db)
    assert claimed == expected
    assert automatic + curated + waived == len(expected)
    assert automatic > curated > waived > 0
    assert f"values: {len(expected)}, each stated by its sentence or waived" in str(report)


def test_every_claim_quote_is_the_text_at_its_offsets_inside_its_sentence(db):
    rows = db.execute(
        """select c.id, c.quote, substr(a.text, c.char_start + 1, c.char_end - c.char_start),
             c.char_start, c.char_end, s.char_start, s.char_end
           from claims c join articles a on a.id = c.article_id
           join sentences s on s.id = c.sentence_id"""
    ).fetchall()
    assert len(rows) > 300
    for claim, quote, at_offsets, start, end, s_start, s_end in rows:
        assert quote == at_offsets, claim
        assert s_start <= start < end <= s_end, claim


def test_a_waived_value_says_why_and_has_no_sentence(db):
    rows = db.execute(
        "select id, note, sentence_id, quote, assertion from claims where linked_by = 'waived'"
    ).fetchall()
    assert rows
    for claim, note, sentence, quote, assertion in rows:
        assert note and sentence is None and quote is None and assertion is None, claim
    outside = db.execute(
        "select note from claims where field = 'names' and value = 'Tokayev'"
    ).fetchone()[0]
    assert outside == "standard English spelling, outside context"


def test_references_name_existing_records(db):
    for table in ("actors", "places"):
        missing = db.execute(
            f"select id from claims where value_table = '{table}' "
            f"and value not in (select id from [{table}])"
        ).fetchall()
        assert missing == [], table


def test_which_sentence_says_danebaev_is_38(db):
    row = db.execute(
        """select c.quote, s.number, s.text, c.asserted_by_id, c.linked_by from claims c
           join sentences s on s.id = c.sentence_id
           where c.record_id = 'timur-danebaev' and c.field = 'age'"""
    ).fetchone()
    assert row[:2] == ("38", 14)
    assert row[2].startswith("Timur Danebaev, 38, is best known as the activist")
    assert row[3:] == (None, "build")


def test_the_video_date_is_the_channels_allegation(db):
    row = db.execute(
        """select c.value, c.quote, c.asserted_by_id, c.assertion, s.text from claims c
           join sentences s on s.id = c.sentence_id
           where c.record_id = 'danebaev-beaten-in-atbasar-video' and c.field = 'date'"""
    ).fetchone()
    assert row[:4] == (
        "2023-08-24?",
        "that indicated it was shot on August 24",
        "opposition-social-media-channel",
        "allegation",
    )
    assert row[4].startswith("That widely shared footage was initially published")
    event = db.execute(
        "select asserted_by_id, assertion, date_qualifier from events "
        "where id = 'danebaev-beaten-in-atbasar-video'"
    ).fetchone()
    assert tuple(event) == (None, "reported", "uncertain")  # the beating is the article's


def test_a_qualifier_is_the_one_before_its_number(db):
    quotes = dict(
        db.execute(
            "select record_id, quote from claims where field = 'qualifier' and record_id in "
            "('atbasar-distance-from-astana', 'atbasar-suspended-staff-count')"
        ).fetchall()
    )
    # "Around a dozen staff at the No. 1 jail in Atbasar, some 200 kilometers from …"
    assert quotes == {
        "atbasar-distance-from-astana": "some",
        "atbasar-suspended-staff-count": "Around",
    }


def test_the_disputes_the_issue_names(db):
    disputes = {
        (row[0], row[1], row[2])
        for row in db.execute(
            "select record_table || '/' || record_id, by_table || '/' || by_id, relation "
            "from disputes"
        )
    }
    assert (
        "events/danebaev-beaten-in-atbasar-video",
        "statements/speaker-no-torture",
        "denies",
    ) in disputes
    assert (
        "statements/officer-warned-twice",
        "statements/danebaev-not-refusing",
        "denies",
    ) in disputes
    assert (
        "statements/toqaev-20000-terrorists",
        "cases/danebaev-lawsuit-against-toqaev",
        "challenges",
    ) in disputes
    undisputed_evidence = db.execute(
        "select id from disputes where id not in "
        "(select record_id from evidence where record_table = 'disputes')"
    ).fetchall()
    assert undisputed_evidence == []


def test_the_record_of_the_source(db):
    row = db.execute(
        "select source_url, republication, source_sha256, publisher, publisher_note from articles"
    ).fetchone()
    scraped = (DATA / "articles" / ARTICLE_ID / "source.txt").read_bytes()
    assert row[:3] == (
        "https://theglobalnewswave.net/?p=38649",
        1,
        hashlib.sha256(scraped).hexdigest(),
    )
    assert row[3] == "RFE/RL" and "republication" in row[4]


def test_evidence_names_its_record_for_plain_sql(db):
    rows = db.execute(
        "select record_table, count(*) from evidence group by record_table order by 1"
    ).fetchall()
    assert {table for table, _ in rows} >= {"actors", "events", "statements", "disputes"}
    mismatched = db.execute(
        "select count(*) from evidence where record_table = 'events' and event_id != record_id"
    ).fetchone()[0]
    assert mismatched == 0


async def test_provenance_of_a_record_through_datasette(datasette):
    response = await datasette.client.get(
        "/article/provenance.json?record_table=actors&record_id=timur-danebaev&_shape=objects"
    )
    assert response.status_code == 200
    rows = {row["field"]: row for row in response.json()["rows"]}
    assert rows["age"]["value"] == "38" and rows["age"]["quote"] == "38"
    assert rows["age"]["sentence"].startswith("Timur Danebaev, 38")
    assert rows["name"]["linked_by"] == "build"
    page = await datasette.client.get("/article/actors/timur-danebaev")
    assert (
        'href="/article/provenance?record_table=actors&amp;record_id=timur-danebaev"' in page.text
    )
    claims = await datasette.client.get(
        "/article/claims.json?record_id=danebaev-beaten-in-atbasar-video&field=date&_shape=array"
    )
    assert claims.json()[0]["asserted_by_id"] == "opposition-social-media-channel"


async def test_the_timeline_gives_the_dates_words_and_who_asserts_them(datasette):
    response = await datasette.client.get("/article/timeline.json?_shape=objects&_size=max")
    rows = {row["event_id"]: row for row in response.json()["rows"]}
    video = rows["danebaev-beaten-in-atbasar-video"]
    assert video["date"] == "2023-08-24?" and video["date_qualifier"] == "uncertain"
    assert video["date_quote"] == "that indicated it was shot on August 24"
    assert video["date_asserted_by"] == "Unnamed opposition social media channel"
    assert video["asserted_by"] == "the article"  # the beating itself
    assert "indicated" in video["date_note"]


def test_date_words_are_the_articles_own(db):
    text = db.execute("select text from articles").fetchone()[0].lower()
    for table in ("events", "statements", "cases", "penalties"):
        for record_id, words in db.execute(
            f"select id, date_text from {table} where date_text is not null"
        ):
            assert words.lower() in text, (table, record_id, words)


def refused(data, tmp_path) -> str:
    with pytest.raises(BuildError) as error:
        build(tmp_path / "article.db", data)
    return str(error.value)


def test_a_value_two_sentences_state_needs_the_curators_quote(data_copy, tmp_path):
    """Without its curated quote, the Kaliev case's status is 'convicted' in two of its
    sentences ("One recent conviction", "was sentenced"): the build will not choose."""
    cases = data_copy / "articles" / ARTICLE_ID / "cases.yml"
    text = cases.read_text(encoding="utf-8")
    quoted = '  claims: {status: "One recent conviction"}\n'
    cases.write_text(text.replace(quoted, "", 1), encoding="utf-8")
    assert (
        "record 'kaliev-death-case', field 'status': 'convicted' is stated in 2 of the record's "
        "sentences (56, 57): quote the one that states it (claims)"
    ) in refused(data_copy, tmp_path)


def test_a_reference_two_sentences_name_needs_the_curators_quote(data_copy, tmp_path):
    """Without its curated quote, Semyonova is named in both sentences of her visit."""
    events = data_copy / "articles" / ARTICLE_ID / "events.yml"
    text = events.read_text(encoding="utf-8")
    quoted = '{actor: elena-semyonova, role: visitor, claim: "was permitted to visit Danebaev"}'
    events.write_text(
        text.replace(quoted, "{actor: elena-semyonova, role: visitor}", 1), encoding="utf-8"
    )
    assert (
        "record 'semyonova-visits-danebaev', field 'actors': 'elena-semyonova (visitor)' is "
        "named in more than one of the record's sentences (32, 33)"
    ) in refused(data_copy, tmp_path)
