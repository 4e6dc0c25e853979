"""The category table is kept between tests (reference data from the migrations), so
tests/conftest.py puts its rows back after a test that changed them. Without that, a test
that makes `garden` need a VOG would change what the next tests match."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.categories.models import Category
from marketplace.extensions import db
from tests.conftest import MIGRATED_CATEGORIES, _category_rows, _restore_categories


def test_changed_added_and_removed_categories_are_put_back(app, database):
    migrated = MIGRATED_CATEGORIES[database[1]]
    assert len(migrated) == 12 and ("garden", 3, 12, False, True) in [
        (code, pos, weeks, bool(vog), bool(active))
        for code, pos, weeks, vog, active in migrated]
    garden = db.session.get(Category, "garden")
    garden.vog_required, garden.default_support_weeks = True, 2
    db.session.get(Category, "pets").active = False
    db.session.delete(db.session.get(Category, "other"))
    db.session.add(Category(code="knitting", position=99))
    db.session.commit()
    assert _category_rows() != migrated

    _restore_categories(migrated)
    db.session.commit()
    db.session.expire_all()
    assert _category_rows() == migrated
    assert db.session.get(Category, "garden").vog_required is False
    assert db.session.get(Category, "pets").active is True
    assert db.session.get(Category, "knitting") is None
    codes = db.session.scalars(select(Category.code).order_by(Category.position)).all()
    assert codes[-1] == "other"


def test_unchanged_categories_are_left_alone(app, database):
    migrated = MIGRATED_CATEGORIES[database[1]]
    statements: list[str] = []

    from sqlalchemy import event

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        _restore_categories(migrated)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    queries = [s for s in statements if not s.upper().startswith("BEGIN")]
    assert len(queries) == 1 and queries[0].lstrip().upper().startswith("SELECT")
