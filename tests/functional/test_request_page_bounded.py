"""The request page stays the same size however many proposals and timeline events a request
went through: the latest TIMELINE_SHOWN of each, a line that says how many there are, and a
link that shows them all (issue 15; the load test once made a request page of 386 KB)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from marketplace.help_requests.services import TIMELINE_SHOWN
from tests.functional.test_query_counts import World, sign_in
from tests.perf_support import page_queries


def _page(client, url):
    response, log = page_queries(client, url)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser"), log


def test_timeline_and_proposals_show_the_latest_and_offer_all(app, make_area, make_user):
    world = World(make_area, make_user)
    world.grow(TIMELINE_SHOWN + 5)
    client = sign_in(app, world.worker)
    url = f"/hulpvragen/{world.first.id}"
    client.get(url)
    page, bounded = _page(client, url)

    timeline = page.select_one('h2#tijdlijn-titel').find_parent("section")
    items = timeline.select("ol > li")
    assert len(items) == TIMELINE_SHOWN
    total_events = TIMELINE_SHOWN + 5 + 1  # the grown events and the request's first one
    assert timeline.select_one("ol")["start"] == str(total_events - TIMELINE_SHOWN + 1)
    assert f"de laatste {TIMELINE_SHOWN} van {total_events} gebeurtenissen" in timeline.get_text()
    assert "gebeld met buur 30" in items[-1].get_text()  # the latest last, as in the full list
    assert timeline.select_one('a[href$="alles=ja#tijdlijn-titel"]')

    proposals = page.select_one("#voorstellen")
    assert len(proposals.select("tbody tr")) == TIMELINE_SHOWN
    assert (f"de laatste {TIMELINE_SHOWN} van {TIMELINE_SHOWN + 5} voorstellen"
            in proposals.get_text())
    assert "Helper 30" in proposals.select("tbody tr")[-1].get_text()

    full, everything = _page(client, url + "?alles=ja")
    assert len(full.select_one('h2#tijdlijn-titel').find_parent("section")
               .select("ol > li")) == total_events
    assert len(full.select("#voorstellen tbody tr")) == TIMELINE_SHOWN + 5
    assert "de laatste" not in full.get_text()
    # Bounded or whole: the same statements (the total comes with the rows).
    assert bounded.count == everything.count, f"{bounded}\n---\n{everything}"


def test_a_short_timeline_has_no_paging_line(app, make_area, make_user):
    world = World(make_area, make_user)
    world.grow(2)
    client = sign_in(app, world.worker)
    page, _log = _page(client, f"/hulpvragen/{world.first.id}")
    timeline = page.select_one('h2#tijdlijn-titel').find_parent("section")
    assert len(timeline.select("ol > li")) == 3
    assert timeline.select_one("ol")["start"] == "1"
    assert "de laatste" not in page.get_text() and "alles=ja" not in str(page)
