"""Cheap translations in templates: the catalogue is looked up once per render, not per `_()`.

Flask-Babel's Jinja callables find the catalogue anew for every `_()` (the babel context in
`g`, the domain, the locale, its identifier as text, a dict lookup): ~25 µs each, and a
worklist calls `_()` some 600 times. A context processor hands every render a `gettext` and
`ngettext` bound to the catalogue of that moment (so `refresh()` and `force_locale()` before
a render still count). Jinja's `_()` resolves `gettext` from the template's context, so the
page and the macros imported `with context` use it; macros imported without context keep
Flask-Babel's own callables (slower, the same text). Same behaviour as Jinja's new-style
gettext: the result is Markup when autoescaping and always `%`-formatted with its keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Flask, has_request_context
from flask_babel import format_date, get_locale, get_translations, to_user_timezone
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def _gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        rv = translate(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return gettext


def _ngettext(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(__context: Context, __singular: str, __plural: str, __num: int,
                 **variables: Any) -> str:
        variables.setdefault("num", __num)
        rv = translate(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


def bound_translations() -> dict[str, Any]:
    if not has_request_context():  # mail rendered by the scheduler: Flask-Babel's own
        return {}
    catalogue = get_translations()
    return {"gettext": _gettext(catalogue.ugettext), "ngettext": _ngettext(catalogue.ungettext)}


# `dateformat` as Flask-Babel's filter, remembered per (day, pattern, locale): a list shows a
# date per row and Babel takes ~40 µs to format one. A datetime is first moved to the user's
# time zone (as Flask-Babel does); its day is then all that is formatted.
_DAYS: dict[tuple[date, str | None, str], str] = {}
_DAYS_MAX = 4096


def dateformat(value: date | datetime | None = None, format: str | None = None,
               rebase: bool = True) -> str:
    if value is None:
        return format_date(None, format, rebase)
    if isinstance(value, datetime):
        value = (to_user_timezone(value) if rebase else value).date()
    key = (value, format, str(get_locale() or ""))
    found = _DAYS.get(key)
    if found is None:
        if len(_DAYS) >= _DAYS_MAX:
            _DAYS.clear()
        found = _DAYS[key] = format_date(value, format, rebase=False)
    return found


def init_rendering(app: Flask) -> None:
    app.context_processor(bound_translations)
    app.jinja_env.filters["dateformat"] = dateformat
