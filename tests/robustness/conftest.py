"""The robustness family: the World and Market of the security tests (one account per role,
real objects to point URLs at) are reused here; `english_app` serves the same database with
the English catalogue plus every feature's fragment (what the lead's merge will produce)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from marketplace.extensions import db
from tests.conftest import build_app
from tests.security.conftest import (  # noqa: F401  (pytest fixtures)
    fast_hashing,
    market,
    request_isolation,
    world,
)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "marketplace" / "translations"


def merged() -> Catalog:
    """messages.po with the fragments' English filled in where it has none."""
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for fragment in sorted((TRANSLATIONS / "fragments").glob("*.po")):
        with fragment.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not (
                        message.id in catalogue and catalogue[message.id].string):
                    catalogue.add(message.id, message.string)
    return catalogue


def merged_catalogue(target: Path) -> Path:
    folder = target / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, merged())
    return target


@pytest.fixture()
def english_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    directory = merged_catalogue(tmp_path / "translations")
    other = build_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "instance",
                      BABEL_TRANSLATION_DIRECTORIES=str(directory))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
