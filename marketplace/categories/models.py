"""The help-category taxonomy (codes are part of the API contract)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class Category(db.Model):
    __tablename__ = "category"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    # Support is temporary by default: an arrangement ends after this many weeks unless extended.
    default_support_weeks: Mapped[int] = mapped_column(default=12)
    # A certificate of conduct (VOG) is required for work with vulnerable people.
    vog_required: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
