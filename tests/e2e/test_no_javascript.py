"""Everything works with JavaScript switched off: pages open, forms submit.

The site ships no JavaScript, and must keep working for people whose browser blocks it.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_crawl import Crawler
from tests.e2e.e2e_support import ROLE_ACCOUNTS, sign_in

pytestmark = pytest.mark.e2e

_unique = itertools.count(1)


@pytest.mark.parametrize("actor", ["anonymous", "admin"])
def test_crawl_without_javascript(new_context, live_server, actor: str) -> None:
    """Anonymous sees the public pages; the administrator sees the most forms."""
    page = new_context(javascript=False).new_page()
    if actor != "anonymous":
        sign_in(page, live_server.url, ROLE_ACCOUNTS[actor])  # the form, without JavaScript
    # axe-core itself is JavaScript; the crawl with JavaScript on already runs it.
    result = Crawler(page, live_server.url, live_server.app.url_map, actor=actor,
                     run_axe=False, server_errors=live_server.errors).crawl()
    assert len(result.visits) >= 3
    assert not result.problems, "\n".join(result.problems)


def test_login_without_javascript(page_nojs) -> None:
    page = page_nojs
    page.goto("/inloggen")
    page.fill("#email", ROLE_ACCOUNTS["resident"].email)
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    assert page.locator(".error-summary").is_visible()
    assert "klopt niet" in page.locator(".error-summary").inner_text()

    page.fill("#password", ROLE_ACCOUNTS["resident"].password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    assert urlsplit(page.url).path == "/account/"
    assert "U bent ingelogd" in page.locator("main").inner_text()
    assert ROLE_ACCOUNTS["resident"].name in page.locator("header").inner_text()


def test_register_without_javascript(page_nojs) -> None:
    page = page_nojs
    page.goto("/account-maken")
    email = f"nieuw{next(_unique)}@voorbeeld.nl"
    page.fill("#name", "Nieuwe Buurtbewoner")
    page.fill("#email", email)
    page.fill("#password", "een zin van woorden")
    page.fill("#password_again", "een andere zin")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").is_visible(), "different passwords must be refused"

    page.fill("#password", "een zin van woorden")
    page.fill("#password_again", "een zin van woorden")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 200
    assert "krijgt u binnen enkele minuten een e-mail" in page.locator("main").inner_text()


def test_logout_without_javascript(new_context, live_server) -> None:
    page = new_context(javascript=False).new_page()
    sign_in(page, live_server.url, ROLE_ACCOUNTS["volunteer"])
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert "U bent uitgelogd" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Inloggen").count() == 1


def test_search_form_without_javascript(new_context, live_server) -> None:
    page = new_context(javascript=False).new_page()
    sign_in(page, live_server.url, ROLE_ACCOUNTS["admin"])
    page.goto("/beheer/gebruikers")
    page.fill("#q", "Beheerder")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken").click()
    assert "q=Beheerder" in page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "Bram Beheerder" in rows.inner_text()
