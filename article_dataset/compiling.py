"""Compiling the units of a build: one after another, or across a process pool for big ones."""

from __future__ import annotations

import os
from collections import deque
from functools import partial
from pathlib import Path

from .units import Unit, compile_unit, warm_up

# Below this many units a process pool costs more than it saves.
PARALLEL_FROM_UNITS = 200
# Units sent to a worker at a time, and chunks waiting per worker.
CHUNK_UNITS = 16
CHUNKS_IN_FLIGHT_PER_WORKER = 4


def compile_all(data_dir: Path, units: list[Unit]):
    """Units compiled in order; across processes when there are many (parsing dominates)."""
    workers = os.cpu_count() or 1
    if len(units) < PARALLEL_FROM_UNITS or workers < 2:
        yield from map(partial(compile_unit, data_dir), units)
        return
    import multiprocessing  # only big builds need a pool: keep small ones' start-up short
    from concurrent.futures import ProcessPoolExecutor

    warm_up()  # compiled once here, inherited by every forked worker
    context = multiprocessing.get_context("fork")
    chunks = [units[start : start + CHUNK_UNITS] for start in range(0, len(units), CHUNK_UNITS)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # A window of chunks in flight, not the whole corpus: results that the workers make
        # faster than this process inserts them wait in its memory (with pool.map, peak RSS
        # at 10 000 articles was ~11 MB higher, and grows as the workers get faster).
        in_flight: deque = deque()
        try:
            for chunk in chunks:
                in_flight.append(pool.submit(_compile_chunk, data_dir, chunk))
                if len(in_flight) >= CHUNKS_IN_FLIGHT_PER_WORKER * workers:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        finally:  # stopped early (an insert failed): the chunks not started are not compiled
            pool.shutdown(cancel_futures=True)


def _compile_chunk(data_dir: Path, units: list[Unit]) -> list:
    return [compile_unit(data_dir, unit) for unit in units]
