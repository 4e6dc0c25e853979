""""Activiteiten in de buurt": a list that works on its own, without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, make_response, render_template, request
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.associations.activity_views import for_resident
from marketplace.associations.forms import NearbyForm, apply_errors
from marketplace.associations.nearby import activities_nearby, own_pc4
from marketplace.associations.nearby_cards import activity_cards
from marketplace.associations.signups import active_signups_by_activity
from marketplace.associations.views import associations_bp
from marketplace.errors import ValidationFailed
from marketplace.geo import InvalidPostcode, default_gazetteer, parse_postcode
from marketplace.page_cache import cached
from marketplace.security import CSP


@associations_bp.get("/activiteiten/in-de-buurt")
@role_required()
@cached
def nearby():
    form = NearbyForm(formdata=request.args, meta={"csrf": False})
    form.set_choices()
    form.validate()
    person = for_resident()
    postcode = form.postcode.data or own_pc4(person or current_user)
    if not form.postcode.data and postcode:
        form.postcode.data = postcode
    found = []
    if postcode:
        try:
            found = activities_nearby(
                postcode, radius_km=form.radius_km.data or 5,
                category=form.category.data or None, weekday=form.weekday.data or None)
        except ValidationFailed as error:
            # A field the form already found wrong keeps its one message.
            error.errors = {k: v for k, v in error.errors.items()
                            if not getattr(getattr(form, k, None), "errors", None)}
            apply_errors(form, error)
    signed = active_signups_by_activity(person or current_user, [n.activity.id for n in found])
    tiles_url = current_app.config.get("MAP_TILES_URL", "")
    page = make_response(render_template(
        "associations/nearby.html", form=form, searched=bool(postcode),
        found=activity_cards(found, signed, person.id if person else None), for_person=person,
        may_sign_up=(person is not None) or current_user.has_role("resident"),
        tiles_url=tiles_url, tiles_attribution=current_app.config.get(
            "MAP_TILES_ATTRIBUTION", ""),
        centre=_centre(form.postcode.data)))
    if tiles_url and found:
        page.headers["Content-Security-Policy"] = map_policy(tiles_url)
    return page


def map_policy(tiles_url: str) -> str:
    """The site's CSP, with the tile server added to img-src (only on this page, and only
    when MAP_TILES_URL is set). "{s}." subdomains become a wildcard."""
    parts = urlsplit(tiles_url.replace("{s}.", "SUBDOMAIN."))
    origin = f"{parts.scheme}://{parts.netloc}".replace("SUBDOMAIN.", "*.")
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


def _centre(postcode: str | None) -> tuple[float, float]:
    try:
        place = default_gazetteer().get(parse_postcode(postcode or "").pc4)
    except InvalidPostcode:
        place = None
    return (place.lat, place.lon) if place else (51.37, 5.22)  # De Kempen
