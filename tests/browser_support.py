"""Helpers for the browser tests: Debian's chromium (required in CI), a plain `datasette serve`
on the built database, a page that reaches nothing off loopback, and screenshots.

conftest.py makes the fixtures available to every test module.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from article_dataset.site.serving import datasette_executable

from .server import ROOT, free_port, running, skip_or_fail

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
    command = [
        datasette_executable(),
        "serve",
        str(db_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with running(command, port) as base:
        yield base


@contextmanager
def local_page(browser, base: str, **options):
    """A page on `base` in a context of its own (options: viewport, java_script_enabled...);
    anything off `base` (map tiles) is refused at once."""
    context = browser.new_context(base_url=base, **options)
    context.set_default_timeout(10_000)

    def only_local(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser, server):
    """A fresh page on the server, 1280 pixels wide."""
    with local_page(browser, server, viewport={"width": 1280, "height": 900}) as page:
        yield page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
