"""Public pages and the health check."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from marketplace.extensions import db
from marketplace.main.home import sections_for

log = logging.getLogger(__name__)
main_bp = Blueprint("main", __name__)


@main_bp.get("/")
def index():
    """Signed out: what the site is and the three ways in. Signed in: the home per role."""
    if current_user.is_authenticated:
        return render_template("main/home.html", sections=sections_for(current_user))
    return render_template("main/index.html")


@main_bp.get("/over")
def about():
    return render_template("main/about.html")


@main_bp.get("/toegankelijkheid")
def accessibility():
    return render_template("main/accessibility.html")


@main_bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except (SQLAlchemyError, OSError) as error:
        log.warning("health check: database unreachable: %s", type(error).__name__)
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
