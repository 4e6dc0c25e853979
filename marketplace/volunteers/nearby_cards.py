"""The nearby list's cards as text, each distinct value formatted once per page (issue 15).

A card shows the category, "5527 Hapert", the distance rounded to 0.5 km, when and how
urgent: never a house number, a name or the description. Formatted in the template this
cost about 120 µs a card (a number format, a date format and a few translations each),
while a page of 25 cards has only a handful of distinct values of each: requests share
their PC4's centroid, so their distance, and most share their timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from flask import get_template_attribute, url_for
from markupsafe import Markup

from marketplace.categories.services import label
from marketplace.help_requests.filters import about_km, place_filter
from marketplace.help_requests.forms import URGENCY_LABELS
from marketplace.i18n import translated
from marketplace.volunteers.nearby import NearbyRequest


class When(NamedTuple):
    """All the ``when`` macro (help_requests/_macros.html) reads of a request, so a page
    formats each distinct one once; an attribute the macro read beyond these would show as
    empty (a test compares the text with the request's own page)."""

    timing: str
    wanted_on: date | None
    wanted_until: date | None
    recurrence: str | None


@dataclass(frozen=True)
class Card:
    id: int
    href: str
    category: str
    place: str  # "5527 Hapert"
    distance: str  # "ongeveer 1,5 km"
    when: Markup
    urgency: str


def cards(items: list[NearbyRequest]) -> list[Card]:
    when = cache(get_template_attribute("help_requests/_macros.html", "when"))
    category, place = cache(label), cache(place_filter)
    urgency = translated(URGENCY_LABELS)
    distance = cache(about_km)
    return [Card(id=r.id, href=url_for("help_requests.detail", request_id=r.id),
                 category=category(r.category), place=place(r.pc4),
                 distance=distance(item.distance_km),
                 when=when(When(r.timing, r.wanted_on, r.wanted_until, r.recurrence)),
                 urgency=urgency.get(r.urgency, ""))
            for item in items for r in (item.request,)]
