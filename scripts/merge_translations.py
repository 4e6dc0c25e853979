"""Fill the English catalogue from the fragments that features keep beside it.

Features built side by side write the English of their new Dutch strings to
marketplace/translations/fragments/<feature>.po (plain msgid/msgstr pairs). After
`make translations-update` has added the new msgids to messages.po (empty or fuzzy), this
script copies each fragment's translation into the entries that still lack one, and
removes their fuzzy mark. It never overwrites a translation that is already there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "marketplace" / "translations"
PO_EN = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"


def main() -> int:
    with PO_EN.open("rb") as handle:
        catalog = read_po(handle)
    known: dict[object, object] = {}
    for fragment in sorted((TRANSLATIONS / "fragments").glob("*.po")):
        with fragment.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    known.setdefault(message.id if isinstance(message.id, str)
                                     else tuple(message.id), message.string)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        missing = message.fuzzy or not message.string or (
            isinstance(message.string, tuple) and not all(message.string))
        if missing and key in known:
            message.string = known[key]
            message.flags.discard("fuzzy")
            filled += 1
    with PO_EN.open("wb") as handle:
        write_po(handle, catalog, width=76)
    left = [m.id for m in catalog if m.id and (m.fuzzy or not m.string)]
    print(f"filled {filled} translations; {len(left)} still without English")
    for msgid in left[:50]:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
