"""What one hostile request may cost the published server (issue 10): the server `make serve`
starts, from its own environment, on loopback. Each case is a request an outside test sent."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import httpx
import pytest

from article_dataset.load import MAX_VALUE_BYTES
from article_dataset.site import guard

from .server import SERVING_PYTHON, serving_copy

# The server's resident memory may grow by this much, at most, over all the requests below.
MEMORY_GROWTH_MB = 200


@pytest.fixture(scope="module")
def public_server(db_path, tmp_path_factory, public_serve):
    """(base URL, process, its log) on a private copy of the built database."""
    folder = tmp_path_factory.mktemp("hostile-requests")
    with serving_copy(db_path, folder, public_serve) as (base, process, _, log):
        yield base, process, log


def peak_memory_mb(process) -> float:
    """The server's peak resident memory so far (VmHWM), from the kernel."""
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + path, params=params or None, timeout=30)


def test_the_serving_environment_has_only_what_serving_needs():
    """With `rich` installed Datasette prints every handled error with its locals (~450 ms,
    ~60 KB of log each) and answers unknown paths with 500."""
    found = subprocess.run(
        [
            str(SERVING_PYTHON),
            "-c",
            "import importlib.util as u; "
            "print([m for m in ('rich', 'pytest', 'ruff', 'playwright') if u.find_spec(m)])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"


def test_the_build_holds_no_value_longer_than_the_server_does(db):
    assert guard.MAX_VALUE_BYTES == MAX_VALUE_BYTES
    longest = 0
    for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
        for column in db.execute(f"select name from pragma_table_info('{table}')"):
            quoted = f'"{column[0]}"'
            (length,) = db.execute(f'select max(length(cast({quoted} as blob))) from "{table}"')
            longest = max(longest, length[0] or 0)
    assert 0 < longest <= MAX_VALUE_BYTES


UNKNOWN = [
    "/.env",
    "/.git/config",
    "/a/b/c/d/e",
    "/wp-login.php",
    "/article/nope",
    "/article/actors/nope",
]


def test_unknown_paths_are_not_found_and_cost_a_line_of_log(public_server):
    base, _, log = public_server
    before = log.stat().st_size
    for path in UNKNOWN:
        response = get(base, path)
        assert response.status_code == 404, path
    written = log.read_text(errors="replace")[before:]
    assert "Traceback" not in written
    assert log.stat().st_size - before < 300 * len(UNKNOWN), written


# The mistakes Datasette 0.65 answered with 500 (and a traceback), and their siblings.
MISTAKES = {
    "unknown-sort": ("/article/actors.json", {"_sort": "nope"}, "Cannot sort table by nope"),
    "unknown-sort-desc": ("/article/actors.json", {"_sort_desc": "nope"}, "Cannot sort table"),
    "rowid-sort-of-a-keyed-table": ("/article/actors.json", {"_sort": "rowid"}, "Cannot sort"),
    "through-no-json": ("/article/actors.json", {"_through": "{"}, "_through must be"),
    "through-wrong-types": (
        "/article/actors.json",
        {"_through": '{"table": 1, "column": [], "value": null}'},
        "_through must be",
    ),
    "through-no-foreign-key": (
        "/article/actors.json",
        {"_through": '{"table": "places", "column": "id", "value": "x"}'},
        "Invalid _through",
    ),
    "timelimit-no-number": ("/article/actors.json", {"_timelimit": "abc"}, "could not be read"),
    "sql-timelimit-no-number": (
        "/article.json",
        {"sql": "select 1", "_timelimit": "abc"},
        "could not be read",
    ),
    "in-no-json": ("/article/actors.json", {"name__in": "[1,"}, "could not be read"),
    "where-parameter": ("/article/actors.json", {"_where": "name = ?"}, "Binding 1 has no name"),
    "in-nested": ("/article/actors.json", {"id__in": "[[1]]"}, "Error binding"),
    "facet-config-empty": ("/article/actors.json", {"_facet": "{}"}, "a facet is a column"),
    "facet-config-not-a-name": (
        "/article/actors.json",
        {"_facet_array": '{"simple": 1}'},
        "a facet is a column",
    ),
    "facet-size-max": (
        "/article/claims.json",
        {"_facet": "quote", "_facet_size": "max"},
        "_facet_size must be a number up to",
    ),
    "where-value-too-long": (
        "/article/actors.json",
        {"_where": "randomblob(100000000)"},
        f"a value may be at most {MAX_VALUE_BYTES:,} bytes",
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_request_mistake_is_answered_400_with_its_reason(public_server, name):
    base, _, log = public_server
    path, params, reason = MISTAKES[name]
    before = log.stat().st_size
    response = get(base, path, **params)
    assert response.status_code == 400, response.text[:500]
    assert response.json()["ok"] is False
    assert reason in response.json()["error"]
    html = get(base, path.removesuffix(".json"), **params)
    assert html.status_code == 400 and reason in html.text
    assert "Traceback" not in log.read_text(errors="replace")[before:]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/article/timeline", "/article", "/article/actors/-/insert"])
def test_only_reading_methods_are_served(public_server, method, path):
    base, _, _ = public_server
    response = httpx.request(method, base + path, data={"date": "2023"}, timeout=10)
    assert response.status_code == 405
    assert "read-only" in response.text
    assert get(base, "/article/timeline").status_code == 200


def test_missing_blobs_and_debug_pages_are_not_found(public_server):
    base, _, log = public_server
    before = log.stat().st_size
    for path, params in (
        ("/article.blob", {"sql": "select 1 as b where 0", "_blob_column": "b"}),
        ("/article.blob", {"sql": "select 1 as b", "_blob_column": "b", "_blob_hash": "x"}),
        ("/-/allow-debug", {"actor": "[]", "allow": "1"}),
    ):
        assert get(base, path, **params).status_code == 404, path
    assert "Traceback" not in log.read_text(errors="replace")[before:]


def test_head_is_served(public_server):
    base, _, _ = public_server
    assert httpx.head(base + "/article/actors", timeout=10).status_code == 200


# Requests whose cost in Datasette 0.65 grows with their size, refused before it parses them.
OVERSIZED = {
    "long-query-string": ("?q=" + "x" * (guard.MAX_QUERY_BYTES + 1), 414, "the query string is"),
    "many-parameters": ("?" + "&".join(f"p{i}=1" for i in range(4000))[:16000], 400, "parameters"),
    "facets-of-every-kind": (
        "?"
        + "&".join(
            f"{key}=quote"
            for key in ["_facet", "_facet_array", "_facet_date"] * 4
            + ["_facet_column"] * (guard.MAX_FACETS)
        ),
        400,
        "facets asked for",
    ),
    "a-long-query-with-facets": (
        "?_facet=kind&q=" + "x" * guard.MAX_FACETED_QUERY_BYTES,
        414,
        "with facets, the query string may be",
    ),
    "repeated-facets": (
        "?" + "&".join(["_facet=kind"] * (guard.MAX_FACETS + 1)),
        400,
        "facets asked for",
    ),
    "many-named-sql-parameters": (
        "?sql=" + "select+" + ",".join(f":p{i}" for i in range(2000)),
        400,
        "named parameters",
    ),
    "many-numbered-sql-parameters": (
        "?sql=select+1+where+" + "%2B".join(f":{i}" for i in range(2000)),
        400,
        "named parameters",
    ),
}


@pytest.mark.parametrize("name", sorted(OVERSIZED))
def test_an_oversized_request_is_refused_before_datasette_reads_it(public_server, name):
    base, _, _ = public_server
    query, status, reason = OVERSIZED[name]
    path = "/article" if "sql=" in query else "/article/claims"
    for suffix in ("", ".json"):
        response = httpx.get(f"{base}{path}{suffix}{query}", timeout=10)
        assert response.status_code == status, response.text[:300]
        assert reason in response.text
    assert response.json()["ok"] is False


def test_a_long_path_is_refused(public_server):
    base, _, _ = public_server
    response = get(base, "/article/" + "a" * guard.MAX_PATH_BYTES)
    assert response.status_code == 414
    assert "the path is longer than" in response.text


COLUMNS_OF_BLOBS = ", ".join(f"randomblob({MAX_VALUE_BYTES - 1})" for _ in range(guard.MAX_COLUMNS))
# Each of these took gigabytes or seconds before: a value, a result or a rendering too large.
EXPENSIVE_SQL = {
    "randomblob": ("select randomblob(1000000000)", "string or blob too big"),
    "zeroblob": ("select zeroblob(100000000)", "string or blob too big"),
    "printf-width": ("select printf('%.*c', 500000000, 'x')", "not authorized"),
    "format-width": ("select format('%.*c', 500000000, 'x')", "not authorized"),
    "doubling": (
        "with recursive r(x) as (select 'x' union all select x || x from r) select x from r",
        "string or blob too big",
    ),
    "group-concat": (
        "select group_concat(a.quote) from evidence a, evidence b",
        "string or blob too big",
    ),
    "long-values-on-many-rows": (
        f"select zeroblob({MAX_VALUE_BYTES - 1}) from evidence",
        "the answer would be larger than",
    ),
    "a-row-of-long-values": (f"select {COLUMNS_OF_BLOBS}", "the answer would be larger than"),
    "control-characters-six-times-their-size-as-json": (
        f"select cast(zeroblob({MAX_VALUE_BYTES - 1}) as text) from evidence limit 80",
        "the answer would be larger than",
    ),
    "trim-by-a-long-set": (
        f"select trim(hex(zeroblob({MAX_VALUE_BYTES // 2 - 1})), hex(zeroblob(10000)) || 'b')",
        "not authorized",
    ),
    "instr": ("select instr(hex(zeroblob(100000)), hex(zeroblob(50000)) || 'b')", "not authorized"),
    "replace": (
        "select replace(hex(zeroblob(100000)), hex(zeroblob(50000)), 'x')",
        "not authorized",
    ),
    "like-with-a-long-pattern": (
        f"select hex(zeroblob({MAX_VALUE_BYTES // 2 - 1})) like '%' || hex(zeroblob(60)) || 'b%'",
        "LIKE or GLOB pattern too complex",
    ),
    "address-of-the-library": ("select hex(fts3_tokenizer('simple'))", "not authorized"),
    "too-many-columns": (
        "select " + ", ".join(["1"] * (guard.MAX_COLUMNS + 1)),
        "too many columns",
    ),
}


@pytest.mark.parametrize("name", sorted(EXPENSIVE_SQL))
def test_expensive_sql_is_refused_with_its_reason_in_every_format(public_server, name):
    base, _, _ = public_server
    sql, reason = EXPENSIVE_SQL[name]
    answer = get(base, "/article.json", sql=sql)
    assert answer.status_code == 400
    assert reason in answer.json()["error"]
    assert get(base, "/article", sql=sql).status_code == 400
    csv = get(base, "/article.csv", sql=sql)
    assert csv.status_code == 400, csv.text[:200]  # not an empty file that looks like a result
    assert "the query failed" in csv.text


def test_one_request_cannot_take_the_servers_memory(db_path, tmp_path, public_serve, capsys):
    """A fresh server; every expensive query, in every format, twice: its peak resident memory
    grows by at most MEMORY_GROWTH_MB (before the limits, one randomblob took 4.35 GB)."""
    with serving_copy(db_path, tmp_path, public_serve) as (base, process, _, _):
        for path in ("/", "/article", "/article/actors", "/article/evidence.json?_size=max"):
            assert get(base, path).status_code == 200
        start = peak_memory_mb(process)
        for sql, _ in list(EXPENSIVE_SQL.values()) * 2:
            for path in ("/article.json", "/article", "/article.csv"):
                assert get(base, path, sql=sql).status_code == 400
        peak = peak_memory_mb(process)
        assert get(base, "/article/actors.json").status_code == 200
    with capsys.disabled():
        print(f"\nserver peak RSS: {start:.1f} MB after pages, {peak:.1f} MB after the memory test")
    assert peak - start < MEMORY_GROWTH_MB


def test_a_large_answer_within_the_limits_is_served(public_server):
    """The limits refuse what is too large, not what is merely large."""
    base, _, _ = public_server
    sql = "select * from evidence a, evidence b limit 1000"
    answer = get(base, "/article.json", sql=sql, _shape="array")
    assert answer.status_code == 200 and len(answer.json()) == 1000
    rows = get(base, "/article.json", sql=f"select zeroblob({MAX_VALUE_BYTES - 1}) as z")
    assert rows.status_code == 200


def test_canned_queries_and_search_pass_the_limits(public_server):
    base, _, _ = public_server
    for path, params in (
        ("/article/timeline.json", {}),
        ("/article/search.json", {"q": "torture"}),
        ("/article/record_evidence.json", {"record": "actors/timur-danebaev"}),
        ("/-/search.json", {"q": "Danebaev"}),
        ("/article/timeline.csv", {}),
    ):
        response = get(base, path, **params)
        assert response.status_code == 200, (path, response.text[:300])


RUNAWAY = (
    "with recursive counter(x) as (select 1 union all select x + 1 from counter) "
    "select count(*) from counter"
)


RUNAWAYS = {
    "sql": ("/article.json", {"sql": RUNAWAY}),
    "where": ("/article/places.json", {"_where": f"({RUNAWAY}) > 0"}),
}


@pytest.mark.parametrize("kind", sorted(RUNAWAYS))
def test_expensive_queries_wait_their_turn_and_cheap_pages_do_not(public_server, kind):
    """More runaway queries at once than the custom-SQL gate runs and queues: the surplus is
    told 503 at once, the rest each run to the time limit in turn, and a table page asked for
    meanwhile is answered before the first of them ends (without the gate, they would hold
    every SQL thread of the server for a second)."""
    import asyncio

    base, _, _ = public_server
    path, params = RUNAWAYS[kind]
    slow = guard.MAX_CUSTOM_SQL + guard.MAX_WAITING + 2
    finished: list[tuple[str, int]] = []

    async def fetch(http, label, path, **params):
        response = await http.get(path, params=params)
        finished.append((label, response.status_code))

    async def main():
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            runaways = [
                asyncio.create_task(fetch(http, "runaway", path, **params)) for _ in range(slow)
            ]
            await asyncio.sleep(0.5)
            await fetch(http, "page", "/article/actors.json")
            await asyncio.gather(*runaways)

    asyncio.run(main())
    statuses = [status for label, status in finished if label == "runaway"]
    assert statuses.count(503) == slow - guard.MAX_CUSTOM_SQL - guard.MAX_WAITING
    assert statuses.count(400) == guard.MAX_CUSTOM_SQL + guard.MAX_WAITING
    assert finished.index(("page", 200)) == statuses.count(503)
