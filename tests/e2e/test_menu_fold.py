"""On a phone the main menu folds under "Menu", without JavaScript; on a desktop it is a bar.

Looking at the screenshots of each role's home at 320 px showed the worker's eight menu links
wrapping to five rows of the header before any content. The folded menu takes one row, says
which page you are on, and opens with a click or the keyboard (a <details>: no script).
"""

from __future__ import annotations

import pytest

from tests.e2e.e2e_support import ARTIFACTS, DESKTOP

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
SHOTS = ARTIFACTS / "menu"  # git-ignored, for people to look at
SHOTS.mkdir(parents=True, exist_ok=True)


def menu_links(page) -> list[str]:
    return [a.get_attribute("href") for a in
            page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").all()
            if a.is_visible()]


def test_phone_menu_is_folded_and_opens_without_javascript(page_as) -> None:
    page = page_as("worker", viewport=NARROW, javascript=False)
    page.goto("/werk/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = nav.locator("summary")
    assert toggle.is_visible()
    assert " ".join(toggle.inner_text().split()) == "Menu: Werklijst"
    assert menu_links(page) == []  # folded: no link takes room
    assert nav.bounding_box()["height"] <= 60

    page.screenshot(path=str(SHOTS / "worker-320-folded.png"), full_page=True)
    toggle.click()
    page.screenshot(path=str(SHOTS / "worker-320-open.png"))
    links = menu_links(page)
    assert "/werk/" in links and len(links) >= 5, links
    # One under the other, each a full-width target of at least 44 px.
    boxes = [a.bounding_box() for a in nav.get_by_role("link").all() if a.is_visible()]
    assert all(b["height"] >= 44 for b in boxes), boxes
    assert [b["y"] for b in boxes] == sorted({b["y"] for b in boxes}), boxes
    current = nav.locator("a[aria-current=page]:visible")
    assert current.count() == 1 and current.get_attribute("href") == "/werk/"


def test_phone_menu_opens_with_the_keyboard(page_as) -> None:
    page = page_as("worker", viewport=NARROW)
    page.goto("/werk/")
    toggle = page.get_by_role("navigation", name="Hoofdmenu").locator("summary")
    toggle.focus()
    page.keyboard.press("Enter")
    assert "/werk/" in menu_links(page)


def test_desktop_menu_is_a_bar_and_appears_once(page_as) -> None:
    page = page_as("worker", viewport=DESKTOP)
    page.goto("/werk/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert not nav.locator("summary").is_visible()
    links = menu_links(page)
    assert len(links) == len(set(links)) >= 5, links
    boxes = [a.bounding_box() for a in nav.get_by_role("link").all() if a.is_visible()]
    page.screenshot(path=str(SHOTS / "worker-1280.png"))
    # A bar, not a column: the worker's eight links take at most two rows at 1280 px.
    assert len({round(b["y"]) for b in boxes}) <= 2, boxes


@pytest.mark.parametrize("role", ["admin", "worker", "resident", "volunteer", "association",
                                  "municipality", "partner"])
def test_every_roles_menu_fits_one_row_at_1280(page_as, role) -> None:
    """A menu in two rows pushes the page down and reads as two menus; the administrator's
    had eight links (the partner contacts are now reached from the partners page)."""
    page = page_as(role, viewport=DESKTOP)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    boxes = [a.bounding_box() for a in nav.get_by_role("link").all() if a.is_visible()]
    page.screenshot(path=str(SHOTS / f"{role}-1280.png"))
    assert boxes and len({round(b["y"]) for b in boxes}) == 1, (role, boxes)


def test_a_short_menu_stays_open_on_a_phone(page_as) -> None:
    """Signed out the menu is Home and Zorg melden: no fold, the worry form one tap away."""
    page = page_as("anonymous", viewport=NARROW, javascript=False)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.locator("summary").count() == 0
    assert menu_links(page) == ["/", "/zorg-melden"]
