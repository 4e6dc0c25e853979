"""What an activity must be: the typed input and its rules, per field, in Dutch.

Pure of side effects: reads the gazetteer and the category table, writes nothing. The
services (create, update) and the form pages (all messages at once) share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.associations.models import RECURRENCES
from marketplace.categories.models import Category
from marketplace.clock import as_utc
from marketplace.extensions import db
from marketplace.geo import InvalidPostcode, default_gazetteer, parse_postcode

MAX_CAPACITY = 10_000
# Activities are planned at most this far ahead (a typo like 9999 would never show up, and
# moments near the ends of the calendar overflow when converted or shifted).
MAX_AHEAD = timedelta(days=2 * 366)


def utc_within_reach(value: datetime, now: datetime) -> datetime | None:
    """The moment in UTC, or None when it lies beyond MAX_AHEAD (or outside the calendar)."""
    try:
        moment = as_utc(value)
    except (OverflowError, ValueError):
        return None
    return moment if moment <= now + MAX_AHEAD else None


def place_for(postcode: str | None) -> tuple[str, str, float, float]:
    """(pc4, place, lat, lon) from the gazetteer; raises ValueError with a Dutch message."""
    if not postcode or not str(postcode).strip():
        raise ValueError(_("Vul een postcode in."))
    try:
        pc4 = parse_postcode(str(postcode)).pc4
    except InvalidPostcode:
        raise ValueError(_("Dit is geen geldige postcode (bijvoorbeeld 5521 of 5521 AB).")
                         ) from None
    place = default_gazetteer().get(pc4)
    if place is None:
        raise ValueError(_("Deze postcode kennen wij niet."))
    return pc4, place.place, place.lat, place.lon


@dataclass
class ActivityInput:
    title: str
    category: str
    postcode: str
    starts_at: datetime | None
    description: str | None = None
    venue: str | None = None
    ends_at: datetime | None = None
    recurrence: str = "none"
    repeat_until: date | None = None
    capacity: int | None = None
    accessible: bool = False
    audience: str | None = None
    association_id: int | None = None


def validate_activity(data: ActivityInput, now: datetime, *,
              is_new: bool) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    values: dict[str, Any] = {}
    title = (data.title or "").strip() if isinstance(data.title, str) else ""
    if not title:
        err("title", _("Vul een titel in."))
    elif len(title) > 160:
        err("title", _("De titel is te lang (hoogstens 160 tekens)."))
    values["title"] = title
    category = data.category if isinstance(data.category, str) else None
    if not category:
        err("category", _("Kies een soort activiteit."))
    elif db.session.scalar(select(Category.code).where(Category.code == category,
                                                      Category.active.is_(True))) is None:
        err("category", _("Deze soort activiteit bestaat niet."))
    values["category"] = category
    try:
        values["pc4"], values["place"], values["lat"], values["lon"] = place_for(data.postcode)
    except ValueError as exc:
        err("postcode", str(exc))
    starts_at = data.starts_at
    if starts_at is None:
        err("starts_at", _("Vul in wanneer de activiteit begint."))
    else:
        starts_at = utc_within_reach(starts_at, now)
        if starts_at is None:
            err("starts_at", _("Kies een datum binnen twee jaar."))
        elif is_new and starts_at < now:
            err("starts_at", _("Deze datum is al voorbij. Kies een moment in de toekomst."))
    values["starts_at"] = starts_at
    ends_at = None
    if data.ends_at is not None:
        ends_at = utc_within_reach(data.ends_at, now)
        if ends_at is None:
            err("ends_at", _("Kies een datum binnen twee jaar."))
    if ends_at is not None and starts_at is not None:
        if ends_at <= starts_at:
            err("ends_at", _("Het einde moet na het begin liggen."))
        elif ends_at - starts_at > timedelta(days=1):
            err("ends_at", _("Een activiteit duurt hoogstens een dag."))
    values["ends_at"] = ends_at
    recurrence = data.recurrence or "none"
    if recurrence not in RECURRENCES:
        err("recurrence", _("Kies: eenmalig, elke week, om de week of elke maand."))
    values["recurrence"] = recurrence
    repeat_until = data.repeat_until
    if repeat_until is not None and starts_at is not None and recurrence != "none":
        if repeat_until < starts_at.date():
            err("repeat_until", _("Deze datum ligt voor het begin."))
    values["repeat_until"] = repeat_until if recurrence != "none" else None
    capacity = data.capacity
    if capacity is not None:
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            err("capacity", _("Vul een heel getal in, of laat het leeg voor onbeperkt."))
        elif capacity <= 0:
            err("capacity", _("Het aantal plaatsen moet 1 of meer zijn (leeg is onbeperkt)."))
        elif capacity > MAX_CAPACITY:
            err("capacity", _("Dat zijn te veel plaatsen."))
    values["capacity"] = capacity
    if not isinstance(data.accessible, bool):
        err("accessible", _("Kies ja of nee."))
    values["accessible"] = bool(data.accessible)
    for field, limit in (("venue", 200), ("audience", 300), ("description", 5000)):
        value = getattr(data, field)
        if value is not None and not isinstance(value, str):
            err(field, _("Dit moet tekst zijn."))
            value = None
        value = (value or "").strip() or None
        if value and len(value) > limit:
            err(field, _("Te lang (hoogstens %(n)s tekens).", n=limit))
        values[field] = value
    return values, errors
