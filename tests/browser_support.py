"""Helpers for the browser tests: Debian's chromium, required in CI."""

from __future__ import annotations

from pathlib import Path

from .server import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium phones home, and the closed network refuses it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("playwright is not installed")
