"""Activities near a postcode: a bounding box on the index first, exact distance after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.associations.models import Activity, Occurrence, Signup
from marketplace.associations.occurrences import next_starts
from marketplace.categories.models import Category
from marketplace.clock import DOMAIN_TZ
from marketplace.clock import now as clock_now
from marketplace.errors import ValidationFailed
from marketplace.extensions import db
from marketplace.geo import (
    InvalidPostcode,
    bounding_box,
    default_gazetteer,
    distance_km,
    parse_postcode,
    round_half_km,
)

MAX_RADIUS_KM = 50
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The weekday filter looks at the occurrences of the coming weeks.
WEEKDAY_WINDOW = timedelta(weeks=9)


@dataclass(frozen=True)
class NearbyActivity:
    activity: Activity
    distance_km: float  # rounded to 0.5 km
    next_starts_at: datetime
    spots_left: int | None  # None: unlimited


def check_filters(postcode: object, radius_km: object, category: object,
                  weekday: object) -> tuple[str, float, float, float]:
    """(pc4, lat, lon, radius) or ValidationFailed with Dutch messages per field."""
    errors: dict[str, list[str]] = {}
    place = None
    try:
        place = default_gazetteer().get(parse_postcode(str(postcode or "")).pc4)
        if place is None:
            errors["postcode"] = [_("Deze postcode kennen wij niet.")]
    except InvalidPostcode:
        errors["postcode"] = [_("Vul een geldige postcode in (bijvoorbeeld 5521).")]
    try:
        radius = float(radius_km)  # type: ignore[arg-type]
        if not 0 < radius <= MAX_RADIUS_KM:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        errors["radius_km"] = [_("Kies een afstand groter dan 0 en hoogstens %(n)s km.",
                                 n=MAX_RADIUS_KM)]
        radius = 0.0
    if weekday not in (None, "") and weekday not in WEEKDAYS:
        errors["weekday"] = [_("Kies een dag van de week.")]
    if category is not None and not isinstance(category, str):
        errors["category"] = [_("Kies een soort activiteit.")]
    elif category and db.session.get(Category, category[:30]) is None:
        errors["category"] = [_("Deze soort activiteit bestaat niet.")]
    if errors or place is None:
        raise ValidationFailed(errors)
    return place.pc4, place.lat, place.lon, radius


def activities_nearby(postcode: str, *, radius_km: float = 5, category: str | None = None,
                      weekday: str | None = None, now: datetime | None = None,
                      limit: int = 200) -> list[NearbyActivity]:
    """Active activities with a next occurrence, within ``radius_km``, nearest first."""
    now = now or clock_now()
    _, lat, lon, radius = check_filters(postcode, radius_km, category, weekday)
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    # The association's name is shown per row: loaded with the rows, not one by one.
    stmt = select(Activity).options(selectinload(Activity.association)).where(
        Activity.status == "active",
                                  Activity.lat.between(min_lat, max_lat),
                                  Activity.lon.between(min_lon, max_lon))
    if category:
        stmt = stmt.where(Activity.category == category)
    found: list[tuple[Activity, float]] = []
    for activity in db.session.scalars(stmt):
        km = distance_km(lat, lon, activity.lat, activity.lon)
        if km <= radius:
            found.append((activity, km))
    ids = [a.id for a, _ in found]
    starts = next_starts(ids, now=now)
    if weekday:
        wanted = WEEKDAYS.index(weekday)
        rows = db.session.execute(select(Occurrence.activity_id, Occurrence.starts_at).where(
            Occurrence.activity_id.in_(ids), Occurrence.status == "scheduled",
            Occurrence.starts_at >= now, Occurrence.starts_at < now + WEEKDAY_WINDOW))
        on_day = {activity_id for activity_id, start in rows
                  if start.astimezone(DOMAIN_TZ).weekday() == wanted}
        found = [(a, km) for a, km in found if a.id in on_day]
    counts = dict(db.session.execute(
        select(Signup.activity_id, func.count(Signup.id))
        .where(Signup.activity_id.in_(ids), Signup.status == "registered")
        .group_by(Signup.activity_id)).all()) if ids else {}
    # Nearest first by the exact distance; only the rounded one leaves this function.
    found = sorted((pair for pair in found if pair[0].id in starts),
                   key=lambda pair: (pair[1], starts[pair[0].id], pair[0].id))
    return [NearbyActivity(a, round_half_km(km), starts[a.id],
                           None if a.capacity is None
                           else max(a.capacity - counts.get(a.id, 0), 0))
            for a, km in found[:limit]]


def own_pc4(user) -> str | None:
    """The PC4 a person's nearby list starts from: their file, their profile, their latest
    request (the PC4 only; never more of an address)."""
    from marketplace.casework.models import ResidentArea
    from marketplace.help_requests.models import HelpRequest
    from marketplace.volunteers.models import VolunteerProfile

    pc4 = db.session.scalar(select(ResidentArea.pc4).where(ResidentArea.resident_id == user.id))
    if pc4:
        return pc4
    pc4 = db.session.scalar(select(VolunteerProfile.home_pc4)
                            .where(VolunteerProfile.user_id == user.id))
    if pc4:
        return pc4
    return db.session.scalar(select(HelpRequest.pc4).where(HelpRequest.owner_id == user.id)
                             .order_by(HelpRequest.created_at.desc()).limit(1))
