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
    assert urlsplit(page.url).path == start_page(account.role), (
        f"sign-in as {account.role} failed: {page.url}")


def start_page(role: str) -> str:
    """Where a role lands after signing in (marketplace/main/home.py landing_url): workers at
    their worklist, association members at their association, the municipality at the
    results per area, others at the account."""
    return {"worker": "/werk/", "association": "/mijn-vereniging",
            "municipality": "/rapportage/"}.get(role, "/account/")


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


# ----------------------------------------------------------------------- keyboard flows
# For flows written keyboard-only (test_core_flow.py): find controls by role and accessible
# name (Playwright's own computation), reach them with Tab, and check each has a visible focus.

# Remember the outline and box-shadow of every focusable element while it has no focus; call
# right after a page loads (before the first Tab), so the focus check has a baseline.
REMEMBER_UNFOCUSED_JS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, '
              + '[tabindex]:not([tabindex="-1"])';
  const map = new WeakMap(), active = document.activeElement;
  for (const el of document.querySelectorAll(sel)) {
    if (el === active) continue;
    const s = getComputedStyle(el);
    map.set(el, {outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
                 boxShadow: s.boxShadow});
  }
  window.__e2eUnfocused = map;
}"""

# The focused element's styles now and (when remembered) without focus.
FOCUS_AND_BASELINE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el), map = window.__e2eUnfocused;
  const label = (el.getAttribute('aria-label') || (el.labels && el.labels[0]
                 && el.labels[0].innerText) || el.innerText || el.value || '')
                .replace(/\\s+/g, ' ').trim().slice(0, 60);
  return {state: {tag: el.tagName.toLowerCase(), id: el.id, text: label,
                  href: el.getAttribute('href'),
                  outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '),
                  boxShadow: s.boxShadow},
          baseline: (map && map.get(el)) || {outline: 'none 0px', boxShadow: 'none'}};
}"""


def remember_unfocused_styles(page: Page) -> None:
    page.evaluate(REMEMBER_UNFOCUSED_JS)


def focus_is_on(target) -> bool:
    """Whether one of the elements of the Playwright locator `target` has focus."""
    return target.evaluate_all("els => els.includes(document.activeElement)")


def describe_focus(page: Page) -> str:
    found = page.evaluate(FOCUS_AND_BASELINE_JS)
    if not found:
        return "(nothing)"
    state = found["state"]
    return f"{state['tag']}{'#' + state['id'] if state['id'] else ''} {state['text']!r}"


def assert_visible_focus(page: Page, what: str) -> None:
    """The focused element shows a focus indicator (WCAG 2.4.7) that it lacks unfocused."""
    found = page.evaluate(FOCUS_AND_BASELINE_JS)
    assert found, f"{what}: nothing has focus"
    state = found["state"]
    assert has_visible_focus(state, found["baseline"]), (
        f"{what} on {urlsplit(page.url).path}: no visible focus indicator (WCAG 2.4.7): "
        f"outline={state['outline']} box-shadow={state['boxShadow']}, unfocused: "
        f"{found['baseline']}")


def tab_to_element(page: Page, target, what: str, *, max_tabs: int = 60,
                   key: str = "Tab") -> None:
    """Press Tab (or `key`) until an element of locator `target` has focus, at most max_tabs
    times; then check that it shows its focus. Fails with the path of the focus."""
    trail: list[str] = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        if focus_is_on(target):
            assert_visible_focus(page, what)
            return
        trail.append(describe_focus(page))
    raise AssertionError(
        f"{what}: not reached by keyboard on {urlsplit(page.url).path} after {max_tabs} × "
        f"{key} (present on the page: {target.count()}); focus went: " + " → ".join(trail[-25:]))


def tab_to_named(page: Page, role: str, name: str | re.Pattern[str], *, exact: bool = False,
                 href: str | None = None, **options: Any) -> None:
    """Tab to the element with this ARIA role and accessible name (a substring unless exact,
    or a regular expression), and this href for links."""
    target = page.get_by_role(role, name=name, exact=exact)  # type: ignore[arg-type]
    if href is not None:
        target = target.and_(page.locator(f'[href="{href}"]'))
    shown = name.pattern if isinstance(name, re.Pattern) else name
    tab_to_element(page, target, f"{role} {shown!r}" + (f" ({href})" if href else ""),
                   **options)


def choose_radio(page: Page, group: str, option: str, *, max_tabs: int = 40) -> None:
    """Tab into the radio group (input name `group`), arrow to `option`, Space to choose it."""
    tab_to_element(page, page.locator(f'input[type=radio][name="{group}"]'),
                   f"radio group {group!r}", max_tabs=max_tabs)
    wanted = page.get_by_role("radio", name=option)
    count = page.locator(f'input[type=radio][name="{group}"]').count()
    for _ in range(count):
        if focus_is_on(wanted):
            break
        page.keyboard.press("ArrowDown")
    assert focus_is_on(wanted), f"radio {option!r} of {group!r} not reached with the arrow keys"
    page.keyboard.press("Space")
    assert wanted.is_checked(), f"Space did not choose radio {option!r}"
    assert_visible_focus(page, f"radio {option!r}")
