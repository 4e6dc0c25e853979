"""Fixtures for the browser tests: the app served on 127.0.0.1, Debian's Chromium, pages.

The app runs in a thread of this process (werkzeug's server) on a migrated SQLite database
with the demo region, CSRF protection ON (forms are tested as they really are) and the
rate limits off. These tests run on SQLite only: they test pages, not the database, so they
do not use the `app` fixture that repeats tests per database backend.

Without Playwright or /usr/bin/chromium the browser tests are skipped with the reason; in CI
(CI=true) they fail instead, because CI must run them for real (.ci/install-browser).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import build_app, make_database_url, upgrade_to_head
from tests.e2e.e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROLE_ACCOUNTS,
    sign_in,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return ("Playwright for Python is not installed: run `make test` (it installs the test "
                "extras) or `.venv/bin/pip install -e '.[test]'`")
    if not CHROMIUM.exists():
        return (f"no browser: {CHROMIUM} is missing; install Debian's Chromium with "
                "`.ci/install-browser` (apt-get install chromium)")
    return None


def require_browser() -> None:
    reason = browser_missing()
    if reason is None:
        return
    # The test suite reads the CI flag itself (it is not application configuration): a
    # skipped browser test in CI would hide that the accessibility gate never ran.
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# ----------------------------------------------------------------------- the served app


@dataclass
class LiveServer:
    url: str
    app: Flask
    errors: list[str]  # server-side exceptions, newest last; the crawl reports them per page


class ErrorCollector(logging.Handler):
    """Keeps the last line of every exception the app logs, so a 500 says why."""

    def __init__(self, sink: list[str]):
        super().__init__(level=logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        cause = record.exc_info[1] if record.exc_info else None
        detail = f"{type(cause).__name__}: {cause}" if cause else record.getMessage()
        self.sink.append(detail)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per request: noise
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    require_browser()
    from marketplace.demo.seed import seed
    from marketplace.extensions import db

    directory = tmp_path_factory.mktemp("e2e")
    app = build_app(make_database_url("sqlite", directory, "e2e"), directory,
                    WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    upgrade_to_head(app)
    with app.app_context():
        seed()
        db.session.commit()
    errors: list[str] = []
    collector = ErrorCollector(errors)
    logging.getLogger("marketplace").addHandler(collector)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, errors)
    finally:
        logging.getLogger("marketplace").removeHandler(collector)
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


# ----------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
    yield browser
    browser.close()


@pytest.fixture()
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (closed after the test): `new_context(javascript=False, ...)`."""
    contexts: list[BrowserContext] = []

    def make(*, javascript: bool = True, viewport: dict[str, int] | None = None,
             **options: Any) -> BrowserContext:
        context = browser.new_context(
            base_url=base_url, java_script_enabled=javascript, viewport=viewport or DESKTOP,
            locale="nl-NL", timezone_id="Europe/Amsterdam", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_context) -> Page:
    """A fresh page with JavaScript on, signed out."""
    return new_context().new_page()


@pytest.fixture()
def page_nojs(new_context) -> Page:
    """A fresh page with JavaScript OFF, signed out."""
    return new_context(javascript=False).new_page()


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, base_url: str) -> Callable[[str], dict[str, Any]]:
    """Cookies of a signed-in demo account per role, made once through the login form."""
    states: dict[str, dict[str, Any]] = {}

    def state(role: str) -> dict[str, Any]:
        if role not in states:
            context = browser.new_context(base_url=base_url)
            sign_in(context.new_page(), base_url, ROLE_ACCOUNTS[role])
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state


@pytest.fixture()
def page_as(new_context, signed_in_state) -> Callable[..., Page]:
    """`page_as("admin")`: a page signed in as that role's demo account ("anonymous": not)."""

    def make(actor: str, **options: Any) -> Page:
        if actor != "anonymous":
            options["storage_state"] = signed_in_state(actor)
        return new_context(**options).new_page()

    return make
