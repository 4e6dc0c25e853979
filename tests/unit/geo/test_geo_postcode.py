"""Postcode parsing: the spellings residents type, and the ones PostNL never issues."""

import pytest

from marketplace.geo.postcode import InvalidPostcode, Postcode, UnknownPostcode, parse_postcode


@pytest.mark.parametrize(
    ("text", "pc4", "letters", "display"),
    [
        ("1234 AB", "1234", "AB", "1234 AB"),
        ("1234AB", "1234", "AB", "1234 AB"),
        ("1234ab", "1234", "AB", "1234 AB"),
        ("1234 ab", "1234", "AB", "1234 AB"),
        ("1234 aB", "1234", "AB", "1234 AB"),
        ("1234", "1234", None, "1234"),
        ("  5531 AB\n", "5531", "AB", "5531 AB"),
        ("\t9999 ", "9999", None, "9999"),
        ("1000 SB", "1000", "SB", "1000 SB"),
        ("1000 AS", "1000", "AS", "1000 AS"),
    ],
)
def test_accepted_spellings(text: str, pc4: str, letters: str | None, display: str) -> None:
    postcode = parse_postcode(text)
    assert postcode == Postcode(pc4, letters)
    assert postcode.display == display
    assert str(postcode) == display


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0123 AB",  # first digit is never 0
        "0123",
        "123",  # too short
        "123 AB",
        "12345",  # too long
        "1234 ABC",
        "1234 A",
        "AB 1234",  # letters in the wrong place
        "12AB34",
        "1234 1A",
        "1234  AB",  # two spaces
        "1234-AB",
        "1234 SA",  # never issued
        "1234 SD",
        "1234ss",
        "١٢٣٤ AB",  # Arabic-Indic digits match \d but are not a postcode
        "1234 ÄB",
        "1234 AB 12",  # a house number belongs in its own field
    ],
)
def test_refused_spellings(text: str) -> None:
    with pytest.raises(InvalidPostcode) as caught:
        parse_postcode(text)
    assert caught.value.code == "malformed"
    assert not isinstance(caught.value, UnknownPostcode)


def test_non_string_is_malformed_not_a_type_error() -> None:
    with pytest.raises(InvalidPostcode):
        parse_postcode(1234)  # type: ignore[arg-type]


def test_error_codes_and_hierarchy() -> None:
    assert issubclass(InvalidPostcode, ValueError)
    assert issubclass(UnknownPostcode, InvalidPostcode)
    assert InvalidPostcode("x").code == "malformed"
    assert UnknownPostcode("x").code == "unknown"


def test_postcode_is_frozen_and_hashable() -> None:
    postcode = parse_postcode("5531 AB")
    with pytest.raises(AttributeError):
        postcode.pc4 = "1234"  # type: ignore[misc]
    assert {postcode, parse_postcode("5531ab")} == {postcode}
