"""Datasette plugin: what any one request to the published site may cost.

A public server faces the internet: every request may be hostile. This plugin (entry point
"article_dataset_guard"; like the site plugin it imports nothing else from the project, so
that it can be published on its own) bounds a request before Datasette sees it and while its
SQL runs:

- every connection: no value longer than MAX_VALUE_BYTES (SQLite's own length limit, which
  also stops randomblob, zeroblob and group_concat from growing a value), no query longer
  than MAX_SQL_BYTES, at most MAX_COLUMNS columns, a result of at most MAX_RESULT_BYTES as
  JSON, LIKE/GLOB patterns of at most MAX_PATTERN_CHARACTERS, and none of DENIED_FUNCTIONS
  (one call of them can run for seconds, which the time limit cannot interrupt);
- every request: only GET and HEAD (the site is read-only), no debug pages, a path of at
  most MAX_PATH_BYTES, a query string of at most MAX_QUERY_BYTES with at most MAX_PARAMETERS
  parameters, MAX_FACETS facets of any kind (each a column name) of at most MAX_FACET_SIZE
  values, at most MAX_SQL_PARAMETERS named parameters in ?sql=;
- every error: the request's own mistakes, which Datasette 0.65 answers 500 with a traceback
  in the log (an unknown sort column, a _through or __in that is no JSON, a _timelimit that is
  no number, a value too long), answered 400 with the reason; the CSV of a failed query 400;
- SQL the request wrote (?sql=, _where) runs at most MAX_CUSTOM_SQL at a time, so that cheap
  pages keep their threads and a core while expensive queries run; beyond MAX_WAITING more
  waiting, 503.

And what every page costs: with every database immutable, the answers of permission checks
for the anonymous visitor never change, and are kept (an index page asked some 700 of them,
each a query on sqlite_master in a thread, for ~60 tables: most of its 60 ms).
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import re
import sqlite3
import urllib.parse
import weakref

from datasette import hookimpl
from datasette.handle_exception import handle_exception as render_error
from datasette.views.base import DatasetteError

MAX_VALUE_BYTES = 250_000
MAX_SQL_BYTES = 100_000
MAX_COLUMNS = 64  # the widest table has 23; a join of three fits
MAX_RESULT_BYTES = 16_000_000
# Functions whose one call may run for seconds, between two of the time limit's checks: printf
# and format with a width; trim, ltrim, rtrim, instr and replace cost the product of their
# arguments' lengths (a 250 KB value trimmed by 20 000 characters: 6.6 s). And fts3_tokenizer,
# which answers with a memory address of the library.
DENIED_FUNCTIONS = frozenset(
    {"printf", "format", "trim", "ltrim", "rtrim", "instr", "replace", "fts3_tokenizer"}
)
# LIKE and GLOB cost the value's length times the pattern's: with at most 100 characters of
# pattern, ~20 ms on the longest value.
MAX_PATTERN_CHARACTERS = 100

MAX_PATH_BYTES = 2_048
MAX_QUERY_BYTES = 16_384
MAX_PARAMETERS = 100
MAX_FACETS = 10
MAX_SQL_PARAMETERS = 50
# Custom SQL may keep every core but one busy: the rest is the readers' (2 cores here: 1).
MAX_CUSTOM_SQL = max(1, (os.cpu_count() or 2) - 1)
MAX_WAITING = 8
READ_METHODS = ("GET", "HEAD")
# Datasette's tool for trying permission rules: it runs any JSON it is given through them.
DEBUG_PAGES = frozenset({"/-/allow-debug", "/-/allow-debug.json"})

_result_bytes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_CONTROL_CHARACTERS = tuple(map(chr, range(32)))


def _size_as_json(value) -> int:
    """About what the value takes in a JSON answer, the largest of the formats, and for text
    never less: there a control character is six characters (\\u0001), any other non-ASCII
    one six or twelve, a quote or backslash two, and bytes are base64."""
    if isinstance(value, str):
        size = len(value)
        if not value.isascii():  # 5 more per byte of UTF-8 beyond the first: 6 for "é"
            size += 5 * (len(value.encode("utf-8", "surrogatepass")) - len(value))
        if not value.isprintable():
            size += 5 * sum(map(value.count, _CONTROL_CHARACTERS))
        return size + value.count('"') + value.count("\\")
    if isinstance(value, bytes):
        return 2 * len(value)
    return 8


def _bounded_row(cursor, row):
    """Datasette's sqlite3.Row, counting what the result would take as JSON so far: a query
    is stopped when that passes MAX_RESULT_BYTES, before its rows are held and rendered (a
    rendered answer costs some six times its size in memory while it is built and sent)."""
    size = _result_bytes.get(cursor, 0) + sum(map(_size_as_json, row))
    if size > MAX_RESULT_BYTES:
        raise sqlite3.OperationalError(
            f"the answer would be larger than {MAX_RESULT_BYTES:,} bytes: ask for fewer rows "
            "or columns, or shorter values"
        )
    _result_bytes[cursor] = size
    return sqlite3.Row(cursor, row)


def _authorize(action, first, second, database, trigger):
    if action == sqlite3.SQLITE_FUNCTION and second in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_PATTERN_CHARACTERS)
    conn.set_authorizer(_authorize)
    conn.row_factory = _bounded_row


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


_SQL_PARAMETER = re.compile(r":(\w+)")  # as Datasette finds them (a form field each)
# Keys that run SQL the request wrote: ?sql= and a table page's _where (its count and each
# facet run it again). Both wait at the custom-SQL gate.
CUSTOM_SQL_KEYS = ("sql", "_where")
# Every value of every facet links to the page with the whole query string: an answer grows
# as facets x values x query length, so each is bounded where facets are asked for.
MAX_FACET_SIZE = 100
MAX_FACETED_QUERY_BYTES = 2_048


def _check_query(query: bytes) -> list[tuple[str, str]]:
    if len(query) > MAX_QUERY_BYTES:
        raise Refused(414, f"the query string is {len(query):,} bytes; at most {MAX_QUERY_BYTES:,}")
    try:
        pairs = urllib.parse.parse_qsl(
            query.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_PARAMETERS
        )
    except ValueError:
        raise Refused(400, f"more than {MAX_PARAMETERS} parameters in the query") from None
    facets = [value for key, value in pairs if key.startswith("_facet") and key != "_facet_size"]
    if len(facets) > MAX_FACETS:
        raise Refused(400, f"{len(facets)} facets asked for; at most {MAX_FACETS}")
    if facets and len(query) > MAX_FACETED_QUERY_BYTES:
        raise Refused(
            414, f"with facets, the query string may be {MAX_FACETED_QUERY_BYTES:,} bytes"
        )
    for value in facets:
        _check_facet(value)
    for key, value in pairs:
        if key == "sql" and len(set(_SQL_PARAMETER.findall(value))) > MAX_SQL_PARAMETERS:
            raise Refused(400, f"more than {MAX_SQL_PARAMETERS} named parameters in the SQL")
        if key == "_through":
            _check_through(value)
        if key == "_facet_size" and not (value.isdigit() and int(value) <= MAX_FACET_SIZE):
            raise Refused(400, f"_facet_size must be a number up to {MAX_FACET_SIZE}")
    return pairs


def _check_facet(value: str) -> None:
    """A facet is a column's name, or (as Datasette writes it) {"simple": column}."""
    if not value.startswith("{"):
        return
    try:
        facet = json.loads(value)
    except ValueError:
        facet = None
    if not (isinstance(facet, dict) and isinstance(facet.get("simple"), str)):
        raise Refused(400, 'a facet is a column name, or a JSON object {"simple": column}')


def _check_through(value: str) -> None:
    try:
        through = json.loads(value)
    except ValueError:
        through = None
    if not (
        isinstance(through, dict)
        and isinstance(through.get("table"), str)
        and isinstance(through.get("column"), str)
        and isinstance(through.get("value"), str | int | float)
    ):
        raise Refused(400, '_through must be a JSON object of "table", "column" and "value"')


class _Gate:
    """At most MAX_CUSTOM_SQL custom queries at once; a bounded queue for the others."""

    def __init__(self) -> None:
        self.running = asyncio.Semaphore(MAX_CUSTOM_SQL)
        self.waiting = 0


async def _refuse(scope, send, status: int, message: str) -> None:
    """The answer to a request refused: its reason, as JSON for .json pages, else as text."""
    as_json = scope["path"].endswith(".json")
    body = (
        json.dumps({"ok": False, "error": message, "status": status})
        if as_json
        else f"{status}: {message}\n"
    ).encode("utf-8")
    kind = b"application/json; charset=utf-8" if as_json else b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _failed_csv_answered_400(scope, send):
    """Datasette 0.65 answers the CSV of a query that failed (too long a value, too large a
    result) with 200 and a header row of no columns, dropping the error: a downloaded file
    that looks like an empty result. No query has no columns, so that header row is a 400."""
    held = None
    refused = False

    async def checked(message):
        nonlocal held, refused
        if refused:
            return
        if message["type"] == "http.response.start" and message["status"] == 200:
            held = message
            return
        if held is not None and message["type"] == "http.response.body":
            start, held = held, None
            if message.get("body", b"").startswith(b"\r\n"):
                refused = True
                reason = "the query failed; the same address without .csv says why"
                return await _refuse(scope, send, 400, reason)
            await send(start)
        await send(message)

    return checked


@hookimpl
def asgi_wrapper(datasette):
    gate = _Gate()

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            try:
                if scope["method"] not in READ_METHODS:
                    raise Refused(405, "the published dataset is read-only: GET and HEAD only")
                if scope["path"].rstrip("/") in DEBUG_PAGES:
                    raise Refused(404, "not found")
                if len(scope.get("raw_path") or scope["path"].encode()) > MAX_PATH_BYTES:
                    raise Refused(414, f"the path is longer than {MAX_PATH_BYTES:,} bytes")
                pairs = _check_query(scope.get("query_string", b""))
            except Refused as refused:
                return await _refuse(scope, send, refused.status, str(refused))
            if scope["path"].endswith(".csv") and ("_header", "off") not in pairs:
                send = _failed_csv_answered_400(scope, send)
            if not any(key in CUSTOM_SQL_KEYS for key, _ in pairs):
                return await app(scope, receive, send)
            if gate.waiting >= MAX_WAITING:
                message = "too many custom queries are waiting; try again shortly"
                return await _refuse(scope, send, 503, message)
            gate.waiting += 1
            try:
                await gate.running.acquire()
            finally:
                gate.waiting -= 1
            try:
                return await app(scope, receive, send)
            finally:
                gate.running.release()

        return guarded

    return wrap


PERMISSION_ANSWERS_KEPT = 4_096


@hookimpl
def startup(datasette):
    databases = [db for db in datasette.databases.values() if db.path]
    if not databases or any(db.is_mutable for db in databases):
        return  # a database that may change may change what is allowed
    asked = datasette.permission_allowed
    answers: collections.OrderedDict = collections.OrderedDict()

    async def permission_allowed(actor, action, resource=None, default=False):
        if actor is not None:
            return await asked(actor, action, resource=resource, default=default)
        key = (action, tuple(resource) if isinstance(resource, list) else resource, default)
        if key in answers:
            answers.move_to_end(key)
            return answers[key]
        answer = await asked(actor, action, resource=resource, default=default)
        answers[key] = answer
        if len(answers) > PERMISSION_ANSWERS_KEPT:  # a bound: unknown tables are asked too
            answers.popitem(last=False)
        return answer

    datasette.permission_allowed = permission_allowed


# What SQLite raises for the SQL a request wrote, or its parameters (a "?" in _where).
_SQL_MISTAKES = (
    sqlite3.DataError,
    sqlite3.OperationalError,
    sqlite3.ProgrammingError,
    sqlite3.InterfaceError,
)
# The blob renderer's answers to a blob that is not there (no row, or a hash of another value).
_MISSING_BLOB = (IndexError, KeyError, TypeError)


def _as_request_mistake(request, exception: BaseException) -> DatasetteError | None:
    """The request's own mistake, which Datasette 0.65 answers 500 with a traceback: the
    errors its views raise without a status (an unknown sort column, a _through that names no
    foreign key), a value SQLite refuses as too long, a parameter that is no number or JSON."""
    if isinstance(exception, DatasetteError) and exception.status == 500:
        return DatasetteError(
            exception.message,
            title=exception.title,
            error_dict=exception.error_dict,
            status=400,
            message_is_html=exception.message_is_html,
        )
    if isinstance(exception, _SQL_MISTAKES):
        message = str(exception)
        if "too big" in message:
            message += f": a value may be at most {MAX_VALUE_BYTES:,} bytes"
        return DatasetteError(message, title="Invalid SQL", status=400)
    if isinstance(exception, ValueError):
        return DatasetteError(f"a parameter could not be read: {exception}", status=400)
    if request.path.endswith(".blob") and isinstance(exception, _MISSING_BLOB):
        return DatasetteError("there is no such value to download", status=404)
    return None


@hookimpl(wrapper=True)
def handle_exception(datasette, request, exception):
    """Every handle_exception hook runs and the first answer wins, so the default handler
    cannot be overruled by a second one: wrapping them all, a request's mistake is rendered
    by the default handler as the 400 it is, and the others never run."""
    answers = yield
    mistake = _as_request_mistake(request, exception)
    if mistake is None:
        return answers
    return [render_error(datasette=datasette, request=request, exception=mistake)]
