"""What left the system (one row per export), and the indexes the indicator queries use.

The indexes sit on other features' tables; they are declared here, beside the queries that
need them, so the model metadata and migration 0009 stay the same.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.signals.models import Signal
from marketplace.volunteers.models import VolunteerProfile

EXPORT_KINDS = ("indicators.json", "indicators.csv", "gaps.json", "gaps.mail")


class ReportExport(db.Model):
    """An export of aggregates: the rule set, k, method, version and a hash of the payload."""

    __tablename__ = "report_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
    period_from: Mapped[date]
    period_to: Mapped[date]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rules: Mapped[str] = mapped_column(String(200))
    k: Mapped[int]
    method: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportSnapshot(db.Model):
    """The protected indicator table of one area tree (its top area) and one year, as the
    `report_snapshots` sweep computed it at `computed_at` (snapshots.py). Pages read it and
    say "Cijfers van <computed_at>"; it is replaced by the next sweep, never edited."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("root_area_id", "year", "rules"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    root_area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    year: Mapped[int]
    rules: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date]  # the day "today" was (signals due, handovers ended)
    computed_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)


# The indicator queries read one area tree and one period: requests and signals by area and
# creation time (how a request ended rides along, so counting outcomes never reads the
# table itself), volunteer profiles by creation time.
Index("ix_help_request_area_id_created_at", HelpRequest.area_id, HelpRequest.created_at,
      HelpRequest.solved_by, HelpRequest.status)
Index("ix_signal_area_id_created_at", Signal.area_id, Signal.created_at)
Index("ix_volunteer_profile_created_at", VolunteerProfile.created_at)
