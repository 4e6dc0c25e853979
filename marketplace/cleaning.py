"""The one text cleaner at the edge of the app: what a person sends reaches no service with a
NUL byte or a lone surrogate in it.

A NUL byte cannot be stored in a PostgreSQL text column and a lone surrogate (``"\\ud800"``,
possible in JSON strings) cannot be encoded as UTF-8, so both would fail deep down, in the
database driver, as a 500. Cleaning here keeps every other character as it was typed:
NUL bytes are dropped, a lone surrogate becomes U+FFFD (the replacement character).

Pure functions: used by the request class (form and query data, see marketplace.boundary)
and by the JSON body reader (marketplace.api.body).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

# A date as a person types it or a browser's date picker sends it: 25-12-2026, 25/12/2026,
# 2026-12-25 (day first, as Dutch is written; never month first).
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """The text without NUL bytes and with lone surrogates replaced."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE.search(value):
        # Paired surrogates never occur in a decoded str; each one here stands alone.
        value = _SURROGATE.sub(REPLACEMENT, value)
    return value


def clean_json(value: Any) -> Any:
    """Clean every string (keys included) of a parsed JSON value, without recursion."""
    if isinstance(value, str):
        return clean_text(value)
    if not isinstance(value, dict | list):
        return value
    result = _copy_shell(value)
    stack: list[tuple[Any, Any]] = [(value, result)]  # (original, its cleaned copy)
    while stack:
        original, copy = stack.pop()
        items = original.items() if isinstance(original, dict) else enumerate(original)
        for key, item in items:
            cleaned = _copy_shell(item) if isinstance(item, dict | list) else (
                clean_text(item) if isinstance(item, str) else item)
            if isinstance(item, dict | list):
                stack.append((item, cleaned))
            if isinstance(copy, dict):
                copy[clean_text(key)] = cleaned
            else:
                copy.append(cleaned)
    return result


def _copy_shell(value: dict | list) -> dict | list:
    return {} if isinstance(value, dict) else []


def whole_number(value: object, high: int) -> int | None:
    """A whole number from 0 to `high` typed as text (a query value, a form field, a CLI
    argument), or None. ASCII digits only: ``str.isdigit()`` also accepts "²" and "①", which
    ``int()`` then refuses (a 500 where the person should get a message)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > len(str(high)) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= high else None


def typed_date(value: object) -> date | None:
    """A date written in one of DATE_FORMATS, or None."""
    if not isinstance(value, str) or len(value.strip()) > 10:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


# Free text such as a request's description or a signal's concern needs this many characters
# that are not spaces: "Tuin" says enough next to its category; "  a " does not.
MIN_FREE_TEXT = 3


def too_short(text: str, minimum: int = MIN_FREE_TEXT) -> bool:
    """Whether `text` has fewer than `minimum` characters that are not white space."""
    return sum(not char.isspace() for char in text) < minimum
