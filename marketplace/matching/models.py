"""The matching index: one row per (volunteer, category), denormalised for candidate search.

It is derived data: the volunteer profile (marketplace feature) is the source, and writes go
through ``marketplace.matching.index.upsert_volunteer`` whenever a profile, a pause or a
commitment count changes. Everything a hard rule needs is a column here, so the search
filters in the index and never visits the volunteer tables.

Why the key is (category, lat_cell, lon, lat, ...) and not (category, lat, lon): a B-tree
can seek on one range only. With (category, lat, lon) the lon condition is checked on every
entry of the whole latitude band across the country (at 1M volunteers a few thousand
entries, p95 3.0 ms on SQLite); quantising latitude into 0.01 degree cells (about 1.1 km)
turns the band into a handful of equality seeks, each a tight lon range (p95 0.33 ms, same
data). The remaining columns make it a covering index: SQLite and PostgreSQL answer from the
index alone (PostgreSQL by an index-only scan once the table is vacuumed).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Double, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class MatchingIndexEntry(db.Model):
    __tablename__ = "matching_index"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    lat: Mapped[float] = mapped_column(Double)
    lon: Mapped[float] = mapped_column(Double)
    lat_cell: Mapped[int]  # floor(lat * 100): see index.lat_cell
    radius_km: Mapped[float] = mapped_column(Double)
    paused: Mapped[bool] = mapped_column(default=False)
    active_commitments: Mapped[int] = mapped_column(default=0)
    max_commitments: Mapped[int] = mapped_column(default=1)
    has_vog: Mapped[bool] = mapped_column(default=False)
    vog_valid_until: Mapped[date | None]  # None with has_vog: no known end date

    __table_args__ = (
        Index(
            "ix_matching_index_search",
            "category", "lat_cell", "lon", "lat", "radius_km", "paused",
            "active_commitments", "max_commitments", "has_vog", "vog_valid_until", "user_id",
        ),
    )

    def __repr__(self) -> str:
        return f"<MatchingIndexEntry {self.user_id} {self.category}>"
