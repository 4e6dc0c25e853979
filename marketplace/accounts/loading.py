"""Flask-Login wiring: the cookie carries a revocable session token, never the user id."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from marketplace.accounts.models import User
from marketplace.accounts.sessions import user_for_session


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Log in om deze pagina te zien.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(token: str) -> User | None:
        return user_for_session(token, max_age=current_app.permanent_session_lifetime)


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in (else to the login page) and holding one of these roles (else 403)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from marketplace.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
