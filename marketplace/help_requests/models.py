"""Help requests, their status timeline, and masked messages between resident and volunteer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

STATUSES = ("draft", "new", "clarifying", "open", "matched", "in_progress", "closed", "referred",
            "withdrawn", "expired")
VISIBLE_TO_VOLUNTEERS = ("open",)
ACTIVE = ("draft", "new", "clarifying", "open", "matched", "in_progress")
URGENCIES = ("low", "normal", "high")
TIMINGS = ("flexible", "date", "period", "recurring")
# How a closed request was solved: the accountability reports count the 2 → 1 → 0 movement here.
# The same list as support.lifecycle.SOLVED_BY, which close_request checks against.
SOLVED_BY = ("own_network", "volunteer", "association", "activity", "worker", "referred",
             "not_solved")


class HelpRequest(db.Model):
    __tablename__ = "help_request"
    __table_args__ = (
        # Nearby search: open requests of a category inside a bounding box, counted per
        # place and urgency and paged without reading the table (migration 0020).
        Index("ix_help_request_nearby", "status", "category", "lat", "lon", "urgency",
              "owner_id", "created_at"),
        # Retention: closed requests not yet anonymised, by when they closed.
        Index("ix_help_request_unanonymised_closed_at", "closed_at", "id",
              sqlite_where=text("anonymised_at IS NULL"),
              postgresql_where=text("anonymised_at IS NULL")),
        # The worklist: an area's requests in one status, oldest first (migration 0014).
        Index("ix_help_request_area_id_status_created_at", "area_id", "status", "created_at",
              "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The resident whose request it is (who manages it and sees it), and who typed it.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                 index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Help for someone else (a neighbour, a parent): their name and recorded consent.
    for_person_name: Mapped[str | None] = mapped_column(String(120))
    for_person_relation: Mapped[str | None] = mapped_column(String(60))
    consent_recorded_at: Mapped[datetime | None]
    consent_method: Mapped[str | None] = mapped_column(String(20))

    category: Mapped[str] = mapped_column(ForeignKey("category.code"))
    description: Mapped[str] = mapped_column(Text)
    # Only PC4 + house number are kept; the letters of the postcode are not stored.
    pc4: Mapped[str] = mapped_column(String(4))
    house_number: Mapped[str] = mapped_column(String(12))
    lat: Mapped[float]
    lon: Mapped[float]
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)

    timing: Mapped[str] = mapped_column(String(12), default="flexible")
    wanted_on: Mapped[date | None]
    wanted_until: Mapped[date | None]
    recurrence: Mapped[str | None] = mapped_column(String(120))
    # Day parts that suit the resident ("tue_morning", as in volunteer availability);
    # empty or None: any day part is fine.
    day_parts: Mapped[list[str] | None] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(String(8), default="normal")
    # The answer to "who around you could help with this?" (the 0th line comes first).
    network_note: Mapped[str | None] = mapped_column(String(1000))

    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    # The worker who holds this case (worklist, caseload, transfer).
    assigned_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    expires_on: Mapped[date | None]
    solved_by: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    area = relationship("Area")
    owner = relationship("User", foreign_keys=[owner_id])
    assigned_worker = relationship("User", foreign_keys=[assigned_worker_id])
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.at, RequestEvent.id",
        cascade="all, delete-orphan",
    )


class RequestEvent(db.Model):
    """Every change of status: who, when, why (shown as a timeline)."""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"),
                                            index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(500))

    request: Mapped[HelpRequest] = relationship(back_populates="events")


class Message(db.Model):
    """Messages between resident and volunteer; neither sees the other's e-mail or phone."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"),
                                            index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
