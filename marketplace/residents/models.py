"""A resident's own network: the 0th line comes first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import utcnow
from marketplace.extensions import db

RELATIONS = ("family", "neighbour", "friend", "acquaintance", "other")


class NetworkMember(db.Model):
    """Someone around the resident (family, neighbour, friend) and what they can help with."""

    __tablename__ = "network_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    name: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str] = mapped_column(String(20))
    can_help: Mapped[list[str]] = mapped_column(JSON, default=list)
    cannot_help: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
