"""A breadth-first crawl of every page reachable by links, with checks on every page.

Per page: the HTTP status (a link must not lead to an error), console errors, the language
of the page, axe-core at WCAG 2.1 A/AA (when `run_axe`), and that every form can be sent
without JavaScript (a real submit button). New pages need no change here: link to them and
the crawl finds them; test_crawl.py fails when a page without URL arguments is never reached.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect

from tests.e2e.e2e_support import (
    ConsoleLog,
    axe_violations,
    describe_violation,
    unreachable_scroll_regions,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Paths the crawl never follows: machine endpoints, not pages for people.
SKIP_PREFIXES = ("/static/", "/api/", "/healthz")
# Links the crawl must never follow even if a page offers them as GET links.
SKIP_ENDPOINTS = {"auth.logout"}
SKIP_ENDPOINTS.add("yearplans.annual_pdf")  # a PDF download: the browser saves it, no page
# Downloads, not pages: the figures as CSV, a calendar feed for calendar apps.
SKIP_ENDPOINTS |= {"reporting.indicators_download", "calendar.feed"}
MAX_PAGES = 100  # per actor, language variants included (60 no longer reached every page)
MAX_PER_ENDPOINT = 2  # e.g. 2 of the 28 area pages: the same template with other rows

# Text a person sees or hears on the page, minus parts marked as another language.
VISIBLE_TEXTS_JS = """() => {
  const page = document.documentElement.lang, out = new Set([document.title.trim()]);
  const foreign = el => { const marked = el.closest('[lang]');
                          return marked && !marked.lang.startsWith(page); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && !node.parentElement.closest('script, style') && !foreign(node.parentElement))
      out.add(text);
  }
  document.querySelectorAll('[aria-label], [title], [alt], [placeholder]').forEach(el => {
    for (const name of ['aria-label', 'title', 'alt', 'placeholder'])
      if (el.getAttribute(name) && !foreign(el)) out.add(el.getAttribute(name).trim());
  });
  return Array.from(out);
}"""

FORMS_WITHOUT_SUBMIT_JS = """() => Array.from(document.forms)
  .filter(f => !f.querySelector('button:not([type]), button[type=submit], input[type=submit]'))
  .map(f => f.getAttribute('action') || f.getAttribute('aria-label') || f.className)"""


@dataclass
class Visit:
    url: str
    status: int
    endpoint: str | None
    lang: str


@dataclass
class CrawlResult:
    actor: str
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    advice: list[dict[str, Any]] = field(default_factory=list)  # axe best-practice findings
    # Texts of the pages in another language than the default: url → texts (see
    # test_crawl.test_pages_in_english_show_english).
    texts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def endpoints(self) -> set[str]:
        return {v.endpoint for v in self.visits if v.endpoint and v.status < 400}


def strip_lang(url: str) -> tuple[str, str | None]:
    """(URL without fragment and ?lang=, the lang asked for) with a stable query order."""
    parts = urlsplit(url)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    lang = next((v for k, v in query if k == "lang"), None)
    rest = urlencode([(k, v) for k, v in query if k != "lang"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), lang


def with_lang(url: str, lang: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit((*parts[:3], urlencode([*query, ("lang", lang)]), ""))


class Crawler:
    def __init__(self, page: Page, base_url: str, url_map: Map, *, actor: str,
                 run_axe: bool = True, default_lang: str = "nl", max_pages: int = MAX_PAGES,
                 server_errors: list[str] | None = None):
        self.page, self.base_url, self.actor = page, base_url, actor
        self.server_errors = server_errors if server_errors is not None else []
        self.adapter = url_map.bind(urlsplit(base_url).netloc)
        self.run_axe, self.default_lang, self.max_pages = run_axe, default_lang, max_pages
        self.console = ConsoleLog().attach(page)
        self.result = CrawlResult(actor)

    def endpoint_of(self, url: str) -> str | None:
        parts = urlsplit(url)
        try:
            endpoint, _args = self.adapter.match(parts.path, method="GET",
                                                 query_args=parts.query)
        except RequestRedirect as redirect:
            return self.endpoint_of(redirect.new_url)
        except HTTPException:
            return None
        return endpoint

    def followable(self, url: str) -> bool:
        parts, base = urlsplit(url), urlsplit(self.base_url)
        return (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and not any(
            parts.path.startswith(prefix) for prefix in SKIP_PREFIXES)

    def crawl(self, start: str = "/") -> CrawlResult:
        queue: deque[str] = deque([self.base_url + start])
        seen: set[str] = {queue[0]}
        switched: set[str] = set()
        per_endpoint: Counter[str | None] = Counter()
        while queue and len(self.result.visits) < self.max_pages:
            url = queue.popleft()
            endpoint = self.endpoint_of(url)
            if endpoint in SKIP_ENDPOINTS or (
                    endpoint is not None and per_endpoint[endpoint] >= MAX_PER_ENDPOINT):
                continue
            per_endpoint[endpoint] += 1
            links = self.visit(url, self.default_lang)
            for link in links:
                key, lang = strip_lang(link)
                if lang and lang != self.default_lang and key not in switched:
                    # One language switch per page: check the page in the other language,
                    # then switch back (the choice sticks in the session).
                    switched.add(key)
                    self.visit(link, lang)
                    self.visit(with_lang(key, self.default_lang), self.default_lang, check=False)
                elif not lang and key not in seen and self.followable(key):
                    seen.add(key)
                    queue.append(key)
        return self.result

    def visit(self, url: str, lang: str, *, check: bool = True) -> list[str]:
        """Open one page, record problems, return the links on it (absolute URLs)."""
        response = self.page.goto(url, wait_until="load")
        status = response.status if response else 0
        final = self.page.url
        self.result.visits.append(Visit(final, status, self.endpoint_of(final), lang))
        problems = self.result.problems
        if status >= 500:
            causes = "; ".join(dict.fromkeys(self.server_errors)) or "see the server log"
            problems.append(f"{url}: HTTP {status} (server error: {causes})")
        elif status >= 400:
            problems.append(f"{url}: HTTP {status} (a link leads to an error page)")
        self.server_errors.clear()
        problems += [f"{final}: console: {message}" for message in self.console.take()]
        if check:
            html_lang = self.page.get_attribute("html", "lang")
            if html_lang != lang:
                problems.append(f"{final}: <html lang={html_lang!r}>, expected {lang!r}")
            if without_submit := self.page.evaluate(FORMS_WITHOUT_SUBMIT_JS):
                problems.append(f"{final}: form(s) without a submit button: {without_submit}")
            problems += [f"{final}: scrolls sideways, not by keyboard: {region}"
                         for region in unreachable_scroll_regions(self.page)]
            if lang != self.default_lang:
                self.result.texts[final] = self.page.evaluate(VISIBLE_TEXTS_JS)
            if self.run_axe:
                wcag, advice = axe_violations(self.page)
                problems += [describe_violation(final, v) for v in wcag]
                self.result.advice += [{"url": final, "id": v["id"], "help": v["help"],
                                        "nodes": len(v["nodes"])} for v in advice]
        return self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
