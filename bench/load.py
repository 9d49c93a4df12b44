"""Load test: concurrent readers against the real server on loopback, a rebuild landing midway.

    python -m bench.load [--clients 50] [--seconds 60] [--out bench/load-results.md]

Builds a private article.db, starts Datasette on it with the settings `make serve` uses
(immutable, inspect file, limits), drives the clients over the home page, table and row pages,
search, canned queries and JSON/CSV, runs a full rebuild of the same input renamed over the
served file halfway through, and reports requests per second, latency percentiles, errors and
torn reads (JSON rows that differ from the reference). Bounded in time and requests; loopback.
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
from article_dataset.serving import serve_command
from tests.server import free_port, running

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
# JSON answers whose rows must never change: a rebuild from the same input gives the same rows,
# so any difference is a torn or partial read.
CHECKED = [
    "/article/sentences.json?_size=max&_shape=array",
    "/article/evidence.json?_size=max&_shape=array",
    "/article/timeline.json?_shape=array",
    "/article/figures.json?_shape=array&_labels=on",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    torn: int = 0

    def summary(self, seconds: float, clients: int, rebuilds: int) -> dict:
        ordered = sorted(self.latencies)

        def percentile(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

        errors = sum(n for status, n in self.statuses.items() if status >= 400)
        return {
            "clients": clients,
            "seconds": round(seconds, 1),
            "requests": len(ordered),
            "requests_per_second": round(len(ordered) / seconds, 1),
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "errors": errors + sum(self.failures.values()),
            "server_errors_5xx": sum(n for s, n in self.statuses.items() if s >= 500),
            "connection_failures": dict(self.failures),
            "torn_reads": self.torn,
            "rebuilds_during_load": rebuilds,
        }


async def drive(base: str, clients: int, seconds: float, expected: dict, tally: Tally) -> None:
    deadline = time.monotonic() + seconds
    urls = PAGES + CHECKED
    issued = 0

    async def client(number: int) -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            step = number
            while time.monotonic() < deadline and issued < MAX_REQUESTS:
                issued += 1
                url = urls[step % len(urls)]
                step += 1
                started = time.monotonic()
                try:
                    response = await http.get(url)
                    body = response.content
                except httpx.HTTPError as error:
                    tally.failures[type(error).__name__] += 1
                    continue
                tally.latencies.append(time.monotonic() - started)
                tally.statuses[response.status_code] += 1
                checked = url in expected and response.status_code == 200
                if checked and json.loads(body) != expected[url]:
                    tally.torn += 1

    await asyncio.gather(*(client(n) for n in range(clients)))


def run_load(clients: int = 50, seconds: float = 60.0, rebuild: bool = True) -> dict:
    """The whole run: private copy, real server, load, a rebuild halfway; returns the summary."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "article.db"
        build(db, ROOT / "data")
        port = free_port()
        with running(serve_command(db, port=port), port) as base:
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
            asyncio.run(drive(base, clients, seconds, expected, tally))
            elapsed = time.monotonic() - started
            if rebuild:
                rebuilder.join(timeout=60)
            return tally.summary(elapsed, clients, len(rebuilds))


def report_markdown(summary: dict) -> str:
    rows = "\n".join(f"| {key} | {value} |" for key, value in summary.items())
    return (
        "# Load test results\n\n"
        "Written by `make load` (`python -m bench.load`): real `datasette` as `make serve` runs "
        "it, on loopback, 2-core machine, rebuild of article.db landing halfway through.\n\n"
        f"| measure | value |\n|---|---|\n{rows}\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    summary = run_load(args.clients, args.seconds)
    if args.out:
        args.out.write_text(report_markdown(summary), encoding="utf-8")
    print(json.dumps(summary))
    return 0 if summary["errors"] == 0 and summary["torn_reads"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
