"""One page per page class: the walk shared by the reflow crawl and the NL Design System measure.

From the home page, follow links breadth first to depth 2 and open each endpoint (page class)
once: the home page, the pages it and the menu link to, and their links. Redirects to a page
class seen already (e.g. the login page) and downloads are skipped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.e2e.e2e_crawl import Crawler

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from werkzeug.routing import Map

MAX_PAGES = 45  # per role: one page per page class (endpoint)
SKIP_ENDPOINTS = {"auth.logout", "static", "main.healthz"}
DOWNLOADS = (".csv", ".pdf", ".ics", ".svg", ".png", ".json", ".xml", ".txt", ".zip")


def page_classes(page: Page, base_url: str, url_map: Map, actor: str,
                 max_pages: int = MAX_PAGES, max_depth: int = 2) -> Iterator[str | None]:
    """Open one page per endpoint; yield its endpoint while the page is shown."""
    helper = Crawler(page, base_url, url_map, actor=actor, run_axe=False)
    queue: deque[tuple[str, int]] = deque([(base_url + "/", 0)])
    seen, endpoints = {base_url + "/"}, set()
    visited = 0
    while queue and visited < max_pages:
        url, depth = queue.popleft()
        endpoint = helper.endpoint_of(url)
        if endpoint in SKIP_ENDPOINTS or endpoint in endpoints:
            continue
        endpoints.add(endpoint)
        if urlsplit(url).path.endswith(DOWNLOADS):
            continue  # a file, not a page
        response = page.goto(url, wait_until="load")
        visited += 1
        if response is None or response.status >= 400:
            continue  # the accessibility crawl reports broken links
        landed = helper.endpoint_of(page.url)
        if landed != endpoint and landed in endpoints:
            continue  # redirected to a page class seen already (e.g. the login page)
        endpoints.add(landed)
        yield landed
        if depth >= max_depth:
            continue
        for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            key = link.split("#")[0]
            if "lang=" in key or key in seen or not helper.followable(key):
                continue
            seen.add(key)
            queue.append((key, depth + 1))
