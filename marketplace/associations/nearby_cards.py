"""The cards of "Activiteiten in de buurt" as text, each distinct value formatted once (issue 15).

Formatting a card in the template (a date and time, a distance, the category, the spots
left and who runs it, through three macros and a few translations each) cost about 250 µs
a card; the distances, categories, places, spot counts and associations of a page repeat,
so each distinct one is formatted once. The macros stay the one definition of the text,
except the date and time: Babel directly with the page's locale and time zone (~25 µs less
each, and they rarely repeat), the macro's pattern checked by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from babel.dates import format_datetime
from flask import get_template_attribute, url_for
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from marketplace.associations.models import Activity, Signup
from marketplace.associations.nearby import NearbyActivity
from marketplace.categories.services import label
from marketplace.help_requests.filters import about_km, place_filter

MACROS = "associations/_macros.html"
WHEN = "EEEE d MMMM yyyy, HH:mm"  # the pattern of the `when` macro in MACROS (a test compares)


@dataclass(frozen=True)
class ActivityCard:
    activity: Activity
    href: str
    when: str
    place: str  # "5531 Bladel"
    distance: str  # "ongeveer 1,0 km"
    category: str
    spots_left: int | None
    spots: Markup
    run_by: Markup
    mine: Signup | None  # the person's sign-up (registered or on the waiting list)


def activity_cards(found: list[NearbyActivity], signed: dict[int, Signup],
                   for_person_id: int | None) -> list[ActivityCard]:
    locale, zone = get_locale(), get_timezone()  # as Flask-Babel's datetimeformat, once

    @cache
    def when(moment: datetime) -> str:
        return format_datetime(moment, WHEN, tzinfo=zone, locale=locale)

    spots = cache(get_template_attribute(MACROS, "spots"))
    run_by_macro = get_template_attribute(MACROS, "run_by")
    category, place, distance = cache(label), cache(place_filter), cache(about_km)
    run_by: dict[int | None, Markup] = {}
    cards = []
    for item in found:
        a = item.activity
        if a.association_id not in run_by:
            run_by[a.association_id] = run_by_macro(a)
        cards.append(ActivityCard(
            activity=a, href=url_for("associations.activity", activity_id=a.id,
                                     voor=for_person_id),
            when=when(item.next_starts_at), place=place(a.pc4),
            distance=distance(item.distance_km), category=category(a.category),
            spots_left=item.spots_left, spots=spots(item.spots_left),
            run_by=run_by[a.association_id], mine=signed.get(a.id)))
    return cards
