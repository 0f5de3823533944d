"""Browser-test fixtures: Playwright driving Debian's Chromium, and axe-core.

No browser is downloaded: the tests use the system's ``/usr/bin/chromium``
(``make test`` installs Debian's package when it is missing).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("WAYPOINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no internet: without these Chromium keeps trying to
    # reach its own services in the background.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # that tests make around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh page in a fresh context; requests to other hosts are recorded.

    Tests assert ``page.foreign_requests == []``: nothing may be fetched from a
    third-party host.
    """
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/Bucharest"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []

    def _route(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            foreign.append(url)
            route.fulfill(status=204, body="")

    context.route("**/*", _route)
    page.foreign_requests = foreign
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the current page.

    It waits for the document to be complete first: right after a navigation
    the document can be parsed while its stylesheet is still on the way, and
    axe would then judge the unstyled page (visible skip link, bare nav
    links). The document's own state, not the page's load event: a link that
    turned into a download leaves a navigation that never loads.
    """
    from axe_playwright_python.sync_playwright import Axe

    _document_complete(page)
    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": [
                    "wcag2a",
                    "wcag2aa",
                    "wcag21a",
                    "wcag21aa",
                    "wcag22aa",
                    "best-practice",
                ],
            }
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def _document_complete(page: Any, timeout: float = 10.0) -> None:
    """Wait until the current document and its stylesheets have loaded.

    Polled with ``evaluate`` (``wait_for_function`` evaluates a string in the
    page, which the Content-Security-Policy forbids); a document replaced
    meanwhile is simply asked again.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate("document.readyState") == "complete":
                return
        except Error:
            pass  # the document changed under the question: ask the new one
        if time.monotonic() > deadline:
            raise AssertionError("the page did not finish loading")
        page.wait_for_timeout(50)


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )
