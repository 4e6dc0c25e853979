"""Keeping the matching index in step with volunteers (``index.py`` searches it).

One row per (volunteer, category); the caller owns the transaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, insert, update

from marketplace.extensions import db

from .models import MatchingIndexEntry as E
from .profiles import MAX_RADIUS_KM

LAT_CELLS_PER_DEGREE = 100  # cells of 0.01 degree latitude, about 1.1 km


def lat_cell(lat: float) -> int:
    """The latitude cell of the index key. Monotonic in lat, which is all searches rely on."""
    return math.floor(lat * LAT_CELLS_PER_DEGREE)


def upsert_volunteer(
    user_id: int,
    lat: float,
    lon: float,
    radius_km: float,
    categories: Iterable[str],
    has_vog: bool,
    vog_valid_until: date | None,
    paused: bool,
    active_commitments: int,
    max_commitments: int,
) -> None:
    """Replace the volunteer's rows: one per category (none: not findable at all).

    Call it whenever the profile, a pause or the number of active commitments changes. The
    caller owns the transaction.
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a coordinate in degrees: ({lat!r}, {lon!r})")
    if not (0 <= radius_km <= MAX_RADIUS_KM):
        raise ValueError(f"radius_km must be within 0..{MAX_RADIUS_KM:g}, got {radius_km!r}")
    remove_volunteer(user_id)
    rows = [
        {
            "user_id": user_id, "category": category, "lat": float(lat), "lon": float(lon),
            "lat_cell": lat_cell(lat), "radius_km": float(radius_km), "paused": bool(paused),
            "active_commitments": int(active_commitments),
            "max_commitments": int(max_commitments), "has_vog": bool(has_vog),
            "vog_valid_until": vog_valid_until if has_vog else None,
        }
        for category in sorted(set(categories))
    ]
    if rows:
        db.session.execute(insert(E), rows)


def remove_volunteer(user_id: int) -> None:
    """The volunteer is no longer findable (account removed, stopped volunteering)."""
    db.session.execute(delete(E).where(E.user_id == user_id))


def set_load(user_id: int, active_commitments: int, max_commitments: int) -> None:
    """Cheaper than an upsert when only the number of commitments changed."""
    db.session.execute(
        update(E).where(E.user_id == user_id).values(
            active_commitments=active_commitments, max_commitments=max_commitments)
    )


def set_paused(user_id: int, paused: bool) -> None:
    db.session.execute(update(E).where(E.user_id == user_id).values(paused=paused))
