"""Keyboard only (no mouse, no page.goto after the first page; once the browser's Back):
a municipal analyst finds the results of the demo municipality, narrows them to one village
core, reads what a figure means, goes back up to the municipality, downloads the figures as
CSV and the annual report as PDF. The pages on the way pass axe."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.e2e_support import tab_to
from tests.e2e.test_page_states import assert_accessible

pytestmark = pytest.mark.e2e


def path_of(page) -> str:
    return urlsplit(page.url).path


def enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def h1(page) -> str:
    return page.locator("main h1").inner_text()


def test_municipal_analyst_finds_reads_and_exports_the_figures_by_keyboard(page_as) -> None:
    page = page_as("municipality")
    page.goto("/")

    # Find: the menu leads to the results (the landing page after sign-in, too).
    tab_to(page, lambda s: s["href"] == "/rapportage/", max_tabs=40)
    enter(page)
    assert path_of(page) == "/rapportage/" and h1(page) == "Resultaten per gebied: Bladel"
    assert_accessible(page)

    # Narrow to one village core with the filter form: the area list by arrow keys.
    tab_to(page, lambda s: s["id"] == "area")
    for _ in range(20):
        if page.eval_on_selector("#area", "e => e.value") == "GM1728-HAPERT":
            break
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#area", "e => e.value") == "GM1728-HAPERT"
    tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Toon de cijfers")
    enter(page)
    assert h1(page) == "Resultaten per gebied: Hapert"
    assert parse_qs(urlsplit(page.url).query)["area"] == ["GM1728-HAPERT"]

    # Read what a figure means: its definition is one link away, and Back returns.
    state = tab_to(page, lambda s: (s["href"] or "").startswith("/rapportage/definities#"),
                   max_tabs=80)
    code = state["href"].split("#", 1)[1]
    enter(page)
    assert path_of(page) == "/rapportage/definities"
    assert page.locator(f"[id='{code}']").count() == 1, f"the definition {code} is on the page"
    assert_accessible(page)
    page.go_back()  # the browser's Back (Alt+Left is the browser's own key, not the page's)
    assert h1(page) == "Resultaten per gebied: Hapert"

    # Up to the municipality through "Hoger gebied" (above the tables: back with Shift+Tab).
    tab_to(page, lambda s: "area=GM1728&" in (s["href"] or "") and s["text"] == "Bladel",
           max_tabs=150, key="Shift+Tab")
    enter(page)
    assert h1(page) == "Resultaten per gebied: Bladel"

    # Export the figures as CSV: named after the area, a header row, one row per figure.
    tab_to(page, lambda s: (s["href"] or "").startswith("/rapportage/indicatoren.csv"),
           max_tabs=120)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert download.value.suggested_filename.startswith("indicatoren-GM1728-")
    assert rows[0][:2] == ["indicator", "value"] and "requests" in [row[0] for row in rows[1:]]

    # The annual report, printable, and as PDF.
    tab_to(page, lambda s: (s["href"] or "").startswith("/rapportage/jaarverslag?"),
           max_tabs=40)
    enter(page)
    assert path_of(page) == "/rapportage/jaarverslag" and "Bladel" in h1(page)
    assert_accessible(page)
    tab_to(page, lambda s: (s["href"] or "").startswith("/rapportage/jaarverslag.pdf"),
           max_tabs=80)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
