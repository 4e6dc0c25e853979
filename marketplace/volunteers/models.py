"""Volunteer profiles: skills, home PC4, travel radius, availability, VOG, capacity, pauses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
SLOTS = tuple(f"{d}_{p}" for d in DAYS for p in PARTS)
LANGUAGES = ("nl", "en", "de", "fr", "ar", "tr", "pl", "uk", "fy", "ngt")


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    home_pc4: Mapped[str] = mapped_column(String(4))
    # The PC4 centroid: a volunteer's exact address is never stored.
    lat: Mapped[float]
    lon: Mapped[float]
    radius_km: Mapped[float] = mapped_column(default=5.0)
    has_vog: Mapped[bool] = mapped_column(default=False)
    vog_valid_until: Mapped[date | None]
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["nl"])
    max_commitments: Mapped[int] = mapped_column(default=2)
    paused_until: Mapped[date | None]
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    wants_digest: Mapped[bool] = mapped_column(default=True)
    about: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    skills: Mapped[list[VolunteerSkill]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerSkill.category"
    )
    availability: Mapped[list[VolunteerAvailability]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerAvailability.slot"
    )

    @property
    def skill_codes(self) -> list[str]:
        return [s.category for s in self.skills]

    @property
    def slot_codes(self) -> list[str]:
        return [a.slot for a in self.availability]

    def vog_valid_on(self, day: date) -> bool:
        return self.has_vog and (self.vog_valid_until is None or self.vog_valid_until >= day)

    def paused_on(self, day: date) -> bool:
        return self.paused_until is not None and self.paused_until >= day

    def as_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "skills": self.skill_codes,
            "postcode": self.home_pc4,
            "pc4": self.home_pc4,
            "radius_km": self.radius_km,
            "availability": self.slot_codes,
            "has_vog": self.has_vog,
            "vog_valid_until": self.vog_valid_until.isoformat() if self.vog_valid_until else None,
            "languages": list(self.languages or []),
            "max_commitments": self.max_commitments,
            "paused_until": self.paused_until.isoformat() if self.paused_until else None,
        }


class VolunteerSkill(db.Model):
    __tablename__ = "volunteer_skill"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(ForeignKey("category.code"), primary_key=True)


class VolunteerAvailability(db.Model):
    __tablename__ = "volunteer_availability"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[str] = mapped_column(String(16), primary_key=True)
