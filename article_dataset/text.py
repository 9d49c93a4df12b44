"""An article's text: deterministic cleaning, paragraphs, sentences, and finding quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

SCRAPER_MARKERS = re.compile(r"^\[ad_[0-9]+\]$")
# Characters a keyboard types for the article's own: curly quotes, dashes, no-break spaces.
LOOKALIKES = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " "}
)
# A quote in a message is shown whole up to this many characters.
SHOWN_QUOTE = 120


def shown_quote(quote: str) -> str:
    if len(quote) <= SHOWN_QUOTE:
        return repr(quote)
    return f"{quote[: SHOWN_QUOTE - 1]!r}… ({len(quote):,} characters)"


SENTENCE_END = tuple(".!?…")
# Closing quotes and brackets after the last word: a quoted heading (‘Men With Epaulets And
# Uniforms’) ends with a quote and no sentence-ending punctuation before it.
CLOSERS = '”"’)'

MAX_HEADING_WORDS = 12


def clean(raw: str) -> list[tuple[int, str]]:
    """The article's paragraphs with their line in the raw text: stripped non-empty lines,
    scraper markers removed."""
    # Lines end at "\n" only, as an editor counts them (splitlines() also splits at U+2028 and
    # others, which would shift every line the build reports).
    lines = ((number, line.strip()) for number, line in enumerate(raw.split("\n"), 1))
    return [(n, line) for n, line in lines if line and not SCRAPER_MARKERS.match(line)]


def is_heading(paragraph: str, number: int) -> bool:
    """The title and section headings: short lines with no sentence-ending punctuation."""
    if number == 1:
        return True
    ended = paragraph.rstrip(CLOSERS).endswith(SENTENCE_END)
    return not ended and len(paragraph.split()) <= MAX_HEADING_WORDS


def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """(offset in the paragraph, sentence) for each sentence, surrounding spaces stripped."""
    sentences, cursor = [], 0
    for piece in segment("en", paragraph):
        stripped = piece.strip()
        if not stripped:
            continue
        start = paragraph.index(stripped, cursor)
        sentences.append((start, stripped))
        cursor = start + len(stripped)
    return sentences


@dataclass(frozen=True)
class Span:
    id: str
    number: int
    start: int
    end: int
    text: str


@dataclass
class ArticleText:
    article_id: str
    text: str
    paragraphs: list[Span]
    sentences: list[Span]
    sentence_paragraph: dict[str, str]
    raw_lines: dict[str, int]  # paragraph or sentence id -> line in the raw source

    @classmethod
    def from_raw(cls, article_id: str, raw: str) -> ArticleText:
        cleaned = clean(raw)
        text = "\n".join(p_text for _, p_text in cleaned)
        paragraphs, sentences, sentence_paragraph, raw_lines = [], [], {}, {}
        offset = 0
        for p_number, (raw_line, p_text) in enumerate(cleaned, 1):
            paragraph = Span(
                f"{article_id}-p{p_number:03d}", p_number, offset, offset + len(p_text), p_text
            )
            paragraphs.append(paragraph)
            raw_lines[paragraph.id] = raw_line
            for start_in_paragraph, stripped in split_sentences(p_text):
                start = offset + start_in_paragraph
                number = len(sentences) + 1
                sentence = Span(
                    f"{article_id}-s{number:03d}", number, start, start + len(stripped), stripped
                )
                sentences.append(sentence)
                sentence_paragraph[sentence.id] = paragraph.id
                raw_lines[sentence.id] = raw_line
            offset += len(p_text) + 1
        return cls(article_id, text, paragraphs, sentences, sentence_paragraph, raw_lines)

    def locate(self, quote: str) -> tuple[Span, int] | str:
        """The sentence holding the quote and the quote's offset, or why it cannot be used."""
        first = self.text.find(quote)
        if first < 0:
            hint = self._lookalike(quote)
            return f"quote not found in article '{self.article_id}'{hint}: {shown_quote(quote)}"
        second = self.text.find(quote, first + 1)
        if second >= 0:
            return (
                f"quote is ambiguous: found more than once in article "
                f"'{self.article_id}' (lengthen it): {shown_quote(quote)}"
            )
        end = first + len(quote)
        for sentence in self.sentences:
            if sentence.start <= first and end <= sentence.end:
                return sentence, first
        return (
            "quote spans more than one sentence (cite each sentence separately): "
            f"{shown_quote(quote)}"
        )

    def _lookalike(self, quote: str) -> str:
        """Where the quote is in the article but for a look-alike character (' for ’, a space
        for a no-break space): which one, so that the curator can copy it."""
        text = self.text.translate(LOOKALIKES)
        position = text.find(quote.translate(LOOKALIKES))
        if position < 0:
            return ""
        for offset, (written, found) in enumerate(zip(quote, self.text[position:], strict=False)):
            if written != found:
                return (
                    f" (it is there with {found!r}, U+{ord(found):04X}, where the quote has "
                    f"{written!r}, U+{ord(written):04X}, at character {offset + 1})"
                )
        return ""

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+(?:[’'-]\w+)*", self.text))
