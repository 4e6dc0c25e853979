"""Pages in the states a crawl by links never sees: forms with errors, and the error pages.

A form page joins FORM_PAGES when a feature adds it. The form is sent with its text fields
emptied, which every form here refuses, so nothing is saved.
"""

from __future__ import annotations

import pytest

from tests.e2e.e2e_support import ConsoleLog, axe_violations, describe_violation

pytestmark = pytest.mark.e2e

# (who, form page) — sent empty, it must come back with an accessible error summary.
FORM_PAGES = (
    ("anonymous", "/inloggen"),
    ("anonymous", "/account-maken"),
    ("anonymous", "/wachtwoord-vergeten"),
    ("resident", "/account/"),
    ("resident", "/account/wachtwoord"),
    ("admin", "/beheer/gebruikers/nieuw"),
    ("admin", "/beheer/gebieden/nieuw"),
)

CLEAR_TEXT_FIELDS_JS = """() => document.querySelectorAll(
  'main form[method=post] input:not([type=hidden]):not([type=checkbox]):not([type=radio])'
  + ':not([type=submit]), main form[method=post] textarea').forEach(el => { el.value = ''; })"""


def assert_accessible(page) -> None:
    wcag, _advice = axe_violations(page)
    assert not wcag, "\n".join(describe_violation(page.url, v) for v in wcag)


@pytest.mark.parametrize(("actor", "path"), FORM_PAGES)
def test_form_with_errors_is_accessible(page_as, actor: str, path: str) -> None:
    page = page_as(actor)
    console = ConsoleLog().attach(page)
    page.goto(path)
    page.evaluate(CLEAR_TEXT_FIELDS_JS)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()

    summary = page.locator(".error-summary")
    assert summary.count() == 1, f"{path}: no error summary after sending the form empty"
    assert page.title().startswith("Fout:"), "the title must say the page has errors"
    # Every link in the summary leads to a field that exists and says it is invalid.
    for href in summary.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        field = page.locator(href)
        assert field.count() == 1, f"{path}: the summary links to {href}, which is not there"
        if field.evaluate("el => el.type !== 'checkbox' && el.type !== 'radio'"):
            assert field.get_attribute("aria-invalid") == "true", f"{path}: {href}"
    assert_accessible(page)
    assert console.take() == []


def test_an_error_summary_link_moves_focus_to_its_field(page) -> None:
    page.goto("/inloggen")
    page.locator("main form button[type=submit]").click()
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "email"


# (who, how to get there, expected status)
ERROR_PAGES = (
    ("anonymous", "/bestaat-niet", 404),
    ("resident", "/beheer/gebruikers", 403),
    ("admin", "/beheer/gebruikers/999999", 404),
)


@pytest.mark.parametrize(("actor", "path", "status"), ERROR_PAGES)
def test_error_page_is_accessible(page_as, actor: str, path: str, status: int) -> None:
    page = page_as(actor)
    response = page.goto(path)
    assert response is not None and response.status == status
    assert page.locator("h1").count() == 1
    assert page.locator("main a[href='/']").count() >= 1, "an error page links to the start"
    assert_accessible(page)


def test_expired_form_explains_itself(page_as) -> None:
    """A form sent with a stale CSRF token gets the plain 'page was open too long' page."""
    page = page_as("anonymous")
    page.goto("/inloggen")
    page.evaluate("document.querySelector('main input[name=csrf_token]').value = 'stale'")
    page.fill("#email", "inwoner@demo.buurtmakelaar.nl")
    page.fill("#password", "whatever")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert "te lang open" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_gate_sees_a_violation(page) -> None:
    """axe-core really runs in our pages: a broken snippet must fail it (no silent gate)."""
    page.goto("/over")
    page.evaluate("""() => {
      const img = document.createElement('img'); img.src = '/static/favicon.svg';
      const input = document.createElement('input'); input.type = 'text';
      document.querySelector('main').append(img, input);
    }""")
    found = {v["id"] for v in axe_violations(page)[0]}
    assert {"image-alt", "label"} <= found, found
