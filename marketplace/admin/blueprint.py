"""The administrator's blueprint (no views here): ``views`` (users, areas) and ``audit_views``
(the audit log) each import it; ``routes`` imports them both for the app factory."""

from __future__ import annotations

from flask import Blueprint

from marketplace.accounts.loading import role_required

admin_bp = Blueprint("admin", __name__, url_prefix="/beheer")


@admin_bp.before_request
@role_required("admin")
def require_admin():
    return None
