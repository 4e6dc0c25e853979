"""The data generation: one number that every committed write of a tracked table raises."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class DataGeneration(db.Model):
    """One row (id 1). Raised in the same transaction as the write it counts
    (`page_cache.tracking`), so a reader that sees a write also sees the number rise."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
