"""The nearby list's cards are formatted in Python, each distinct value once (issue 15): the
same text as the templates wrote per request, and still nothing
that identifies the resident."""

from __future__ import annotations

from datetime import date

from flask import render_template_string

from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request
from marketplace.volunteers.nearby import NearbyRequest
from marketplace.volunteers.nearby_cards import When, cards
from marketplace.volunteers.services import ProfileInput, save_profile
from tests.conftest import TEST_PASSWORD

TIMINGS = [("flexible", None, None, None), ("date", date(2027, 3, 4), None, None),
           ("period", date(2027, 3, 4), date(2027, 4, 1), None),
           ("period", date(2027, 3, 4), None, None), ("recurring", None, None, "elke dinsdag"),
           ("date", None, None, None)]

PER_REQUEST = """{% from "help_requests/_macros.html" import when %}
{{- category_label(r.category) }}|{{ r.pc4 | place }}|{{ _('ongeveer %(km)s km', km=km | km) }}
{{- '|' }}{{ when(r) }}|{{ urgency_labels[r.urgency] }}"""


def test_cards_say_what_the_template_said_per_request(app):
    from marketplace.help_requests.forms import URGENCY_LABELS

    items = [NearbyRequest(HelpRequest(
        id=i + 1, category=("shopping", "garden")[i % 2], pc4=("5531", "5527")[i % 2],
        urgency=("high", "normal", "low")[i % 3], timing=timing, wanted_on=on,
        wanted_until=until, recurrence=recurrence), km)
        for i, ((timing, on, until, recurrence), km) in enumerate(
            (t, km) for t in TIMINGS for km in (0.2, 1.26, 3.74))]
    with app.test_request_context():
        made = cards(items)
        for item, card in zip(items, made, strict=True):
            expected = render_template_string(PER_REQUEST, r=item.request, km=item.distance_km,
                                              urgency_labels=URGENCY_LABELS)
            shown = render_template_string(
                "{{ c.category }}|{{ c.place }}|{{ c.distance }}|{{ c.when }}|{{ c.urgency }}",
                c=card)
            assert shown == expected
            assert card.href == f"/hulpvragen/{item.request.id}"
    assert len({card.when for card in made}) == 5  # a date without a day is "no matter when"
    assert set(When._fields) == {"timing", "wanted_on", "wanted_until", "recurrence"}


def test_the_page_shows_the_cards_without_name_or_address(app, make_area, make_user):
    make_area("GM1728", "municipality", pc4=("5531", "5527"))
    resident = make_user("resident", name="Riek Rietveld")
    request = create_request(resident, RequestInput(
        category="shopping", description="Boodschappen, ik woon op de Dorpsstraat.",
        postcode="5527 AB", house_number="17b", timing="date", wanted_on=date(2031, 5, 6)))
    volunteer = make_user("volunteer", name="Vera")
    save_profile(volunteer, ProfileInput(skills=["shopping"], postcode="5531", radius_km=5.0))
    db.session.commit()
    client = app.test_client()
    assert client.post("/inloggen", data={"email": volunteer.email,
                                          "password": TEST_PASSWORD}).status_code == 302
    page = client.get("/vrijwilliger/in-de-buurt").text
    assert f'href="/hulpvragen/{request.id}"' in page
    assert "5527 Hapert" in page and "ongeveer 3,0 km" in page
    assert "Op dinsdag 6 mei 2031" in page and "Binnen een paar weken" in page
    for secret in ("Riek", "Rietveld", "17b", "17B", "Dorpsstraat", "5527 AB", "5527AB"):
        assert secret not in page
