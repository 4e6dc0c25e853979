"""Areas: region → municipality → district (wijk) / village core (kern) → neighbourhood."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import utcnow
from marketplace.extensions import db

AREA_KINDS = ("region", "municipality", "district", "core", "neighbourhood")
# A parent must sit on a higher level than its child (district and core share a level).
KIND_LEVEL = {"region": 0, "municipality": 1, "district": 2, "core": 2, "neighbourhood": 3}


class Area(db.Model):
    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("area.id", ondelete="RESTRICT"), index=True
    )
    # Materialised path of ids, "/1/5/12/": an area's subtree is one indexed LIKE query.
    path: Mapped[str] = mapped_column(String(400), index=True, default="/")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Area | None] = relationship(remote_side="Area.id", back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")
    postcodes: Mapped[list[AreaPostcode]] = relationship(
        back_populates="area", order_by="AreaPostcode.pc4", cascade="all, delete-orphan"
    )
    settings: Mapped[list[AreaSetting]] = relationship(
        back_populates="area", cascade="all, delete-orphan"
    )

    @property
    def level(self) -> int:
        return KIND_LEVEL[self.kind]

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.kind}>"


class AreaPostcode(db.Model):
    """A PC4 belongs to exactly one most-specific area; its ancestors contain it too."""

    __tablename__ = "area_postcode"

    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)

    area: Mapped[Area] = relationship(back_populates="postcodes")


class AreaSetting(db.Model):
    """A setting set on an area; areas below inherit it unless they set their own."""

    __tablename__ = "area_setting"
    __table_args__ = (UniqueConstraint("area_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship(back_populates="settings")
