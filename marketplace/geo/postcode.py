"""Dutch postcodes: one parser, so every form, API field and CLI accepts the same spellings.

A Dutch postcode is four digits (the PC4 area, never starting with 0) and optionally two
letters narrowing it to a street segment. PostNL never issues the letter pairs SA, SD and SS
(wartime connotations), so they are refused rather than silently looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# [0-9] and re.ASCII, not \d: \d also matches Arabic-Indic and other Unicode digits.
_POSTCODE = re.compile(r"([1-9][0-9]{3})(?:\s?([A-Z]{2}))?", re.ASCII | re.IGNORECASE)
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})


class InvalidPostcode(ValueError):
    """The text is not a Dutch postcode. ``code`` is stable; the UI translates by it."""

    code = "malformed"

    def __init__(self, message: str, *, text: str | None = None) -> None:
        super().__init__(message)
        self.text = text


class UnknownPostcode(InvalidPostcode):
    """A well-formed PC4 that the gazetteer does not know (e.g. PO-box ranges, typos)."""

    code = "unknown"


@dataclass(frozen=True, slots=True)
class Postcode:
    """A parsed postcode; ``letters`` is None when only the PC4 area was given."""

    pc4: str
    letters: str | None = None

    @property
    def display(self) -> str:
        """The canonical spelling, "1234 AB" or "1234", used in the UI and in exports."""
        return f"{self.pc4} {self.letters}" if self.letters else self.pc4

    def __str__(self) -> str:
        return self.display


def parse_postcode(text: str) -> Postcode:
    """Parse "1234 AB", "1234AB", "1234ab", "1234 ab" or "1234" (surrounding space ignored).

    Raises InvalidPostcode (code "malformed") for anything else; whether the area exists is
    the gazetteer's question, not the parser's.
    """
    if not isinstance(text, str):
        raise InvalidPostcode(f"expected a postcode string, got {type(text).__name__}")
    match = _POSTCODE.fullmatch(text.strip())
    if match is None:
        raise InvalidPostcode(
            f"{text.strip()!r} is not a Dutch postcode (expected e.g. '1234 AB' or '1234')",
            text=text,
        )
    pc4, letters = match.group(1), match.group(2)
    if letters is not None:
        letters = letters.upper()
        if letters in _FORBIDDEN_LETTERS:
            raise InvalidPostcode(
                f"{pc4} {letters}: Dutch postcodes never use the letters {letters}", text=text
            )
    return Postcode(pc4=pc4, letters=letters)
