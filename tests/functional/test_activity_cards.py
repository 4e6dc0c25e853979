"""The cards of "Activiteiten in de buurt" are formatted in Python, each distinct value once
(issue 15): the same text as the template's macros wrote per activity, for every kind of
spots left, with and without an association, and with the resident a worker searches for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string

from marketplace.associations.models import Activity, Association, Signup
from marketplace.associations.nearby import NearbyActivity
from marketplace.associations.nearby_cards import activity_cards

PER_ACTIVITY = """{% from "associations/_macros.html" import when, spots, run_by %}
{{- when(item.next_starts_at) }}|{{ a.pc4 | place }}|
{{- _('ongeveer %(km)s km', km=item.distance_km | km) }}|{{ category_label(a.category) }}|
{{- spots(item.spots_left) }}|{{ run_by(a) }}"""

CARD = "{{ c.when }}|{{ c.place }}|{{ c.distance }}|{{ c.category }}|{{ c.spots }}|{{ c.run_by }}"


@pytest.mark.parametrize("for_person_id", [None, 42])
def test_cards_say_what_the_macros_said_per_activity(app, for_person_id):
    linde = Association(id=7, name="De Linde & Co <Bladel>", pc4="5531")
    start = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    items = []
    for i in range(12):
        activity = Activity(id=i + 1, title=f"Activiteit {i}", category=(
            "companionship", "meals", "shopping")[i % 3], pc4=("5531", "5541")[i % 2],
            association_id=7 if i % 3 else None, association=linde if i % 3 else None)
        items.append(NearbyActivity(activity, (0.5, 1.0, 4.5)[i % 3],
                                    start + timedelta(days=i // 2, hours=i % 2),
                                    (None, 0, 1, 3)[i % 4]))
    signed = {3: Signup(activity_id=3, user_id=1, status="waiting")}
    with app.test_request_context():
        cards = activity_cards(items, signed, for_person_id)
        for item, card in zip(items, cards, strict=True):
            expected = render_template_string(PER_ACTIVITY, item=item, a=item.activity)
            assert render_template_string(CARD, c=card) == expected
            assert card.activity is item.activity and card.spots_left == item.spots_left
            assert card.mine is signed.get(item.activity.id)
            assert card.href == f"/activiteiten/{item.activity.id}" + (
                f"?voor={for_person_id}" if for_person_id else "")
    assert "De Linde &amp; Co &lt;Bladel&gt;" in str(cards[1].run_by)
    assert len({card.when for card in cards}) == 12
