"""Articles and their text: articles, paragraphs, sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs import QUOTE, TEXT, record_schema
from ..load import SourceFile
from ..schema import ARTICLE_ID, Column, Table, computed, date_columns, declare, ident, whole
from ..text import is_heading

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context

ARTICLES = declare(
    Table(
        "articles",
        "One row per source article: its metadata and its cleaned text, to which every "
        "char_start/char_end offset in this database refers.",
        (
            ident("Stable slug of the article, also its folder name under data/articles/."),
            Column("title", str, "Headline, the first line of the source.", required=True),
            Column(
                "publisher",
                str,
                "Who first published the article, as inferred where the text does not say.",
            ),
            Column("publisher_note", str, "How the publisher is known."),
            Column("source_url", str, "The address the scraped text was taken from."),
            Column(
                "republication",
                bool,
                "1: the scraped text is another site's copy, not the original publisher's page.",
            ),
            Column(
                "source_sha256",
                str,
                "SHA-256 of the scraped file (source.txt), as recorded when it was scraped; the "
                "build refuses a text that no longer has it.",
                required=True,
                pattern=whole("[0-9a-f]{64}"),
            ),
            *date_columns("published", claimed=False),
            computed("word_count", int, "Words in the cleaned text, headline included."),
            computed("sentence_count", int, "Sentences in the cleaned text."),
            computed("text_file", str, "The scraped file, relative to data/."),
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
        "The lines of the cleaned article text, in order. (Search their text through "
        "sentences, which hold the same words.)",
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
    "properties": {"quote": QUOTE, "reason": TEXT},
    "required": ["quote", "reason"],
    "additionalProperties": False,
}
ARTICLE_FILE_SCHEMA = record_schema(
    ARTICLES, {"uncited": {"type": "array", "items": WAIVER}}, required=()
)


def add_articles(
    ctx: Context, source: SourceFile, text_file: SourceFile, article, sha256: str
) -> None:
    """The article, its paragraphs and sentences; `article` is the ArticleText of source.txt,
    whose bytes have the SHA-256 `sha256`."""
    record = source.data
    if record.get("source_sha256") != sha256:
        message = (
            f"is not the SHA-256 of {text_file.display} ({sha256}): the text changed since "
            "it was scraped, or the hash is mistyped"
        )
        ctx.problems.at(source, record, message, "source_sha256")
    folder_name = source.path.parent.name
    if record.get("id") != folder_name:
        ctx.problems.at(source, record, f"id must equal its folder name {folder_name!r}", "id")
    if not article.paragraphs or article.paragraphs[0].text != record.get("title"):
        ctx.problems.at(source, record, "title must equal the first line of source.txt", "title")
    ctx.add_record(
        "articles",
        source,
        record,
        word_count=article.word_count,
        sentence_count=len(article.sentences),
        text_file=text_file.relative,
        text=article.text,
    )
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
        ctx.add_row("paragraphs", row, text_file, None, line=article.raw_lines[paragraph.id])
    waived = _waivers(ctx, source, article)
    for sentence in article.sentences:
        row = {
            "id": sentence.id,
            "article_id": article.article_id,
            "paragraph_id": article.sentence_paragraph[sentence.id],
            "number": sentence.number,
            "text": sentence.text,
            "char_start": sentence.start,
            "char_end": sentence.end,
            # Whether every other sentence is cited is checked once all files are in (checks.py).
            "uncited_reason": waived.get(sentence.id),
        }
        ctx.add_row("sentences", row, text_file, None, line=article.raw_lines[sentence.id])


def _waivers(ctx: Context, source: SourceFile, article) -> dict[str, str]:
    waived = {}
    for waiver in source.data.get("uncited") or []:
        found = article.locate(waiver["quote"])
        if isinstance(found, str):
            ctx.problems.at(source, waiver, found, field="uncited")
            continue
        sentence, _ = found
        if sentence.id in waived:
            message = f"sentence {sentence.number} is waived twice: keep one reason"
            ctx.problems.at(source, waiver, message, field="uncited")
        waived[sentence.id] = waiver["reason"]
    return waived
