"""Associations (verenigingen), their activities, occurrences, sign-ups and attendance.

An activity is a series: sign-ups belong to the series, attendance to one occurrence.
An activity without an association is run by the welfare organisation ("welfare").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

RECURRENCES = ("none", "weekly", "biweekly", "monthly")
ACTIVITY_STATUSES = ("active", "cancelled", "ended")
OCCURRENCE_STATUSES = ("scheduled", "cancelled")
SIGNUP_STATUSES = ("registered", "waitlisted", "cancelled")
ACTIVE_SIGNUP_STATUSES = ("registered", "waitlisted")


class Association(db.Model):
    __tablename__ = "association"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    pc4: Mapped[str] = mapped_column(String(4), index=True)
    place: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    # The association's own e-mail or phone: never a member's private address.
    contact: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[AssociationMember]] = relationship(
        back_populates="association", cascade="all, delete-orphan",
        order_by="AssociationMember.id")
    activities: Mapped[list[Activity]] = relationship(back_populates="association")


class AssociationMember(db.Model):
    __tablename__ = "association_member"
    __table_args__ = (UniqueConstraint("association_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("association.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    association: Mapped[Association] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id])


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        # activities_nearby: a bounding box over active activities.
        Index("ix_activity_status_lat_lon", "status", "lat", "lon"),
        # The planning sweep: active activities by how far ahead they are planned.
        Index("ix_activity_active_planned_until", "planned_until", "id",
              sqlite_where=text("status = 'active'"),
              postgresql_where=text("status = 'active'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: run by the welfare organisation.
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("association.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(ForeignKey("category.code", ondelete="RESTRICT"))
    description: Mapped[str | None] = mapped_column(Text)
    pc4: Mapped[str] = mapped_column(String(4))
    place: Mapped[str] = mapped_column(String(120))
    # Name/street of the venue: a public place, it may be shown.
    venue: Mapped[str | None] = mapped_column(String(200))
    # Centroid of the PC4, never a person's address.
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    recurrence: Mapped[str] = mapped_column(String(10), default="none")
    repeat_until: Mapped[date | None]
    capacity: Mapped[int | None]
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="active")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped under the sign-up lock: the write that serialises parallel sign-ups on SQLite.
    signup_seq: Mapped[int] = mapped_column(default=0)
    # Occurrences exist up to this local date; the planning sweep moves it on.
    planned_until: Mapped[date | None]

    association: Mapped[Association | None] = relationship(back_populates="activities")
    area = relationship("Area")
    occurrences: Mapped[list[Occurrence]] = relationship(
        back_populates="activity", cascade="all, delete-orphan",
        order_by="Occurrence.starts_at, Occurrence.id")
    signups: Mapped[list[Signup]] = relationship(
        back_populates="activity", cascade="all, delete-orphan",
        order_by="Signup.position, Signup.id")

    @property
    def run_by(self) -> str:
        return "welfare" if self.association_id is None else "association"


class Occurrence(db.Model):
    __tablename__ = "occurrence"
    __table_args__ = (
        # Generating again never duplicates: one row per planned start of the series.
        UniqueConstraint("activity_id", "planned_start"),
        # The reminder sweep reads only scheduled occurrences not yet reminded, by start.
        Index("ix_occurrence_unreminded_starts_at", "starts_at", "id",
              sqlite_where=text("status = 'scheduled' AND reminded_at IS NULL"),
              postgresql_where=text("status = 'scheduled' AND reminded_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    # The start the series planned; stays when the occurrence is moved.
    planned_start: Mapped[datetime]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    # Original starts_at when moved (None: never moved).
    moved_from: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(300))
    headcount: Mapped[int | None]
    # When the day-before reminders went out (the sweep's mark: each occurrence once).
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="occurrences")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="occurrence", cascade="all, delete-orphan")


class Signup(db.Model):
    __tablename__ = "signup"
    __table_args__ = (
        # One active sign-up per person per activity (cancelled ones may repeat).
        Index("uq_signup_active_person", "activity_id", "user_id", unique=True,
              sqlite_where=text("status != 'cancelled'"),
              postgresql_where=text("status != 'cancelled'")),
        Index("ix_signup_activity_id_status_position", "activity_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="registered")
    # Arrival order within the activity (first come, first served).
    position: Mapped[int] = mapped_column(default=0)
    signed_up_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship(back_populates="signups")
    user = relationship("User", foreign_keys=[user_id])


class Attendance(db.Model):
    """Who came to one occurrence (the headcount alone lives on the occurrence)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("occurrence_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("occurrence.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    occurrence: Mapped[Occurrence] = relationship(back_populates="attendances")
