"""A short load run (the full one is `make load`): zero errors and no torn reads under a rebuild."""

from __future__ import annotations

import pytest

from bench.load import run_load


@pytest.mark.usefixtures("public_serve")  # the server make serve runs
def test_fifty_clients_for_five_seconds_with_a_rebuild_landing():
    summary = run_load(clients=50, seconds=5)
    assert summary["requests"] > 50
    assert summary["rebuilds_during_load"] == 1
    assert summary["errors"] == 0, summary
    assert summary["server_errors_5xx"] == 0, summary
    assert summary["torn_reads"] == 0, summary
