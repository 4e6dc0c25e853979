"""The web forms take a short but real description or concern ("Tuin"), by the same rule as
the API (at least 3 characters that are not spaces), and keep a house number as typed."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.signals.models import Signal
from tests.functional import test_marketplace_resident as resident_pages
from tests.functional.test_marketplace_resident import NEW, WHERE_WHEN, in_a_week, sign_in

# The fixtures of that module (isolated is autouse there, and here).
region, isolated = resident_pages.region, resident_pages.isolated


def test_a_request_with_a_one_word_description_is_sent(app, region, make_user):
    client = sign_in(app, make_user("resident"))
    assert client.post(NEW, data={"category": "garden", "for_whom": "self"}).status_code == 302
    too_short = client.post(f"{NEW}/omschrijving", data={"description": " T  u "})
    assert too_short.status_code == 200
    assert "minstens 3 tekens" in too_short.text
    step = client.post(f"{NEW}/omschrijving", data={"description": "Tuin"})
    assert step.status_code == 302, step.text
    client.post(f"{NEW}/waar-wanneer", data={**WHERE_WHEN, "house_number": "17b",
                                             "wanted_on": in_a_week()})
    assert client.post(f"{NEW}/controleren", data={}).status_code == 302
    created = db.session.scalar(select(HelpRequest))
    assert (created.description, created.house_number) == ("Tuin", "17b")


def test_a_short_worry_is_taken_by_the_signal_form(app, region, make_user):
    client = sign_in(app, make_user("resident"))
    shorter = client.post("/zorg-melden", data={"postcode": "5527 AB", "concern": "Zo"})
    assert shorter.status_code == 200 and "minstens 3 tekens" in shorter.text
    assert db.session.scalars(select(Signal)).all() == []
    sent = client.post("/zorg-melden", data={"postcode": "5527 AB", "concern": "Val"})
    assert sent.status_code == 302, sent.text
    assert db.session.scalars(select(Signal)).one().concern == "Val"
