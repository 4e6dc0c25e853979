"""The administrator's menu fits one row: the partner contacts are reached from the partners
page, and on the contacts page the menu marks "Partners" as where you are."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.functional.test_query_counts import sign_in


def _menu(html: str) -> list[tuple[str, bool]]:
    nav = BeautifulSoup(html, "html.parser").find("nav", attrs={"aria-label": "Hoofdmenu"})
    return [(a.get_text(strip=True), a.get("aria-current") == "page")
            for a in nav.find_all("a")]


def test_partner_contacts_are_reached_from_the_partners_page(app, make_user):
    client = sign_in(app, make_user("admin"))
    partners = client.get("/beheer/partners").get_data(as_text=True)
    labels = [label for label, _current in _menu(partners)]
    assert "Partners" in labels and "Contactpersonen" not in labels
    link = BeautifulSoup(partners, "html.parser").find("a", string="Contactpersonen van partners")
    assert link is not None and link["href"] == "/beheer/partnercontacten"
    contacts = client.get(link["href"])
    assert contacts.status_code == 200
    assert ("Partners", True) in _menu(contacts.get_data(as_text=True))
