"""The category taxonomy: codes from the contract, Dutch labels, per-category defaults."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.categories.models import Category
from marketplace.extensions import db


@dataclass(frozen=True)
class CategoryDefault:
    code: str
    label: object  # a lazy translated string
    default_support_weeks: int
    vog_required: bool


TAXONOMY: tuple[CategoryDefault, ...] = (
    CategoryDefault("shopping", _l("Boodschappen"), 12, False),
    CategoryDefault("transport", _l("Vervoer en begeleiding"), 12, False),
    CategoryDefault("odd_jobs", _l("Klusjes in huis"), 6, False),
    CategoryDefault("garden", _l("Tuin"), 12, False),
    CategoryDefault("companionship", _l("Gezelschap en een praatje"), 26, True),
    CategoryDefault("paperwork", _l("Post en papieren"), 12, True),
    CategoryDefault("digital", _l("Computer en telefoon"), 6, False),
    CategoryDefault("meals", _l("Maaltijden"), 12, False),
    CategoryDefault("language", _l("Nederlandse taal"), 26, False),
    CategoryDefault("carer_respite", _l("Mantelzorger ontlasten"), 26, True),
    CategoryDefault("pets", _l("Huisdieren"), 12, False),
    CategoryDefault("other", _l("Iets anders"), 12, False),
)
LABELS = {c.code: c.label for c in TAXONOMY}
CODES = tuple(c.code for c in TAXONOMY)


def label(code: str) -> str:
    from marketplace.i18n import translated

    return translated(LABELS).get(code, code)


def ensure_taxonomy() -> int:
    """Insert missing categories (idempotent; existing settings are left as an admin set them)."""
    existing = set(db.session.scalars(select(Category.code)))
    added = 0
    for position, item in enumerate(TAXONOMY):
        if item.code not in existing:
            db.session.add(
                Category(
                    code=item.code,
                    position=position,
                    default_support_weeks=item.default_support_weeks,
                    vog_required=item.vog_required,
                )
            )
            added += 1
    db.session.flush()
    return added


def active_categories() -> list[Category]:
    stmt = select(Category).where(Category.active.is_(True)).order_by(Category.position)
    return list(db.session.scalars(stmt))
