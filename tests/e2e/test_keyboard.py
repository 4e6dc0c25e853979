"""Keyboard only: no mouse clicks, no page.goto after the first page, only Tab, typing, Enter.

The core flows (request → offer → match → arrangement) join this file when those pages
exist; write them with `tab_to` and `page.keyboard` the same way.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_support import (
    ROLE_ACCOUNTS,
    UNFOCUSED_STYLES_JS,
    focused,
    has_visible_focus,
    tab_to,
)

pytestmark = pytest.mark.e2e


def path_of(page) -> str:
    return urlsplit(page.url).path


def skip_to_content(page) -> None:
    """The first Tab lands on the skip link, which is visible then; Enter moves focus to main."""
    state = tab_to(page, lambda s: True, max_tabs=1)
    assert "skip-link" in state["classes"], f"the first Tab must reach the skip link: {state}"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 20, "the focused skip link must be visible"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "inhoud", "the skip link must move focus to <main>"


def test_log_in_and_reach_the_user_list_by_keyboard(page) -> None:
    admin = ROLE_ACCOUNTS["admin"]
    page.goto("/")
    skip_to_content(page)

    # From the start page to the login page: Tab (backwards into the header) and Enter.
    tab_to(page, lambda s: s["href"] == "/inloggen" and s["tag"] == "a", key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/inloggen"

    skip_to_content(page)
    assert tab_to(page, lambda s: s["tag"] == "input", max_tabs=3)["id"] == "email", \
        "the first field after the skip link is the e-mail address"
    page.keyboard.type(admin.email)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "password"
    page.keyboard.type(admin.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/account/", "Enter in the password field sends the form"
    assert "U bent ingelogd" in page.locator("main").inner_text()

    # The main menu, by keyboard, to the user list.
    tab_to(page, lambda s: s["href"] == "/beheer/gebruikers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/beheer/gebruikers"
    assert page.locator("h1").inner_text() == "Gebruikers"

    # A user's page from the list, and the search field, still by keyboard.
    tab_to(page, lambda s: (s["href"] or "").startswith("/beheer/gebruikers/")
           and s["text"] == admin.name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == admin.name


def test_login_error_is_reachable_by_keyboard(page) -> None:
    """Sending the empty form: the error summary links bring focus to the field."""
    page.goto("/inloggen")
    skip_to_content(page)
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Inloggen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The form was sent from /inloggen#inhoud (the skip link), so the answer opens at <main>
    # and its first link is in the error summary.
    assert urlsplit(page.url).fragment == "inhoud"
    # Chromium focuses the fragment's target itself, sometimes only after the load event: wait
    # for it, or the Tab below can be overtaken by that focus (a CI run failed on this race).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'inhoud'")
    tab_to(page, lambda s: s["href"] == "#email", max_tabs=1)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "email"


# Pages whose every focusable element must show a focus indicator; (who, path).
FOCUS_PAGES = (
    ("anonymous", "/"),
    ("anonymous", "/inloggen"),
    ("admin", "/beheer/gebruikers"),
    ("admin", "/beheer/gebruikers/nieuw"),
)


@pytest.mark.parametrize(("actor", "path"), FOCUS_PAGES)
def test_every_focusable_element_shows_focus(page_as, actor: str, path: str) -> None:
    page = page_as(actor)
    page.goto(path)
    baseline = {item["index"]: item for item in page.evaluate(UNFOCUSED_STYLES_JS)}
    without_indicator, reached = [], 0
    for _ in range(len(baseline) + 5):
        page.keyboard.press("Tab")
        index = page.evaluate("document.activeElement.dataset.e2eIndex")
        if index is None:
            break  # past the last element (focus left the page)
        reached += 1
        state = focused(page)
        if not has_visible_focus(state, baseline[int(index)]):
            without_indicator.append(f"{state['tag']}#{state['id']} {state['text']!r} "
                                     f"outline={state['outline']} shadow={state['boxShadow']}")
    assert reached >= 3, f"Tab reached only {reached} element(s) on {path}"
    assert not without_indicator, "no visible focus indicator on:\n" + "\n".join(without_indicator)
