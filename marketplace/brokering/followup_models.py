"""A case note's follow-up date, done: by a note, or by a new date (a new note carries it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import utcnow
from marketplace.extensions import db


class FollowUpDone(db.Model):
    __tablename__ = "follow_up_done"

    note_id: Mapped[int] = mapped_column(ForeignKey("case_note.id", ondelete="CASCADE"),
                                         primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The note that followed up (with a new date, when the follow-up moved).
    next_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_note.id", ondelete="SET NULL"))
