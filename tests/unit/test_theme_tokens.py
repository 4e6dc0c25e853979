"""The theme is one replaceable file: every custom property app.css uses is defined in
theme.css, and app.css defines none of its own (docs/theme.md). app.css may only set a
component's `--utrecht-*` token for one place (the link colour in the header, a small
button), and then to a theme token or a size, never to a colour of its own."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def test_app_css_uses_only_tokens_of_the_theme() -> None:
    app, theme = (CSS / "app.css").read_text(), (CSS / "theme.css").read_text()
    used = set(re.findall(r"var\((--[a-z0-9-]+)", app))
    defined = set(re.findall(r"^\s*(--[a-z0-9-]+)\s*:", theme, flags=re.M))
    assert used, "app.css uses no tokens?"
    assert not used - defined, f"tokens used in app.css but missing in theme.css: {used - defined}"
    own = re.findall(r"^\s*(--[a-z0-9-]+)\s*:\s*([^;]+);", app, flags=re.M)
    assert not [name for name, _ in own if not name.startswith("--utrecht-")], (
        "tokens of our own belong in theme.css")
    colours = [(name, value) for name, value in own
               if re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl", value)]
    assert not colours, f"a component token in app.css set to a colour of its own: {colours}"
    assert ":root" not in app, "app.css sets no tokens for the whole page; theme.css does"


def test_base_loads_the_theme_before_the_styles() -> None:
    base = (CSS.parents[1] / "templates" / "base.html").read_text()
    assert 0 < base.index("css/theme.css") < base.index("css/app.css")
