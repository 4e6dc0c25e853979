"""Screenshots of the main pages at phone and desktop width, for a reviewer to look at.

They land in artifacts/screenshots/ (git-ignored) as NAME-phone.png and NAME-desktop.png.
Each page must also reflow: no sideways scrolling of the page at phone width, nor at 320 CSS
pixels (WCAG 1.4.10: 1280 px at 400 % zoom). Wide tables scroll inside their own wrapper.
"""

from __future__ import annotations

import pytest

from tests.e2e.e2e_support import ARTIFACTS, DESKTOP, PHONE, unreachable_scroll_regions

pytestmark = pytest.mark.e2e

SCREENSHOTS = ARTIFACTS / "screenshots"
# (file name, who, path): add the main page of every new feature here.
MAIN_PAGES = (
    ("home", "anonymous", "/"),
    ("about", "anonymous", "/over"),
    ("accessibility-statement", "anonymous", "/toegankelijkheid"),
    ("login", "anonymous", "/inloggen"),
    ("register", "anonymous", "/account-maken"),
    ("reset-password", "anonymous", "/wachtwoord-vergeten"),
    ("not-found", "anonymous", "/bestaat-niet"),
    ("account", "resident", "/account/"),
    ("change-password", "resident", "/account/wachtwoord"),
    ("home-signed-in", "resident", "/"),
    ("admin-users", "admin", "/beheer/gebruikers"),
    ("admin-user-new", "admin", "/beheer/gebruikers/nieuw"),
    ("admin-areas", "admin", "/beheer/gebieden"),
    ("admin-area-new", "admin", "/beheer/gebieden/nieuw"),
)
REFLOW = {"width": 320, "height": 640}

# Known problems waiting for a fix in a file this gate's owner may not edit: path → what to do.
# The test fails when a listed problem is gone, so the list only shrinks.
KNOWN_SCROLL_REGIONS: dict[str, str] = {}

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1
                  && !el.closest('.table-wrapper, .visually-hidden, .skip-link'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5)};
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP, REFLOW], ids=["phone", "desktop", "320px"])
def test_main_pages(page_as, viewport: dict[str, int]) -> None:
    label = {PHONE["width"]: "phone", DESKTOP["width"]: "desktop"}.get(viewport["width"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {}
    overflowing, unreachable, fixed = [], [], []
    for name, actor, path in MAIN_PAGES:
        if actor not in pages:
            pages[actor] = page_as(actor, viewport=viewport, is_mobile=viewport != DESKTOP,
                                   device_scale_factor=1)
        page = pages[actor]
        page.goto(path)
        if label:
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
        overflow = page.evaluate(OVERFLOW_JS)
        if viewport != DESKTOP and overflow["scroll"] > 0:
            overflowing.append(f"{path} ({actor}): {overflow['scroll']} px too wide, "
                               f"e.g. {overflow['wide']}")
        regions = unreachable_scroll_regions(page)
        if regions and path not in KNOWN_SCROLL_REGIONS:
            unreachable.append(f"{path} ({actor}): {regions}")
        elif not regions and path in KNOWN_SCROLL_REGIONS and viewport != DESKTOP:
            fixed.append(path)
    assert not overflowing, "pages scroll sideways:\n" + "\n".join(overflowing)
    assert not unreachable, "boxes that scroll sideways, but not by keyboard:\n" + "\n".join(
        unreachable)
    assert not fixed, f"fixed, remove from KNOWN_SCROLL_REGIONS: {fixed}"
