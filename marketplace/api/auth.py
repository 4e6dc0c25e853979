"""Bearer-token authentication for the API; the user lives in g.api_user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.accounts.sessions import user_for_api_token
from marketplace.api import api_bp
from marketplace.api.problems import problem
from marketplace.extensions import db

PUBLIC_ENDPOINTS = {"api.openapi_document"}


@api_bp.before_request
def authenticate_bearer():
    g.api_user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = user_for_api_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        db.session.rollback()
        return problem(401, _("Niet ingelogd"),
                       _("Stuur een geldig token mee: Authorization: Bearer <token>."))
    db.session.commit()  # records last_used_at
    g.api_user = user
    return None


def api_user() -> User:
    return g.api_user


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not g.api_user.has_role(*roles):
                return problem(403, _("Geen toegang"),
                               _("Uw rol geeft geen toegang tot dit deel van de API."))
            return view(*args, **kwargs)

        wrapped.api_roles = roles  # type: ignore[attr-defined]  (the OpenAPI document's 403s)
        return wrapped

    return decorator
