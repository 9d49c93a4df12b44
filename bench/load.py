"""Load test: concurrent readers against the real server on loopback, a rebuild landing midway.

    python -m bench.load [--clients 50] [--seconds 60] [--hostile 10] [--out FILE]

Builds a private article.db, starts Datasette on it as `make serve` does (its environment,
immutable, inspect file, limits), drives the clients over the home page, table and row pages,
search, canned queries and JSON/CSV, runs a full rebuild of the same input renamed over the
served file halfway through, and reports requests per second, latency percentiles, errors and
torn reads (JSON rows that differ from the reference). With --hostile N, N of the clients send
hostile requests instead (expensive SQL, oversized requests, error paths): the percentiles are
then those of the readers' cheap requests, beside the hostile ones' answers. Bounded in time
and requests; loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from article_dataset import build
from tests.server import free_port, public_serve_command, running

ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 200_000

PAGES = [
    "/",
    "/article",
    "/article/actors",
    "/article/events?_sort=date_start",
    "/article/sentences?_search=torture",
    "/article/actors?_search=Tokayev",
    "/article/actors/timur-danebaev",
    "/article/timeline",
    "/article/actor?actor=Tokayev",
    "/article/who_said?words=riot",
    "/-/search?q=Akhmedyarov",
    "/article/statements.csv?_stream=on",
]
RUNAWAY = (
    "with recursive counter(x) as (select 1 union all select x + 1 from counter) "
    "select count(*) from counter"
)
# What an outside test sent to bring the server down (issue 10), as GET requests.
HOSTILE = [
    ("/article.json", {"sql": RUNAWAY}),
    ("/article.json", {"sql": "select randomblob(1000000000)"}),
    ("/article.csv", {"sql": "select zeroblob(249999) from evidence"}),
    ("/article.json", {"sql": "select printf('%.*c', 500000000, 'x')"}),
    ("/article.json", {"sql": "select group_concat(a.quote) from evidence a, evidence b"}),
    ("/article", {"sql": "select " + ",".join(f":p{i}" for i in range(2000))}),
    ("/article/actors", {f"p{i}": "1" for i in range(4000)}),
    ("/article/actors", [("_facet", "kind")] * 500),
    ("/article/actors.json", {"_sort": "nope"}),
    ("/article/actors.json", {"_through": "{"}),
    ("/.env", None),
    ("/.git/config", None),
    ("/a/b/c/d/e", None),
]
# JSON answers whose rows must never change: a rebuild from the same input gives the same rows,
# so any difference is a torn or partial read.
CHECKED = [
    "/article/sentences.json?_size=max&_shape=array",
    "/article/evidence.json?_size=max&_shape=array",
    "/article/timeline.json?_shape=array",
    "/article/figures.json?_shape=array&_labels=on",
]


def percentile(ordered: list[float], p: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    torn: int = 0
    failed_pages: Counter = field(default_factory=Counter)
    hostile_latencies: list[float] = field(default_factory=list)
    hostile_statuses: Counter = field(default_factory=Counter)

    def summary(self, seconds: float, clients: int, rebuilds: int, hostile: int) -> dict:
        ordered = sorted(self.latencies)
        errors = sum(n for status, n in self.statuses.items() if status >= 400)
        summary = {
            "clients": clients,
            "seconds": round(seconds, 1),
            "requests": len(ordered),
            "requests_per_second": round(len(ordered) / seconds, 1),
            "p50_ms": percentile(ordered, 0.50),
            "p95_ms": percentile(ordered, 0.95),
            "p99_ms": percentile(ordered, 0.99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "errors": errors + sum(self.failures.values()),
            "server_errors_5xx": sum(n for s, n in self.statuses.items() if s >= 500),
            "connection_failures": dict(self.failures),
            "failed_pages": dict(self.failed_pages),
            "torn_reads": self.torn,
            "rebuilds_during_load": rebuilds,
        }
        if hostile:
            refused = sorted(self.hostile_latencies)
            summary |= {
                "hostile_clients": hostile,
                "hostile_requests": len(refused),
                "hostile_statuses": dict(sorted(self.hostile_statuses.items())),
                "hostile_p50_ms": percentile(refused, 0.50),
                "hostile_p95_ms": percentile(refused, 0.95),
            }
        return summary


async def drive(
    base: str, clients: int, seconds: float, expected: dict, tally: Tally, hostile: int = 0
) -> None:
    deadline = time.monotonic() + seconds
    readers = [(url, None) for url in PAGES + CHECKED]
    issued = 0

    def read(url: str, response: httpx.Response, latency: float) -> None:
        tally.latencies.append(latency)
        tally.statuses[response.status_code] += 1
        if response.status_code >= 400:
            tally.failed_pages[f"{response.status_code} {url}"] += 1
        checked = url in expected and response.status_code == 200
        if checked and json.loads(response.content) != expected[url]:
            tally.torn += 1

    def attacked(_: str, response: httpx.Response, latency: float) -> None:
        tally.hostile_latencies.append(latency)
        tally.hostile_statuses[response.status_code] += 1

    async def client(number: int, requests: list, answered) -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            step = number
            while time.monotonic() < deadline and issued < MAX_REQUESTS:
                issued += 1
                path, params = requests[step % len(requests)]
                step += 1
                started = time.monotonic()
                try:
                    response = await http.get(path, params=params)
                except httpx.HTTPError as error:
                    tally.failures[type(error).__name__] += 1
                    continue
                answered(path, response, time.monotonic() - started)

    await asyncio.gather(
        *(client(n, HOSTILE, attacked) for n in range(hostile)),
        *(client(n, readers, read) for n in range(hostile, clients)),
    )


def run_load(
    clients: int = 50, seconds: float = 60.0, rebuild: bool = True, hostile: int = 0
) -> dict:
    """The whole run: private copy, real server, load, a rebuild halfway; returns the summary."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "article.db"
        build(db, ROOT / "data")
        port = free_port()
        with running(public_serve_command(db, port), port) as base:
            expected = {url: httpx.get(base + url, timeout=30).json() for url in CHECKED}
            rebuilds = []

            def rebuild_midway() -> None:
                time.sleep(seconds / 2)
                build(db, ROOT / "data", full=True)  # a new file renamed over the served one
                rebuilds.append(time.monotonic())

            rebuilder = threading.Thread(target=rebuild_midway, daemon=True)
            if rebuild:
                rebuilder.start()
            tally = Tally()
            started = time.monotonic()
            asyncio.run(drive(base, clients, seconds, expected, tally, hostile))
            elapsed = time.monotonic() - started
            if rebuild:
                rebuilder.join(timeout=60)
            return tally.summary(elapsed, clients, len(rebuilds), hostile)


def report_markdown(runs: dict[str, dict]) -> str:
    """One column per run: the readers alone, then with hostile clients among them."""
    names = list(runs)
    keys = list(dict.fromkeys(key for summary in runs.values() for key in summary))
    rows = "\n".join(
        f"| {key} | " + " | ".join(str(runs[name].get(key, "")) for name in names) + " |"
        for key in keys
    )
    return (
        "# Load test results\n\n"
        "Written by `make load` (`python -m bench.load`): real `datasette` as `make serve` runs "
        "it, on loopback, 2-core machine, rebuild of article.db landing halfway through. In the "
        "hostile mix some clients send only hostile requests (expensive SQL, oversized "
        "requests, error paths; bench/load.py HOSTILE); its latencies and errors are those of "
        "the other clients' cheap requests.\n\n"
        f"| measure | {' | '.join(names)} |\n|---|{'---|' * len(names)}\n{rows}\n"
    )


def failed(summary: dict) -> bool:
    hostile_5xx = sum(n for s, n in summary.get("hostile_statuses", {}).items() if s >= 500)
    refused_busy = summary.get("hostile_statuses", {}).get(503, 0)  # the custom-SQL gate
    return bool(summary["errors"] or summary["torn_reads"] or hostile_5xx - refused_busy)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--hostile", type=int, default=0, help="of the clients, how many attack")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    runs = {"readers": run_load(args.clients, args.seconds)}
    print(json.dumps(runs["readers"]), flush=True)
    if args.hostile:
        mix = f"hostile mix ({args.hostile} of {args.clients} clients hostile)"
        runs[mix] = run_load(args.clients, args.seconds, hostile=args.hostile)
        print(json.dumps(runs[mix]))
    if args.out:
        args.out.write_text(report_markdown(runs), encoding="utf-8")
    return 1 if any(map(failed, runs.values())) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
