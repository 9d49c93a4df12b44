"""Articles and their text: articles, paragraphs, sentences."""

from __future__ import annotations

from .context import Context
from .inputs import record_schema
from .load import SourceFile
from .schema import ARTICLE_ID, Column, Table, computed, date_columns, declare, ident
from .text import ArticleText, is_heading

ARTICLES = declare(
    Table(
        "articles",
        "One row per source article: its metadata and its cleaned text, to which every "
        "char_start/char_end offset in this database refers.",
        (
            ident("Stable slug of the article, also its folder name under data/articles/."),
            Column("title", str, "Headline, the first line of the source.", required=True),
            Column("publisher", str, "Who published the article."),
            Column("publisher_note", str, "How the publisher is known."),
            *date_columns("published"),
            computed("word_count", int, "Words in the cleaned text, headline included."),
            computed("sentence_count", int, "Sentences in the cleaned text."),
            computed("source_file", str, "The scraped file, relative to data/."),
            computed(
                "text",
                str,
                "The cleaned text: the scraped lines stripped, empty lines and scraper "
                "markers ([ad_1], [ad_2]) removed, joined by newlines.",
            ),
        ),
        label="title",
        sort="published",
    )
)

PARAGRAPHS = declare(
    Table(
        "paragraphs",
        "The lines of the cleaned article text, in order.",
        (
            computed("id", str, "Article id and paragraph number."),
            ARTICLE_ID,
            computed("number", int, "Position in the article, from 1."),
            computed("is_heading", bool, "1 for the headline and section headings."),
            computed("char_start", int, "Offset of the first character in articles.text."),
            computed("char_end", int, "Offset just past the last character in articles.text."),
            computed("text", str, "The paragraph's text."),
        ),
        label="text",
        sort="id",
        fts=("text",),
    )
)

SENTENCES = declare(
    Table(
        "sentences",
        "Every sentence of every article (split with sentencex). Each is cited by at least one "
        "evidence row, or says in uncited_reason why it states no fact.",
        (
            computed("id", str, "Article id and sentence number."),
            ARTICLE_ID,
            computed("paragraph_id", str, "The paragraph holding the sentence.", "paragraphs"),
            computed("number", int, "Position in the article, from 1."),
            computed("text", str, "The sentence as it appears in the article."),
            computed("char_start", int, "Offset of the first character in articles.text."),
            computed("char_end", int, "Offset just past the last character in articles.text."),
            computed("uncited_reason", str, "NULL when a record cites the sentence; else why not."),
        ),
        label="text",
        sort="id",
        fts=("text",),
    )
)

WAIVER = {
    "type": "object",
    "properties": {"quote": {"type": "string", "minLength": 1}, "reason": {"type": "string"}},
    "required": ["quote", "reason"],
    "additionalProperties": False,
}
ARTICLE_FILE_SCHEMA = record_schema(
    ARTICLES, {"uncited": {"type": "array", "items": WAIVER}}, required=()
)


def add_articles(ctx: Context, source: SourceFile, text_file: SourceFile) -> str | None:
    record = source.data
    article_id = record.get("id")
    folder_name = source.path.parent.name
    if article_id != folder_name:
        ctx.problems.at(source, record, f"id must equal its folder name {folder_name!r}", "id")
    raw = text_file.path.read_text(encoding="utf-8")
    article = ArticleText.from_raw(article_id, raw)
    ctx.articles[article_id] = article
    if not article.paragraphs or article.paragraphs[0].text != record.get("title"):
        ctx.problems.at(source, record, "title must equal the first line of source.txt", "title")
    ctx.add_record(
        "articles",
        source,
        record,
        word_count=article.word_count,
        sentence_count=len(article.sentences),
        source_file=text_file.display,
        text=article.text,
    )
    add_paragraphs(ctx, source, article)
    return article_id


def add_paragraphs(ctx: Context, source: SourceFile, article: ArticleText) -> None:
    for paragraph in article.paragraphs:
        row = {
            "id": paragraph.id,
            "article_id": article.article_id,
            "number": paragraph.number,
            "is_heading": is_heading(paragraph.text, paragraph.number),
            "char_start": paragraph.start,
            "char_end": paragraph.end,
            "text": paragraph.text,
        }
        ctx.add_row("paragraphs", row, source, source.data)


def add_sentences(ctx: Context, source: SourceFile, article_id: str) -> None:
    """Sentences last: their uncited_reason depends on every record's evidence."""
    article = ctx.articles[article_id]
    record = source.data
    waived = {}
    for waiver in record.get("uncited") or []:
        found = article.locate(waiver["quote"])
        if isinstance(found, str):
            ctx.problems.at(source, waiver, found, field="uncited")
            continue
        sentence, _ = found
        if sentence.id in ctx.cited:
            ctx.problems.at(
                source,
                waiver,
                f"sentence {sentence.number} is cited by a record; remove its waiver",
                field="uncited",
            )
        waived[sentence.id] = waiver["reason"]
    for sentence in article.sentences:
        reason = None if sentence.id in ctx.cited else waived.get(sentence.id)
        if sentence.id not in ctx.cited and reason is None:
            ctx.problems.at(
                source,
                record,
                f"sentence {sentence.number} is neither cited by a record nor "
                f"waived under 'uncited': {sentence.text!r}",
                field="uncited",
            )
        row = {
            "id": sentence.id,
            "article_id": article_id,
            "paragraph_id": article.sentence_paragraph[sentence.id],
            "number": sentence.number,
            "text": sentence.text,
            "char_start": sentence.start,
            "char_end": sentence.end,
            "uncited_reason": reason,
        }
        ctx.add_row("sentences", row, source, record)
