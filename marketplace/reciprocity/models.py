"""Reciprocity according to ability: a warm invitation once, one reminder, never a condition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import utcnow
from marketplace.extensions import db

ANSWERS = ("help_neighbour", "help_activity", "share_skill", "not_now")
# The answers that offer something (an offer to give back); "not_now" offers nothing.
OFFERS = ANSWERS[:3]
# What a worker of the area did with an offer: taken up ("opgepakt": contacted, or it became
# volunteering, an activity, help for a neighbour), or no longer needed.
TAKEN_UP = ("contacted", "volunteer", "activity", "neighbour")
FOLLOW_UPS = (*TAKEN_UP, "not_needed")
# An offer no worker has followed up yet: the predicate of the partial index below, used
# as the very same text by the queries that should use it (a bound IN list would not match).
OPEN_OFFER = ("reciprocity_invitation.answer IN ('help_neighbour', 'help_activity', "
              "'share_skill') AND reciprocity_invitation.follow_up IS NULL")
CONTRIBUTION_KINDS = ("help_neighbour", "help_activity", "share_skill", "other")


class ReciprocityInvitation(db.Model):
    __tablename__ = "reciprocity_invitation"
    __table_args__ = (
        # Invitations that may still get their one reminder: the reminder sweep reads these.
        Index("ix_reciprocity_invitation_unreminded", "invited_at", "id",
              sqlite_where=text("answered_at IS NULL AND reminded_at IS NULL"),
              postgresql_where=text("answered_at IS NULL AND reminded_at IS NULL")),
        # Offers waiting for a worker: the worklist counts them on every view.
        Index("ix_reciprocity_invitation_open_offers", "arrangement_id",
              sqlite_where=text(OPEN_OFFER), postgresql_where=text(OPEN_OFFER)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id", ondelete="CASCADE"),
                                                unique=True)
    invited_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
    # The contribution this answer recorded (what the resident wrote with it).
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"))
    # What a worker of the resident's area did with the offer (FOLLOW_UPS), who and when.
    follow_up: Mapped[str | None] = mapped_column(String(16))
    followed_up_at: Mapped[datetime | None]
    followed_up_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))


class Contribution(db.Model):
    """Something a person gave: counted as given/received tallies, not an hour balance."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str | None] = mapped_column(String(500))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
