"""Messages a person reads, written in Dutch where they arise and translated where shown.

Services, the matching engine and other pure code mark their Dutch literals with ``N_()``
(a babel keyword: ``make translations-update`` extracts them) and keep them in Dutch. A
message with values is ``N_("... %(name)s ...", name=value)``: a ``Message``, a ``str`` in
Dutch with its msgid and values kept, so it can be translated later as a whole.

``translate(message)`` gives the reader's language; the app registers the translator once
(``set_translator``, Flask-Babel's gettext); pure code and the CLI without it get Dutch.
This module imports nothing of Flask, so pure cores may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Translator = Callable[[str, Mapping[str, Any], "str | None"], str]


class Message(str):
    """Dutch text (the ``str`` value) that remembers its msgid and values."""

    msgid: str
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Message:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # survives pickling (sessions, job stores)
        return (_rebuild, (self.msgid, dict(self.params)))


def _rebuild(msgid: str, params: dict[str, Any]) -> Message:
    return Message(msgid, **params)


def N_(msgid: str, **params: Any) -> str:  # noqa: N802  (the gettext convention)
    """Mark a Dutch message for extraction; with values, a Message (formatted Dutch)."""
    return Message(msgid, **params) if params else msgid


def _dutch(msgid: str, params: Mapping[str, Any], locale: str | None) -> str:
    return msgid % params if params else msgid


_translator: Translator = _dutch


def set_translator(translator: Translator) -> None:
    """The app's gettext: ``translator(msgid, params, locale)``; locale None is the
    reader's."""
    global _translator
    _translator = translator


def translate(message: object, locale: str | None = None) -> Any:
    """A message in the reader's language (or `locale`); the text itself when the catalogue
    has none, anything that is not text unchanged."""
    if isinstance(message, Message):
        params = {key: translate(value, locale) if isinstance(value, Message) else value
                  for key, value in message.params.items()}
        return _translator(message.msgid, params, locale)
    if isinstance(message, str) and message:
        return _translator(message, {}, locale)
    return message


def text(msgid: str, locale: str | None = None, **params: Any) -> str:
    """Mark and translate at once (pure code that forms a sentence for a reader now)."""
    return _translator(msgid, params, locale)
