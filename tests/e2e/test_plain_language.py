"""Plain language: the Dutch UI strings must stay easy to read (target: language level B1).

The strings come from the source the way `make translations-update` extracts them (Babel over
marketplace/ and templates/), so a new string counts before anyone updates messages.pot.
Readability is Flesch-Douma, the Dutch Flesch formula (textstat, lang "nl"):
    206.835 - 0.93 × words per sentence - 77 × syllables per word.
Higher is easier. The report with the worst strings is artifacts/plain-language.txt.
This test needs no browser, so it runs everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from tests.e2e.e2e_support import ARTIFACTS, ROOT, extract_messages

# The whole UI must score at least this. Measured 81 on 2026-11-23 (docs/accessibility.md):
# running B1 text scores about 60-70, and UI strings are shorter than running text, so the
# catalogue as a whole scores higher; 75 leaves room for new strings but stops a drift
# into long official sentences.
MIN_OVERALL_SCORE = 75.0
WORST_LISTED = 15
MIN_WORDS_TO_RANK = 6  # short labels ("Naam", "Uw gegevens") say little about style
# Messages only developers read (the JSON API's problem details) are not UI text.
DEVELOPER_ONLY = ("marketplace/api/",)

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Catalog:
    """Extract the messages exactly like `make translations-update`, into a temporary file."""
    return extract_messages(tmp_path_factory.mktemp("babel") / "messages.pot")


def dutch_strings(catalog: Catalog) -> list[str]:
    """Every msgid (singular and plural) that a person using the web site can read."""
    strings = []
    for message in catalog:
        if not message.id:
            continue  # the catalogue header
        paths = [Path(path).resolve().relative_to(ROOT).as_posix()
                 for path, _line in message.locations]
        if paths and all(path.startswith(DEVELOPER_ONLY) for path in paths):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings += [str(text) for text in ids]
    return strings


def as_prose(text: str) -> str:
    """A UI string as a sentence: placeholders become a short word, a full stop at the end."""
    text = PLACEHOLDER.sub("Jan", text).strip()
    return text if text[-1:] in ".?!:;" else text + "."


def readability(text: str) -> float:
    import textstat

    textstat.set_lang("nl")
    return float(textstat.flesch_reading_ease(text))


def test_no_dutch_string_is_empty(catalogue: Catalog) -> None:
    empty = [message.locations or message.id for message in catalogue
             if message.id and not all(str(text).strip() for text in (
                 message.id if isinstance(message.id, tuple) else (message.id,)))]
    assert not empty, f"empty UI strings: {empty}"
    assert len(dutch_strings(catalogue)) > 100, "the extraction found almost no strings"


def test_dutch_ui_is_plain_language(catalogue: Catalog) -> None:
    strings = sorted(set(dutch_strings(catalogue)))
    overall = readability(" ".join(as_prose(text) for text in strings))
    ranked = sorted(
        ((readability(as_prose(text)), text) for text in strings
         if len(text.split()) >= MIN_WORDS_TO_RANK),
        key=lambda pair: pair[0],
    )
    lines = [
        "Plain language report: Flesch-Douma reading ease of the Dutch UI strings",
        "(higher is easier; 60-70 is easy, about B1; below 50 is hard).",
        "",
        f"strings: {len(strings)}, ranked (≥ {MIN_WORDS_TO_RANK} words): {len(ranked)}",
        f"overall score: {overall:.1f} (threshold {MIN_OVERALL_SCORE})",
        "",
        f"The {WORST_LISTED} hardest strings:",
        *(f"{score:6.1f}  {text}" for score, text in ranked[:WORST_LISTED]),
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    Path(ARTIFACTS / "plain-language.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert overall >= MIN_OVERALL_SCORE, (
        f"the Dutch UI scores {overall:.1f}, under {MIN_OVERALL_SCORE}: rewrite the hardest "
        "strings in artifacts/plain-language.txt in shorter sentences and shorter words")
