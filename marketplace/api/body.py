"""The one JSON-body reader of the API: depth, type and text checked before a handler sees it.

Use it in every handler that reads a body (new features too)::

    from marketplace.api.body import json_fields

    body = json_fields()                      # 400/422 problem+json unless a JSON object
    title = body.text("title", required=True, max_length=200)
    count = body.integer("count", minimum=1, maximum=500)
    user_id = body.ident("user_id", required=True)   # 1 .. 2^31-1
    accessible = body.boolean("accessible", default=False)
    skills = body.text_list("skills")
    starts_on = body.date("starts_on")
    body.check()                              # 422 with every field's error at once

or, for a handler that does its own checks, ``json_body()`` (a dict, never anything else)
and ``json_body_or_empty()`` (an empty or missing body is ``{}``).

What the reader guarantees:

- the body is UTF-8 JSON, at most ``MAX_DEPTH`` arrays/objects deep. The depth is counted on
  the raw text before parsing (strings blanked out, brackets counted in one loop), so a body
  nested 100,000 deep is refused with 400 instead of exhausting the parser's stack;
- no NaN/Infinity, no integer with more digits than Python converts (400);
- every string (keys included) is cleaned by ``marketplace.cleaning.clean_text``: no NUL
  byte, no lone surrogate reaches a service;
- where an object is expected, a string, number or array answers 422 with ``errors.body``.

The typed getters never call ``.strip()`` on a float or ``.get()`` on a list: a wrong type is
a 422 on that field, named as the client spelled it.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _

from marketplace.cleaning import clean_json
from marketplace.errors import ValidationFailed

MAX_DEPTH = 32
MAX_INT = 2**31 - 1  # the largest id or integer an Integer column holds (PostgreSQL int4)
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class BadJSON(Exception):
    """The body is not JSON we can read (answers 400 problem+json)."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays/objects in `text` nest deeper than `limit` (strings ignored). No
    recursion, no parsing: a bracket scan over the text with its strings blanked out."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse(raw: bytes) -> Any:
    """Bytes to a cleaned JSON value, or BadJSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJSON(_("De inhoud is geen geldige UTF-8.")) from None
    if too_deep(text):
        raise BadJSON(_("De JSON is te diep genest (meer dan %(n)s lagen).", n=MAX_DEPTH))
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise BadJSON() from None
    return clean_json(value)


def read_json(*, required: bool = True) -> Any:
    """The request's JSON body, parsed and cleaned; None for an empty body when not required."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise BadJSON()
        return None
    if not request.is_json:
        raise BadJSON()
    return parse(raw)


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationFailed({"body": [_('Stuur een JSON-object, zoals {"naam": "waarde"}.')]})
    return value


def json_body() -> dict[str, Any]:
    """The body as a JSON object (400 for no or bad JSON, 422 for another JSON type)."""
    return _object(read_json())


def json_body_or_empty() -> dict[str, Any]:
    """Like json_body, but an empty body (or one that is not JSON at all) is {}."""
    if not request.get_data(cache=True).strip() or not request.is_json:
        return {}
    return _object(read_json())


def json_fields(*, optional_body: bool = False) -> Fields:
    """The body's fields with typed getters (see the module docstring)."""
    return Fields(json_body_or_empty() if optional_body else json_body())


_MISSING = object()


class Fields:
    """Typed access to a JSON object's fields; errors are collected per field."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, list[str]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def check(self) -> None:
        """422 with every collected field error at once."""
        if self.errors:
            raise ValidationFailed(self.errors)

    def _value(self, key: str, required: bool) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None or value == "":
            if required:
                self.error(key, _("Vul dit veld in."))
            return _MISSING
        return value

    def text(self, key: str, *, required: bool = False, default: str | None = None,
             max_length: int | None = None) -> str | None:
        value = self._value(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.error(key, _("Stuur hier tekst."))
            return default
        if max_length is not None and len(value) > max_length:
            self.error(key, _("Gebruik hoogstens %(n)s tekens.", n=max_length))
            return default
        return value

    def integer(self, key: str, *, required: bool = False, default: int | None = None,
                minimum: int = -MAX_INT, maximum: int = MAX_INT) -> int | None:
        value = self._value(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(key, _("Stuur hier een geheel getal."))
            return default
        if not minimum <= value <= maximum:
            self.error(key, _("Kies een getal van %(low)s tot %(high)s.", low=minimum,
                              high=maximum))
            return default
        return value

    def ident(self, key: str, *, required: bool = False) -> int | None:
        """An id: a whole number from 1 up to what the database holds."""
        value = self._value(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_INT:
            self.error(key, _("Stuur het nummer (id), een geheel getal groter dan 0."))
            return None
        return value

    def number(self, key: str, *, required: bool = False, default: float | None = None,
               minimum: float | None = None, maximum: float | None = None) -> float | None:
        value = self._value(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, int | float) or isinstance(value, bool) or (
                isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_INT:
            self.error(key, _("Stuur hier een getal."))
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(key, _("Kies een getal van %(low)s tot %(high)s.", low=minimum,
                              high=maximum))
            return default
        return value

    def boolean(self, key: str, *, required: bool = False,
                default: bool | None = None) -> bool | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, _("Vul dit veld in."))
            return default
        if not isinstance(value, bool):
            self.error(key, _("Stuur hier true of false."))
            return default
        return value

    def text_list(self, key: str, *, required: bool = False,
                  default: list[str] | None = None) -> list[str] | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, _("Vul dit veld in."))
            return default
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(key, _('Stuur een lijst met tekst, zoals ["a", "b"].'))
            return default
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self._value(key, required)
        if value is _MISSING:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return date.fromisoformat(value[:10])
        except ValueError:
            self.error(key, _("Gebruik een datum als 2026-12-01."))
            return None
