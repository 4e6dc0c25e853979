"""Crawl the site as every role of the demo region and as a visitor who is not signed in.

Every page reachable by links must answer without error, log nothing to the console, carry
the right language and have 0 axe-core violations at WCAG 2.1 A/AA. A page that no crawl
reaches (a GET route without URL arguments) fails test_every_page_is_reached: link to it, or
add it to UNREACHED with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.e2e_crawl import Crawler, CrawlResult
from tests.e2e.e2e_support import ACTORS, extract_messages, save_json, slug, untranslated

pytestmark = pytest.mark.e2e

# Deliberate exceptions to "every page is reached by a link": endpoint → why.
UNREACHED = {
    # /beheer/ only redirects to the user list, for people who type the address; the
    # menu links to the user list itself.
    "admin.index": "a redirect, not a page",
    # The receipt after a worry reported without an account: only the form's POST leads
    # there (tests/functional/test_signals_public.py); a link to it would make no sense.
    "signals.received": "reached by sending the public worry form",
    "yearplans.annual_pdf": "a PDF download (linked from the annual report), not a page",
    "reporting.indicators_download": "a CSV download (linked from the dashboard), not a page",
    "erasure.done": "shown once, right after a person erased their own data (signed out then)",
}
# Routes that are not pages for people; the crawl does not follow them either.
NOT_PAGES_PREFIXES = ("api.",)
NOT_PAGES = {"static", "main.healthz"}


@pytest.fixture(scope="session")
def crawl_as(browser, base_url, live_server, signed_in_state) -> Callable[[str], CrawlResult]:
    """Crawl once per actor per test session; later tests reuse the result."""
    results: dict[str, CrawlResult] = {}

    def crawl(actor: str) -> CrawlResult:
        if actor not in results:
            options = {} if actor == "anonymous" else {"storage_state": signed_in_state(actor)}
            context = browser.new_context(base_url=base_url, locale="nl-NL", **options)
            try:
                crawler = Crawler(context.new_page(), base_url, live_server.app.url_map,
                                  actor=actor,
                                  server_errors=live_server.errors)
                results[actor] = crawler.crawl()
            finally:
                context.close()
            result = results[actor]
            save_json(f"accessibility/crawl-{slug(actor)}.json", {
                "pages": [vars(visit) for visit in result.visits],
                "problems": result.problems,
                "best_practice_advice": result.advice,
            })
        return results[actor]

    return crawl


@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_is_accessible(crawl_as, actor: str) -> None:
    result = crawl_as(actor)
    assert len(result.visits) >= 3, f"the crawl as {actor} found almost nothing: {result.visits}"
    assert not result.problems, f"{len(result.problems)} problem(s) as {actor}:\n" + "\n".join(
        result.problems)


def test_signed_in_roles_see_their_own_pages(crawl_as) -> None:
    """The crawl really is signed in: every role reaches its account, the admin the admin."""
    assert "account.index" in crawl_as("resident").endpoints
    assert {"admin.users", "admin.areas_list"} <= crawl_as("admin").endpoints
    assert "account.index" not in crawl_as("anonymous").endpoints


def test_every_page_is_reached(crawl_as, live_server) -> None:
    reached: set[str] = set()
    for actor in ACTORS:
        reached |= crawl_as(actor).endpoints
    pages = {
        rule.endpoint for rule in live_server.app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments
        and rule.endpoint not in NOT_PAGES and not rule.endpoint.startswith(NOT_PAGES_PREFIXES)
    }
    missing = sorted(pages - reached - UNREACHED.keys())
    assert not missing, (
        f"no link leads to {missing}: link to the page(s) from the site, or add them to "
        "UNREACHED in tests/e2e/test_crawl.py with the reason")
    stale = sorted(UNREACHED.keys() - pages)
    assert not stale, f"UNREACHED names routes that no longer exist: {stale}"


def test_pages_in_english_show_english(crawl_as, tmp_path) -> None:
    """A page that says lang="en" must not show Dutch UI strings (screen readers would read
    Dutch with English pronunciation). Dutch on an English page needs a translation in
    marketplace/translations/en, or lang="nl" on the element when it is meant to be Dutch."""
    dutch_only = untranslated(extract_messages(tmp_path / "messages.pot"), "en")
    found: dict[str, set[str]] = {}
    for actor in ACTORS:
        for url, texts in crawl_as(actor).texts.items():
            for text in set(texts) & dutch_only:
                found.setdefault(text, set()).add(url.split("?")[0])
    assert not found, f"{len(found)} Dutch UI string(s) on English pages, e.g.:\n" + "\n".join(
        f"{text!r} on {sorted(urls)[:2]}" for text, urls in sorted(found.items())[:25])
