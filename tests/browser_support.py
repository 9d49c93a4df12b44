"""Helpers for the browser tests: Debian's chromium (required in CI), a plain `datasette serve`
on the built database, a page that reaches nothing off loopback, and screenshots.

A test module imports the fixtures it uses: `from tests.browser_support import browser, page`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .server import free_port, running, skip_or_fail

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


ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium for this module only.

    The sync API keeps its own asyncio loop running while open; closing it at the end of this
    module lets the pytest-asyncio tests in other modules run their loop afterwards.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(db_path):
    """`datasette serve article.db` as a reader runs it: no -m, the plugin adds the metadata."""
    port = free_port()
    datasette = str(Path(sys.executable).with_name("datasette"))
    command = [datasette, "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port) as base:
        yield base


@pytest.fixture
def page(browser, server):
    """A fresh page on the server; anything off 127.0.0.1 (map tiles) is refused at once."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
