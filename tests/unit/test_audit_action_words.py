"""Every audit action the code writes has words for the person who reads their own trail
(the download and the page "Mijn gegevens bekijken" show them; a bare code is not B1)."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.residents.export import ACTIONS

ROOT = Path(__file__).resolve().parents[2] / "marketplace"
# audit.record("a.b", ...) and audit.record("a.b" if x else "a.c", ...)
RECORD = re.compile(r'record\(\s*"([a-z_.]+)"(?:\s+if\s[^"]*?else\s+"([a-z_.]+)")?')


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "audit" not in text:
            continue
        for first, second in RECORD.findall(text):
            found.update(a for a in (first, second) if a)
    return found


def test_the_scan_finds_the_actions_it_should():
    found = recorded_actions()
    assert {"file.viewed", "login", "user.activated", "user.deactivated",
            "area.created", "area.updated"} <= found


def test_every_recorded_action_has_words():
    missing = sorted(recorded_actions() - set(ACTIONS))
    assert not missing, f"add these to residents.export.ACTIONS: {missing}"
