"""Domain errors raised by services; views, the API and the CLI show them to people.

Services write their messages in Dutch, marked with ``N_()`` (marketplace.messages).
``error.message`` is the message in the reader's language (Dutch outside a request);
``error.msgid`` the Dutch as raised. ``apply_errors`` puts a service's messages on a form,
translated, for every form of the site.
"""

from __future__ import annotations

from typing import Any

from marketplace.messages import N_, Message, translate

__all__ = ["N_", "Conflict", "DomainError", "Forbidden", "Message", "NotFound",
           "ValidationFailed", "apply_errors", "translate"]


class DomainError(Exception):
    """A rule of the domain said no. `field` names the input it is about, if any."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.msgid = message
        self.field = field

    @property
    def message(self) -> Any:
        """The message in the reader's language."""
        return translate(self.msgid)

    @message.setter
    def message(self, value: str) -> None:
        self.msgid = value


class ValidationFailed(DomainError):
    """Several inputs are wrong at once: `errors` maps field name to messages (Dutch, as
    raised; ``translated_errors()`` in the reader's language)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0] if errors else "invalid"
        super().__init__(first)
        self.errors = errors

    def translated_errors(self) -> dict[str, list[Any]]:
        return {field: [translate(m) for m in messages]
                for field, messages in self.errors.items()}


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403


def apply_errors(form: Any, error: DomainError) -> None:
    """Put a service's messages, translated, on the form's fields they are about (else
    above the form). One helper for every form (WTForms duck-typed: ``_fields``)."""
    found = (error.errors if isinstance(error, ValidationFailed)
             else {error.field: [error.msgid]})
    for name, texts in found.items():
        field = form._fields.get(name) if name else None
        shown = [translate(text) for text in texts]
        if field is not None:
            field.errors = [*field.errors, *shown]
        else:
            form.form_errors.extend(shown)
