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

from flask import Flask, current_app, has_request_context, request
from flask import url_for as flask_url_for
from flask_babel import format_date, format_decimal, get_locale, get_translations, to_user_timezone
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.routing import BuildError


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


# `url_for` in templates, built from a pattern per request: a list links every row to the same
# few endpoints, and Flask builds each URL anew (~20 µs; a worklist builds some 250). The
# first call for an endpoint and a set of argument names builds the URL with stand-in numbers
# for its whole-number arguments; later calls put their numbers in the pattern (~1 µs). Any
# other argument (text, an anchor, a negative number) is part of the pattern's key, so it is
# built by Flask as before. Per request, because a URL depends on the request (its script
# root, `_external`).
#
# A URL without such numbers (the menu, the header, the style sheets: ~20 on every page) is
# the same for every request with the same script root, so it is kept per app: at most
# _FIXED_MAX of them (text from a request, such as a search, could otherwise grow it without
# end). Not for `_external` or `_scheme` (they depend on the request's host) nor for an
# endpoint relative to the current blueprint (".name").
_STAND_IN = 918_273_645_500  # + the argument's position: digits no real id or path holds
_FIXED_MAX = 2048


def _fixed_url(endpoint: str, values: dict[str, Any]) -> str:
    if endpoint.startswith(".") or "_external" in values or "_scheme" in values:
        return flask_url_for(endpoint, **values)
    kept: dict[tuple[Any, ...], str] = current_app.extensions["buurtmakelaar.fixed_urls"]
    try:
        key = (request.script_root, endpoint, tuple(sorted(values.items())))
        found = kept.get(key)
    except TypeError:  # a list of values for one query argument
        return flask_url_for(endpoint, **values)
    if found is None:
        if len(kept) >= _FIXED_MAX:
            kept.clear()
        found = kept[key] = flask_url_for(endpoint, **values)
    return found


def url_for(endpoint: str, **values: Any) -> str:
    if not has_request_context():
        return flask_url_for(endpoint, **values)
    numbers = {name: value for name, value in values.items()
               if type(value) is int and value >= 0}
    if not numbers:
        return _fixed_url(endpoint, values)
    try:
        key = (endpoint, tuple(sorted((name, None if name in numbers else value)
                                      for name, value in values.items())))
        hash(key)
    except TypeError:  # a list of values for one query argument
        return flask_url_for(endpoint, **values)
    patterns = request.environ.setdefault("buurtmakelaar.url_patterns", {})
    found = patterns.get(key)
    if found is None:
        stand_ins = {name: _STAND_IN + i for i, name in enumerate(sorted(numbers))}
        try:
            built = flask_url_for(endpoint, **{**values, **stand_ins})
        except BuildError:  # a converter with bounds: Flask says what the real values give
            return flask_url_for(endpoint, **values)
        if any(built.count(str(n)) != 1 for n in stand_ins.values()):
            return flask_url_for(endpoint, **values)  # a converter changed the number
        found = patterns[key] = (built, tuple((str(n), name) for name, n in stand_ins.items()))
    url, names = found
    for stand_in, name in names:
        url = url.replace(stand_in, str(numbers[name]))
    return url


def init_rendering(app: Flask) -> None:
    app.context_processor(bound_translations)
    app.jinja_env.filters["dateformat"] = dateformat
    app.jinja_env.filters["number"] = format_decimal  # 16,5 and 1.234 in Dutch
    app.jinja_env.globals["url_for"] = url_for
    app.extensions["buurtmakelaar.fixed_urls"] = {}
