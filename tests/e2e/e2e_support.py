"""Helpers for the browser tests: who signs in, what a page must pass, how to use the keyboard.

Nothing here imports Playwright at module level, so the e2e folder still collects (and skips
with a clear reason) on a machine without it. New features plug in by adding pages (the crawl
finds them through links) and flows (write them with `tab_to` / `press` like test_keyboard.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from marketplace.demo.data import ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"  # git-ignored (/artifacts/ in .gitignore)

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which a closed
# network answers with refused connections (and noise in the console).
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# What "accessible" means for the gate: WCAG 2.1 level A and AA. axe-core also runs its
# best-practice rules; those are written to the artefacts as advice and do not fail a test.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
    "resultTypes": ["violations"],
}


@dataclass(frozen=True)
class Account:
    role: str
    email: str
    name: str
    password: str = DEMO_PASSWORD


def demo_accounts_by_role() -> dict[str, Account]:
    """The first demo account of every role (marketplace/demo/data.py)."""
    accounts: dict[str, Account] = {}
    for local, name, roles, _areas in ACCOUNTS:
        for role in roles:
            accounts.setdefault(role, Account(role, f"{local}@{DEMO_DOMAIN}", name))
    return accounts


ROLE_ACCOUNTS = demo_accounts_by_role()
ACTORS = ("anonymous", *ROLE_ACCOUNTS)


def sign_in(page: Page, base_url: str, account: Account) -> None:
    """Sign in through the real login form (CSRF on), as a person would with a mouse."""
    page.goto(f"{base_url}/inloggen")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlsplit(page.url).path == "/account/", f"sign-in as {account.role} failed: {page.url}"


# ----------------------------------------------------------------------- page checks


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of one page, cleared per navigation."""

    messages: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> ConsoleLog:
        page.on("console", lambda msg: msg.type == "error" and self.messages.append(msg.text))
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))
        return self

    def take(self) -> list[str]:
        taken, self.messages = self.messages, []
        return taken


def axe_violations(page: Page) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(WCAG 2.1 A/AA violations, best-practice advice) of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    wcag = [v for v in results if set(v["tags"]) & set(WCAG_TAGS)]
    advice = [v for v in results if not set(v["tags"]) & set(WCAG_TAGS)]
    return wcag, advice


# Content that scrolls sideways inside a box (a wide table on a phone) can only be read by
# keyboard when the box itself takes focus (tabindex="0") and is named for screen readers.
# axe-core's scrollable-region-focusable passes as soon as the box holds any link, even
# when the columns beyond it have none; this check closes that gap.
UNREACHABLE_SCROLL_REGIONS_JS = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => {
    const s = getComputedStyle(el);
    return ['auto', 'scroll'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
  })
  .filter(el => el.tabIndex < 0 || !(el.getAttribute('aria-label')
                                     || el.getAttribute('aria-labelledby')))
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
             + ' (needs tabindex="0", role="region" and a name)')"""


def unreachable_scroll_regions(page: Page) -> list[str]:
    return page.evaluate(UNREACHABLE_SCROLL_REGIONS_JS)


def extract_messages(pot: Path):
    """The UI strings, extracted the way `make translations-update` does, as a Babel catalog."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
        "-k", "lazy_gettext", "-o", str(pot), str(ROOT),
    ])
    with pot.open("rb") as handle:
        return read_po(handle)


def untranslated(extracted, locale: str) -> set[str]:
    """Dutch strings (without placeholders) that the locale's catalogue does not translate."""
    from babel.messages.pofile import read_po

    po = ROOT / "marketplace" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    missing = set()
    for message in extracted:
        if not message.id or isinstance(message.id, tuple) or "%" in message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None or not translated.string or translated.fuzzy:
            missing.add(message.id)
    return missing


def describe_violation(url: str, violation: dict[str, Any]) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    return (f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])}× e.g. {', '.join(targets)}] {violation['helpUrl']}")


def save_json(relative: str, data: Any) -> Path:
    path = ARTIFACTS / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "home"


# ----------------------------------------------------------------------- keyboard

# The focused element as data: enough to say where focus is and how it looks.
FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
    href: el.getAttribute('href'), text: (el.innerText || el.value || '').trim().slice(0, 60),
    classes: el.className || '',
    outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
    boxShadow: s.boxShadow, background: s.backgroundColor, color: s.color,
  };
}"""

# The same styles of every focusable element while NOTHING has focus (the baseline).
UNFOCUSED_STYLES_JS = """() => {
  document.activeElement && document.activeElement.blur();
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, '
              + '[tabindex]:not([tabindex="-1"])';
  return Array.from(document.querySelectorAll(sel)).map((el, i) => {
    el.dataset.e2eIndex = i;
    const s = getComputedStyle(el);
    return {index: i, outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
            boxShadow: s.boxShadow};
  });
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUS_STATE_JS)


def tab_to(page: Page, matches, *, max_tabs: int = 60, key: str = "Tab") -> dict[str, Any]:
    """Press Tab until the focused element satisfies `matches(state)`; fail after max_tabs."""
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        state = focused(page)
        if state and matches(state):
            return state
        seen.append(state and (state["tag"], state["id"] or state["href"] or state["text"]))
    raise AssertionError(f"focus never reached the element after {max_tabs} × {key}: {seen}")


def has_visible_focus(state: dict[str, Any], baseline: dict[str, Any]) -> bool:
    """A focus indicator: an outline or box-shadow that the element does not have unfocused."""
    outline_on = not state["outline"].startswith("none") and " 0px " not in state["outline"]
    shadow_on = state["boxShadow"] not in ("none", "")
    changed = (state["outline"], state["boxShadow"]) != (baseline["outline"], baseline["boxShadow"])
    return changed and (outline_on or shadow_on)
