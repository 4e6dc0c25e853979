"""Template filters for requests: distance rounded to 0.5 km, category labels, "5527 Hapert"."""

from __future__ import annotations

from flask_babel import format_decimal, gettext

from marketplace.categories.services import label
from marketplace.geo import default_gazetteer, round_half_km
from marketplace.help_requests.blueprint import help_requests_bp


@help_requests_bp.app_template_filter("km")
def km_filter(km: float) -> str:
    """A distance as anyone sees it: rounded to 0.5 km, with the page's decimal comma."""
    return format_decimal(round_half_km(km), format="#,##0.0")


def about_km(km: float) -> str:
    """"ongeveer 1,5 km": a distance in a card of a nearby list."""
    return gettext("ongeveer %(km)s km", km=km_filter(km))


@help_requests_bp.app_template_global("category_label")
def category_label(code: str) -> str:
    return label(code)


@help_requests_bp.app_template_filter("place")
def place_filter(pc4: str) -> str:
    """How an area is shown: "5527 Hapert", the Dutch way (postcode before place)."""
    place = default_gazetteer().get(pc4)
    return f"{pc4} {place.place}" if place else pc4
