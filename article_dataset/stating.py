"""How a sentence states a value: numbers in digits or in words, dates by the article's words
for them, texts and names verbatim, coded terms by the words that mean them.

Each function gives the span (start, end) of the first words in the text that state the
value, or None. They decide which sentence backs a value (claims) and check that a quote a
curator gives for a value does state it.
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Words that are a number on their own.
COUNTS = {"once": 1, "twice": 2, "thrice": 3, "dozen": 12}

_WORD = "|".join(sorted([*UNITS, *SCALES], key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\w,]\d)"  # 20,000 and 10,000.50
    rf"|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)"  # 38, 2.5
    rf"|\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b"  # two hundred and forty-one
    rf"|\b(?:{'|'.join(COUNTS)})\b",
    re.IGNORECASE,
)


def _words_value(words: str) -> int | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1_000:
                total, current = total + current, 0
        else:
            return None
    return total + current


@lru_cache(maxsize=4096)
def numbers(text: str) -> tuple[tuple[float, Span], ...]:
    """Every number the text states, with its span: 38, 20,000, two, Eleven, twice, a dozen.
    (Cached: a sentence is asked for each value of each record that cites it.)"""
    found = []
    for match in _NUMBER.finditer(text):
        token = match.group()
        lowered = token.lower()
        if lowered in COUNTS:
            value = COUNTS[lowered]
        elif token[0].isdigit():
            value = float(token.replace(",", ""))
        else:
            value = _words_value(token)
            if value is None:
                continue
        found.append((value, match.span()))
    return tuple(found)


def states_number(text: str, value, divisors: tuple[int, ...] = ()) -> Span | None:
    """The first place the text states the number; with divisors, the number divided by one of
    them counts too (a term of 36 months stated as three years)."""
    wanted = {float(value)} | {value / d for d in divisors if value % d == 0}
    return next((span for number, span in numbers(text) if number in wanted), None)


@lru_cache(maxsize=4096)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    def bounded(word: str) -> str:
        left = r"(?<!\w)" if word[:1].isalnum() else ""
        right = r"(?!\w)" if word[-1:].isalnum() else ""
        return left + re.escape(word) + right

    return re.compile("|".join(bounded(word) for word in words), re.IGNORECASE)


def states_words(text: str, words: tuple[str, ...]) -> Span | None:
    """The first of the words in the text, as whole words, in any case."""
    if not words:
        return None
    match = _words_pattern(words).search(text)
    return match.span() if match else None


# Words that are an amount on their own, with no number after them.
INDEFINITE = ("dozens", "scores", "hundreds", "thousands")
_BEFORE_NUMBER = re.compile(r"\s*(?:a\s+)?[$€£]?", re.IGNORECASE)


def states_qualifier(text: str, words: tuple[str, ...], number=None) -> Span | None:
    """A qualifier of a number (at least, around, more than): one of its words right before
    that number ("some 200", "Around a dozen"); with no number, an amount word on its own
    ("dozens")."""
    if not words:
        return None
    starts = {span[0] for value, span in numbers(text) if number is not None and value == number}
    for match in _words_pattern(words).finditer(text):
        if number is None:
            if match.group().lower() in INDEFINITE:
                return match.span()
            continue
        gap = _BEFORE_NUMBER.match(text, match.end())
        if gap.end() in starts:
            return match.span()
    return None


def states_text(text: str, value: str) -> Span | None:
    """The value verbatim in the text, in any case (a name at the start of a sentence), as
    whole words (Kazakh is not stated by Kazakhstan)."""
    match = _words_pattern((value,)).search(text)
    return match.span() if match else None
