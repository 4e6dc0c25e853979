"""The migrations produce exactly the models' schema, and go down and up again, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from marketplace.categories.models import Category
from marketplace.categories.services import TAXONOMY
from marketplace.db import render_migration_item
from marketplace.extensions import db


def _drift() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_item": render_migration_item}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_match_models_and_round_trip(fresh_app):
    assert _drift(), "an empty database must differ from the models (the check can fail)"
    upgrade(revision="heads")
    assert _drift() == []
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables

    downgrade(revision="base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()

    upgrade(revision="heads")
    assert _drift() == []


def test_migration_seeds_the_category_taxonomy(fresh_app):
    upgrade(revision="heads")
    rows = db.session.scalars(select(Category).order_by(Category.position)).all()
    assert [(c.code, c.default_support_weeks, c.vog_required) for c in rows] == [
        (t.code, t.default_support_weeks, t.vog_required) for t in TAXONOMY
    ]
