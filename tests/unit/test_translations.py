"""The English catalogue is complete and safe to use (no app needed).

The UI's source strings are Dutch; English comes from
marketplace/translations/en/LC_MESSAGES/messages.po. These tests fail when a string has no
English translation, when a translation is still marked fuzzy (gettext then ignores it), when
a placeholder such as %(name)s differs between Dutch and English (the page would crash or
show the wrong value), or when the sources hold strings that the catalogue does not have yet.

Added or changed a UI string? Run `make translations-update`, translate the new entries in
messages.po (remove their `#, fuzzy` line), then run `make translations`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "marketplace" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO_EN = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
HOW_TO_FIX = ("run `make translations-update`, translate the new entries in "
              f"{PO_EN.relative_to(ROOT)} (and remove their `#, fuzzy` line), then "
              "`make translations`")

# %(name)s, %(num)d, %s, %d … (not the escaped %%) and {0} / {name} style fields.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGoc]|\{\w*\}")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def describe(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    return f"{msgid!r}" + (f" ({where})" if where else "")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def source_target_pairs(message: Message) -> list[tuple[str, str]]:
    """(Dutch, English) pairs: one for a plain message, singular and plural for ngettext."""
    if isinstance(message.id, (list, tuple)):
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [""]
        strings += [""] * (2 - len(strings))
        return [(message.id[0], strings[0]), (message.id[1], strings[1])]
    return [(message.id, message.string or "")]


def is_translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    return all(target.strip() for _, target in source_target_pairs(message))


@pytest.fixture(scope="module")
def english() -> Catalog:
    return read_catalog(PO_EN)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """The strings in the sources now, extracted exactly as `make translations-update` does."""
    pot = tmp_path_factory.mktemp("babel") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
         "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
         "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}{result.stderr}"
    return read_catalog(pot)


def test_the_catalogue_is_english_with_two_plural_forms(english: Catalog) -> None:
    assert str(english.locale) == "en"
    assert english.num_plurals == 2
    assert len(messages(english)) > 0


def test_every_entry_has_an_english_translation(english: Catalog) -> None:
    untranslated = [describe(m) for m in messages(english) if not is_translated(m)]
    assert not untranslated, (
        f"{len(untranslated)} entr(y/ies) in {PO_EN.relative_to(ROOT)} without an English "
        "translation, or still marked fuzzy (gettext ignores fuzzy entries):\n  "
        + "\n  ".join(untranslated[:50]))


def test_placeholders_are_the_same_in_dutch_and_english(english: Catalog) -> None:
    wrong = []
    for message in messages(english):
        for source, target in source_target_pairs(message):
            if target and placeholders(source) != placeholders(target):
                wrong.append(f"{source!r} → {target!r}: {placeholders(source)} "
                             f"≠ {placeholders(target)}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n  " + "\n  ".join(wrong)


def test_babel_finds_no_format_errors(english: Catalog) -> None:
    """What `pybabel compile` checks: python-format placeholders and the number of plurals."""
    errors = [f"{describe(message)}: {'; '.join(str(e) for e in errs)}"
              for message, errs in english.check()]
    assert not errors, "\n".join(errors)


def test_the_template_is_up_to_date(extracted: Catalog) -> None:
    template = read_catalog(POT)
    missing = [describe(m) for m in messages(extracted) if template.get(m.id, m.context) is None]
    assert not missing, (
        f"{len(missing)} UI string(s) in the sources are not in "
        f"{POT.relative_to(ROOT)}: {HOW_TO_FIX}.\n  " + "\n  ".join(missing[:50]))


def test_every_string_in_the_sources_has_an_english_translation(
        extracted: Catalog, english: Catalog) -> None:
    missing = []
    for message in messages(extracted):
        found = english.get(message.id, message.context)
        if found is None or found.id != message.id or not is_translated(found):
            missing.append(describe(message))
    assert not missing, (
        f"{len(missing)} UI string(s) have no English translation yet: {HOW_TO_FIX}.\n  "
        + "\n  ".join(missing[:50]))
