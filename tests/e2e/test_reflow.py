"""Reflow (WCAG 1.4.10) and the layout bugs axe cannot see, measured in Chromium.

- The check of a new request (step 4, "Kijk alles na"): each summary row shows its label,
  its value and its "Wijzigen" link side by side on one line at 1280 px (a 2-column grid
  once scrambled the 3 children of a row), also with a 300-character word in the text.
- A 300-character word in an intake does not make /dossier/<id> wider than the window.
- The nearby list's result cards are not a third of the page with one word per line.
- A crawl per role (and signed out) at 320 px and 1280 px of every page reachable from the
  home page and the role's menu (one page per page class): `scrollWidth` never exceeds the
  window. One full-page screenshot per page class per width lands in
  artifacts/reflow/<role>/ (git-ignored: an artefact of the test run, for people to look at).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.e2e_pages import page_classes
from tests.e2e.e2e_support import ACTORS, ARTIFACTS, DESKTOP, slug

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
WIDTHS = {"320": NARROW, "1280": DESKTOP}
LONG_WORD = "Zorgen" + "x" * 294  # 300 characters, no place to break
REFLOW_DIR = ARTIFACTS / "reflow"

SCROLL_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1
                  && !el.closest('.table-wrapper, .visually-hidden, .skip-link'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {over: root.scrollWidth - width, wide: wide.slice(0, 4)};
}"""

ROWS_JS = """sel => Array.from(document.querySelectorAll(sel + ' > div')).map(row => {
  const boxes = Array.from(row.children).map(c => c.getBoundingClientRect());
  return {text: row.innerText.slice(0, 40), n: boxes.length,
          tops: boxes.map(b => Math.round(b.top)), lefts: boxes.map(b => Math.round(b.left)),
          tags: Array.from(row.children).map(c => c.tagName)};
})"""


def overflow(page) -> dict:
    return page.evaluate(SCROLL_JS)


# ----------------------------------------------------------------------- the layout bugs


def start_request_to_check_step(page, description: str) -> None:
    """As the signed-in resident, walk the wizard (mouse, JS on) to step 4."""
    page.goto("/hulpvragen/nieuw")
    page.get_by_label("Boodschappen", exact=True).check()
    page.get_by_role("button", name="Volgende stap").click()
    page.get_by_label("Vertel in uw eigen woorden wat u zoekt").fill(description)
    page.get_by_role("button", name="Volgende stap").click()
    page.get_by_label("Postcode", exact=True).fill("5531 AB")
    page.get_by_label("Huisnummer", exact=True).fill("12")
    page.get_by_role("button", name="Volgende stap").click()
    assert "Kijk alles na" in page.locator("h1").inner_text(), page.url


def test_check_step_summary_rows_are_not_scrambled(page_as) -> None:
    page = page_as("resident", viewport=DESKTOP)
    start_request_to_check_step(page, f"Boodschappen op vrijdag. {LONG_WORD}")
    rows = page.evaluate(ROWS_JS, "main dl.summary-list")
    assert len(rows) >= 6, rows
    for row in rows:
        assert row["tags"] == ["DT", "DD", "DD"], row
        # One line: label, value, action left to right on the same top.
        assert len(set(row["tops"])) == 1, f"row wraps or scrambles at 1280 px: {row}"
        assert row["lefts"] == sorted(row["lefts"]), row
    assert overflow(page)["over"] <= 0, overflow(page)

    page.set_viewport_size(NARROW)
    result = overflow(page)
    assert result["over"] <= 0, f"step 4 scrolls sideways at 320 px: {result}"
    for row in page.evaluate(ROWS_JS, "main dl.summary-list"):
        # Narrow: stacked in order (label above value above action), never side by side.
        assert row["tops"] == sorted(row["tops"]), row


@pytest.fixture(scope="module")
def file_with_long_word(live_server) -> int:
    """An intake with a 300-character word for a resident the demo worker may open."""
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.casework.services import can_open_file, save_intake
    from marketplace.extensions import db

    with live_server.app.app_context():
        worker = db.session.scalars(
            select(User).where(User.email == "welzijnswerker@demo.buurtmakelaar.nl")).one()
        resident = next(u for u in db.session.scalars(select(User).order_by(User.id))
                        if u.has_role("resident") and can_open_file(worker, u))
        save_intake(worker, resident, question_as_asked=f"Hulp bij post. {LONG_WORD}",
                    underlying_need=LONG_WORD, own_strength=None, network_strength=None,
                    consent_special_data=False, consent_purpose=None, scores={})
        db.session.commit()
        return resident.id


@pytest.mark.parametrize("width", WIDTHS)
def test_long_word_does_not_widen_the_file(page_as, file_with_long_word, width: str) -> None:
    page = page_as("worker", viewport=WIDTHS[width])
    response = page.goto(f"/dossier/{file_with_long_word}")
    assert response and response.status == 200
    assert LONG_WORD[:50] in page.locator("main").inner_text().replace("\n", "")
    result = overflow(page)
    assert result["over"] <= 0, f"/dossier at {width} px is too wide: {result}"


def test_nearby_cards_use_the_width(page_as) -> None:
    page = page_as("volunteer", viewport=DESKTOP)
    page.goto("/vrijwilliger/in-de-buurt")
    main_width = page.locator("main").bounding_box()["width"]
    cards = page.locator("main .entry-card")
    if cards.count() == 0:
        pytest.skip("the demo volunteer has no nearby requests to show")
    for index in range(cards.count()):
        box = cards.nth(index).bounding_box()
        assert box["width"] >= min(main_width, 17 * 16), f"card {index} is {box['width']} px"
    if cards.count() == 1:
        assert cards.first.bounding_box()["width"] > main_width * 0.9
    # Values are not squeezed to a word per line.
    widths = page.eval_on_selector_all("main .entry-card dd",
                                       "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(w >= 150 for w in widths), widths


# ----------------------------------------------------------------------- the crawl


def reflow_crawl(page, base_url: str, url_map, actor: str, width: str) -> list[str]:
    """Visit one page per page class (tests/e2e/e2e_pages.py); return the pages that scroll
    sideways. Screenshot each page class."""
    shots = REFLOW_DIR / slug(actor)
    shots.mkdir(parents=True, exist_ok=True)
    problems, visited = [], 0
    for endpoint in page_classes(page, base_url, url_map, actor):
        visited += 1
        result = overflow(page)
        if result["over"] > 0:
            problems.append(f"{actor} {width}px {urlsplit(page.url).path}: "
                            f"{result['over']} px too wide, e.g. {result['wide']}")
        page.screenshot(path=str(shots / f"{slug(endpoint or 'page')}-{width}.png"),
                        full_page=True)
    assert visited >= 3, f"the reflow crawl as {actor} found almost nothing"
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("actor", ACTORS)
def test_no_page_scrolls_sideways(new_context, signed_in_state, live_server, actor: str,
                                  width: str) -> None:
    options = {} if actor == "anonymous" else {"storage_state": signed_in_state(actor)}
    context = new_context(viewport=WIDTHS[width], device_scale_factor=1, **options)
    problems = reflow_crawl(context.new_page(), live_server.url, live_server.app.url_map,
                            actor, width)
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)
