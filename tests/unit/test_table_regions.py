"""Every wide-table wrapper is a named region reachable by keyboard (WCAG 2.1.1, 1.4.10).

A .table-wrapper scrolls sideways on a phone or at 320 px. A box that scrolls but takes no
focus cannot be scrolled without a mouse, and a focusable box needs a name to be announced.
The browser gate (tests/e2e/test_screenshots.py) checks this only where a main page really
overflows; this check covers every template, so a new table starts out right.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WRAPPER = re.compile(r'<div class="table-wrapper"[^>]*>')


def test_every_table_wrapper_is_a_named_focusable_region():
    found, wrong = 0, []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in WRAPPER.findall(path.read_text(encoding="utf-8")):
            found += 1
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            if not ('role="region"' in tag and 'tabindex="0"' in tag and named):
                wrong.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert found > 15  # the app's tables, not none because the pattern went stale
    assert not wrong, "\n".join(wrong)
