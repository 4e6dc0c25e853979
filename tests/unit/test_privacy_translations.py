"""Every Dutch string of the erasure pages, forms and mails has its English: in the
catalogue already, or in the fragment marketplace/translations/fragments/privacy.po."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "marketplace" / "translations"
OURS = [
    ("python", "marketplace/residents/erasure.py"),
    ("python", "marketplace/residents/erasure_forms.py"),
    ("python", "marketplace/residents/erasure_views.py"),
    ("jinja2", "templates/residents/erase.html"),
    ("jinja2", "templates/residents/erase_desk.html"),
    ("jinja2", "templates/residents/erase_staff.html"),
    ("jinja2", "templates/residents/erased.html"),
    ("jinja2", "templates/email/helper_erased_worker.txt"),
    ("jinja2", "templates/email/retention_notice.txt"),
]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def english() -> set[str]:
    known = set()
    for path in (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po",
                 TRANSLATIONS / "fragments" / "privacy.po"):
        with path.open("rb") as handle:
            known |= {m.id for m in read_po(handle) if m.id and m.string}
    return known


def test_every_string_of_erasure_has_english():
    known = english()
    missing, checked = [], 0
    for method, name in OURS:
        for _line, message, _comments, _context in extract_from_file(
                method, str(ROOT / name), keywords=KEYWORDS,
                options={"extensions": "jinja2.ext.i18n"} if method == "jinja2" else None):
            text = message if isinstance(message, str) else message[0]
            checked += 1
            if text not in known:
                missing.append(f"{name}: {text}")
    assert checked > 40, checked  # the extraction really read the files
    assert not missing, "\n".join(missing)
