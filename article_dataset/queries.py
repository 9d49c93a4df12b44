"""Canned queries: the questions readers ask most, published as Datasette canned queries."""

from __future__ import annotations

from .schema import TABLES
from .tables import ALL_TABLES
from .tables.evidence import RECORD_TABLES

# escape_fts of an empty search (or of one made only of quotes) is '', which FTS5 refuses:
# '""' is a valid query that matches nothing, so the page shows its form and no error.
_MATCH = "match coalesce(nullif(escape_fts(:q), ''), '\"\"')"

# Actors may be named by id or by part of any of their names, as `names` matches them
# (Tokayev finds Toqaev, Kuramshin finds Kuramashin through "Vadim Kuramshin").
_WHO = """with who as (
  select distinct actor_id as id from actor_names
  where :actor != '' and (actor_id = :actor or name like '%' || :actor || '%')
)"""


def _search_everything_sql(per_kind: int = 5) -> str:
    """The first hits of every searchable table in one query, with each table's number of
    matches. Hits come in the dataset's order, not by relevance: ranking means scoring every
    match (~1 µs each, ~90 ms for a common word in 10 000 articles); this stops at the first
    few and counts in the index alone (1-3 ms). Sentences, the article text, come last."""
    searchable = sorted((t for t in ALL_TABLES if t.fts), key=lambda t: t.name == "sentences")
    parts = [
        f"""select * from (
  select {order} as kind_order, '{table.name}' as record_table, r.id as record_id,
    r.[{table.label}] as title, snippet([{table.name}_fts], -1, '[', ']', '…', 12) as snippet,
    (select count(*) from [{table.name}_fts] where [{table.name}_fts] {_MATCH})
      as matches
  from [{table.name}_fts] join [{table.name}] r on r.rowid = [{table.name}_fts].rowid
  where [{table.name}_fts] {_MATCH}
  order by [{table.name}_fts].rowid limit {per_kind})"""
        for order, table in enumerate(searchable)
    ]
    return (
        "select record_table, title, snippet, matches, record_id from (\n"
        + "\nunion all\n".join(parts)
        + "\n) order by kind_order, record_id"
    )


# Who asserts a value with no asserter: the article, or the curators where it is their reading.
_ARTICLE_OR_CURATORS = (
    "case when {c}.assertion = 'inference' then 'the curators, reading the article' "
    "else 'the article' end"
)


def _label(kind: str, record_id: str) -> str:
    """The label of a record named by kind and id (a dispute's side, a claim's record)."""
    cases = "\n".join(
        f"    when '{name}' then "
        f"(select [{TABLES[name].label}] from [{name}] where id = {record_id})"
        for name in RECORD_TABLES
    )
    return f"case {kind}\n{cases}\n  end"


def _sentences(kind: str, record_id: str) -> str:
    """The sentences of a record's evidence, in the article's order, as one text."""
    return f"""(select group_concat(text, ' … ') from (
    select distinct s.text from evidence e join sentences s on s.id = e.sentence_id
    where e.record_table = {kind} and e.record_id = {record_id} order by s.article_id, s.number))"""


QUERIES = {
    "search": {
        "title": "Search everything",
        "description": "Full-text search (porter stemming) across people and bodies, places, "
        "events, statements, cases, charges, figures and the article text at once: the first "
        "five hits of each kind, each linked to its record, and how many there are in all "
        "(search a table for the rest).",
        "sql": _search_everything_sql(),
        "hide_sql": True,  # generated and long: the form and the hits come first
    },
    "timeline": {
        "title": "Timeline of events",
        "description": "Every event in date order (date_sort: see the README), with its EDTF "
        "date, the article's words for it, the quote that states it and who asserts the date "
        "(not always who asserts the event), and the reasoning where the date is inferred. "
        "Undated events come last.",
        "sql": f"""select e.date_sort, e.date, e.date_qualifier, e.date_text, e.title,
  d.quote as date_quote,
  case when d.id is not null then coalesce(da.name, {_ARTICLE_OR_CURATORS.format(c="d")}) end
    as date_asserted_by,
  d.assertion as date_assertion, e.date_note, e.kind, e.violation_type, p.name as place,
  coalesce(a.name, 'the article') as asserted_by, e.assertion, e.id as event_id
from events e
left join claims d on d.id = (
  select id from claims where record_table = 'events' and record_id = e.id and field = 'date'
  order by id limit 1)
left join actors da on da.id = d.asserted_by_id
left join places p on p.id = e.place_id
left join actors a on a.id = e.asserted_by_id
order by e.date_sort is null, e.date_sort, e.date_end is null, e.date_end, e.id""",
    },
    "actor": {
        "title": "Everything about an actor",
        "description": "Statements, events with role, cases, charges, penalties and evidence "
        "for one actor. Type an id, a name, another spelling or part of one (Tokayev, "
        "Kuramshin): every actor with a name containing it is included, each row naming its "
        "actor in actor_id. As in SQL's LIKE, % and _ stand for any characters.",
        "sql": _WHO
        + """
select 'event' as record_kind, ea.role, e.title as record, e.date, ea.actor_id,
  'events' as record_table, e.id as record_id
from event_actors ea join events e on e.id = ea.event_id where ea.actor_id in who
union all
select 'statement', 'speaker', s.text, s.date, s.actor_id, 'statements', s.id
from statements s where s.actor_id in who
union all
select 'case', cp.role, c.title, c.date, cp.actor_id, 'cases', c.id
from case_parties cp join cases c on c.id = cp.case_id where cp.actor_id in who
union all
select 'charge', 'defendant', ch.charge, null, ch.defendant_id, 'charges', ch.id
from charges ch where ch.defendant_id in who
union all
select 'penalty', p.kind, p.title, p.date, p.actor_id, 'penalties', p.id from penalties p
where p.actor_id in who
union all
select 'evidence', 'mentioned', ev.quote, null, ev.actor_id, 'evidence', ev.id
from evidence ev where ev.actor_id in who
order by actor_id, record_kind, date, record_id""",
    },
    "who_said": {
        "title": "Who said what",
        "description": "Every statement with its speaker, channel and date, and the sentence "
        "and paragraph it comes from. Filter by words in the statement.",
        "sql": """select coalesce(a.name, 'the article') as speaker, s.text, s.is_verbatim,
  s.channel, s.date, s.date_text, sen.text as sentence, par.text as paragraph,
  s.id as statement_id
from statements s
left join actors a on a.id = s.actor_id
join evidence ev on ev.statement_id = s.id
join sentences sen on sen.id = ev.sentence_id
join paragraphs par on par.id = sen.paragraph_id
where s.text like '%' || :words || '%'
order by sen.article_id, sen.number, s.id""",
    },
    "case_outcomes": {
        "title": "Case outcomes",
        "description": "Each case with its charges and penalties: prison terms, suspended "
        "sentences, compensation, dismissals.",
        "sql": """select c.title as case_title, c.kind as case_kind, c.status, c.court,
  'charge' as item, ch.charge as detail, a.name as who, ch.outcome, null as assertion,
  null as term_months, null as amount, null as currency, null as amount_qualifier,
  null as date, ch.defendant_id as actor_id, c.id as case_id,
  'charges' as record_table, ch.id as record_id
from cases c join charges ch on ch.case_id = c.id join actors a on a.id = ch.defendant_id
union all
select c.title, c.kind, c.status, c.court, 'penalty', pe.kind, a.name, null, pe.assertion,
  pe.term_months, pe.amount, pe.currency, pe.amount_qualifier, pe.date, pe.actor_id, c.id,
  'penalties', pe.id
from cases c join penalties pe on pe.case_id = c.id join actors a on a.id = pe.actor_id
order by case_id, item, detail""",
    },
    "contested_claims": {
        "title": "Contested claims and who makes them",
        "description": "Events, figures, penalties and statements that someone asserts, "
        "alleges, claims officially or denies, rather than the article itself.",
        "sql": """select 'event' as record_kind, e.title as claim, a.name as asserted_by,
  e.assertion, 'events' as record_table, e.id as record_id
from events e left join actors a on a.id = e.asserted_by_id
where e.asserted_by_id is not null or e.assertion not in ('reported')
union all
select 'figure', f.title || ' ' || f.what, a.name, f.assertion, 'figures', f.id
from figures f left join actors a on a.id = f.asserted_by_id
where f.asserted_by_id is not null or f.assertion not in ('reported')
union all
select 'penalty', p.title, a.name, p.assertion, 'penalties', p.id
from penalties p left join actors a on a.id = p.asserted_by_id
where p.asserted_by_id is not null or p.assertion not in ('reported')
union all
select 'statement', s.text, coalesce(a.name, 'the article'), s.assertion, 'statements', s.id
from statements s left join actors a on a.id = s.actor_id
where s.assertion is not null and s.assertion not in ('reported')
order by assertion, record_kind, record_id""",
    },
    "numbers": {
        "title": "Numbers cited and whose they are",
        "description": "Every figure with its qualifier (at least, around, just under, ...), "
        "who gives it, and the quote it comes from.",
        "sql": """select f.qualifier, f.value, f.unit, f.what,
  coalesce(a.name, 'the article') as asserted_by, f.assertion, ev.quote, f.id as figure_id
from figures f
left join actors a on a.id = f.asserted_by_id
join evidence ev on ev.figure_id = f.id
order by f.id, ev.id""",
    },
    # A canned query named like a table would hide the table's page: hence these names.
    "record_evidence": {
        "title": "The evidence behind one record",
        "description": "Every sentence and quote that backs one record: give its table "
        "(events, actors, statements, ...) and its id.",
        "sql": """select s.number as sentence_number, ev.quote, s.text as sentence,
  ev.sentence_id, ev.record_table, ev.record_id, ev.id as evidence_id
from evidence ev join sentences s on s.id = ev.sentence_id
where ev.record_table = :record_table and ev.record_id = :record_id
order by s.article_id, s.number, ev.char_start""",
    },
    "provenance": {
        "title": "Provenance of one record, value by value",
        "description": "Every value of one record (its date, numbers, names, place, "
        "participants, ...) with the sentence and words that state it, who asserts it, and "
        "whether the build or a curator found the sentence. Give the record's table and id.",
        "sql": f"""select c.field, c.value, c.quote, s.text as sentence,
  case when c.linked_by != 'waived'
    then coalesce(a.name, {_ARTICLE_OR_CURATORS.format(c="c")}) end as asserted_by,
  c.assertion,
  c.linked_by, c.note,
  c.sentence_id, c.value_table, c.record_table, c.record_id, c.id as claim_id
from claims c
left join sentences s on s.id = c.sentence_id
left join actors a on a.id = c.asserted_by_id
where c.record_table = :record_table and c.record_id = :record_id
order by c.field, s.article_id, s.number, c.id""",
    },
    "both_sides": {
        "title": "Disputes, both sides: who denies, contradicts or challenges what",
        "description": "Each record that the article sets against another, with both sides' "
        "sentences and the words that set them against each other.",
        "sql": f"""select d.relation,
  {_label("d.by_table", "d.by_id")} as by_title,
  {_sentences("d.by_table", "d.by_id")} as by_sentences,
  {_label("d.record_table", "d.record_id")} as disputed_title,
  {_sentences("d.record_table", "d.record_id")} as disputed_sentences,
  d.note,
  (select group_concat(quote, ' … ') from evidence
    where record_table = 'disputes' and record_id = d.id) as dispute_quotes,
  d.by_table, d.by_id, d.record_table, d.record_id, d.id as dispute_id
from disputes d
order by d.record_table, d.record_id, d.id""",
    },
    "names": {
        "title": "Find a person, body or place by any spelling",
        "description": "Searches every name: canonical, as spelled in the source, "
        "transliterations, former names, native script: every name containing the words "
        "(as in SQL's LIKE, % and _ stand for any characters).",
        "sql": """select 'actor' as record_kind, a.name as canonical_name,
  an.name as matched_name, an.name_type, an.note, 'actors' as record_table, a.id as record_id
from actor_names an join actors a on a.id = an.actor_id
where an.name like '%' || :name || '%'
union all
select 'place', p.name, pn.name, pn.name_type, pn.note, 'places', p.id
from place_names pn join places p on p.id = pn.place_id
where pn.name like '%' || :name || '%'
order by record_kind, canonical_name, matched_name""",
    },
    "search_sentences": {
        "title": "Search the article text",
        "description": "Full-text search (porter stemming) over every sentence, with the "
        "matching words highlighted.",
        "sql": """select s.number,
  snippet(sentences_fts, -1, '[', ']', '…', 16) as snippet, s.uncited_reason,
  s.id as sentence_id
from sentences_fts join sentences s on s.rowid = sentences_fts.rowid
where sentences_fts """
        + _MATCH
        + """
order by rank""",
    },
    "coverage": {
        "title": "Coverage: how many sentences are cited",
        "description": "Per article: sentences cited by a record, waived with a reason, "
        "and the share cited. The build refuses a sentence that is neither.",
        "sql": """select article_id, count(*) as sentences,
  sum(uncited_reason is null) as cited, sum(uncited_reason is not null) as waived,
  round(100.0 * sum(uncited_reason is null) / count(*), 1) as percent_cited
from sentences group by article_id""",
    },
}
