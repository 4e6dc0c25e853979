"""Language choice: ?lang= (remembered in the session), the account, the browser, Dutch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the scheduler and the CLI: Dutch unless forced otherwise
        return languages[0]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]


def other_locale(locale: str) -> str:
    return "en" if locale == "nl" else "nl"




# Label tables (code -> lazy_gettext) translated once per locale and process: str() of a
# lazy string finds the catalogue anew each time (~25 µs), and a list page shows a label per
# row. Catalogues do not change while the process runs, so the translated table is constant.
_TRANSLATED: dict[tuple[int, str], dict[Any, str]] = {}


def translated(labels: Mapping[Any, Any]) -> dict[Any, str]:
    """`labels` (a module-level table: it is remembered by identity) with every value as
    text in the current locale."""
    from flask_babel import get_locale

    key = (id(labels), str(get_locale() or ""))
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = {code: str(text) for code, text in labels.items()}
    return found
