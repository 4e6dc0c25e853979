"""Every GET page of the web side and of the API, as every role that may see it, with hostile
values in each query parameter the page reads: numbers too large for any integer column
(SQLite's 64 bits, PostgreSQL's 32), a negative one, a digit that is no number ("²"), and NUL
with invalid UTF-8. Never a 5xx.

Which parameters a page reads: the fields of its GET forms (filters, search), and every name
its view module reads from ``request.args`` / ``request.values``. Both come from the code and
the pages themselves, so a new page or parameter is covered once its route is in the security
matrix. (An exploratory crawl of the demo region with these values, 47,000 requests, found one
500: a page number past what the database can skip to, on the administrator's user list.)
"""

from __future__ import annotations

import inspect
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.security.security_support import ACTORS, sign_in
from tests.security.test_security_matrix import MATRIX, build_urls

HOSTILE = ("9" * 40, "2147483648", "-1", "%C2%B2", "%00%ED%A0%80x%00")  # %C2%B2: "²"
READS = re.compile(r"request\.(?:args|values)(?:\.get(?:list)?\(|\[)\s*[\"']([A-Za-z_][\w-]*)")


def names_read_by(app: Any, endpoint: str) -> set[str]:
    """The query names the endpoint's view module reads (helpers of the view included)."""
    module = inspect.getmodule(inspect.unwrap(app.view_functions[endpoint]))
    return set(READS.findall(inspect.getsource(module))) if module else set()


def get_form_fields(html: str) -> set[str]:
    page = BeautifulSoup(html, "html.parser")
    return {element["name"] for form in page.find_all("form")
            if (form.get("method") or "get").lower() == "get"
            for element in form.find_all(["input", "select", "textarea"])
            if element.get("name")}


def with_value(url: str, name: str, raw: str) -> str:
    """The URL with `name` set to `raw` (already percent-encoded), first, replacing it."""
    parts = urlsplit(url)
    rest = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != name])
    return f"{parts.path}?{name}={raw}" + (f"&{rest}" if rest else "")


def test_the_scan_finds_what_a_view_reads(app):
    assert {"na", "voor"} <= names_read_by(app, "admin.users")
    assert "na" in names_read_by(app, "partners.referrals_list")


@pytest.mark.parametrize("actor", ACTORS)
def test_hostile_query_values_on_every_page(app, world, market, api_token, actor):
    urls = build_urls(app, world, market)
    client = app.test_client() if actor == "anonymous" else sign_in(app, world.users[actor])
    token = {} if actor == "anonymous" else api_token(world.users[actor])
    pages = sorted(e for e, method in MATRIX if method == "GET"
                   and e not in ("main.healthz", "auth.logout"))
    errors, tried = [], 0
    for endpoint in pages:
        headers = token if endpoint.startswith("api.") else {}
        response = client.get(urls[endpoint], headers=headers)
        if response.status_code != 200:
            continue  # not this actor's page: the role check answers before any parameter
        names = names_read_by(app, endpoint)
        if response.mimetype == "text/html":
            names |= get_form_fields(response.get_data(as_text=True))
        for name in sorted(names - {"csrf_token"}):
            for raw in HOSTILE:
                tried += 1
                url = with_value(urls[endpoint], name, raw)
                status = client.get(url, headers=headers).status_code
                if status >= 500:
                    errors.append(f"GET {url[:120]} as {actor}: {status}")
    assert actor == "anonymous" or tried, "no page with parameters was tried"
    assert not errors, "\n".join(errors)
