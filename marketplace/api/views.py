"""API endpoints of the foundation: who am I, which categories exist."""

from __future__ import annotations

from flask import jsonify

from marketplace.api import api_bp
from marketplace.api.auth import api_user
from marketplace.categories.services import active_categories, label


def user_json(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": user.roles,
        "areas": sorted(area.code for area in user.areas),
    }


@api_bp.get("/me")
def me():
    data = user_json(api_user())
    if api_user().has_role("resident", "volunteer"):
        from marketplace.calendar.services import calendar_url
        from marketplace.extensions import db

        data["calendar_url"] = calendar_url(api_user())
        db.session.commit()  # the first look makes the feed address
    return jsonify(data)


@api_bp.get("/categories")
def categories():
    return jsonify(
        [
            {"code": c.code, "label": label(c.code), "vog_required": c.vog_required,
             "default_support_weeks": c.default_support_weeks}
            for c in active_categories()
        ]
    )
