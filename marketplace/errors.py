"""Domain errors raised by services; views, the API and the CLI translate them for people."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain said no. `field` names the input it is about, if any."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Several inputs are wrong at once: `errors` maps field name to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0] if errors else "invalid"
        super().__init__(first)
        self.errors = errors


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403
