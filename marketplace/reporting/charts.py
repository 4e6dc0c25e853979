"""Charts as small server-side SVG: horizontal bars, one or two per row, no JavaScript.

Our own SVG rather than pygal (see docs/decisions.md): a bar chart is a few rectangles; we
control the markup for accessibility (role="img", <title> and <desc> named by
aria-labelledby) and it prints the same in the browser and in WeasyPrint. Every chart is
shown beside a table with the same numbers (the templates do that). A suppressed value draws
no bar and says so in text. Pure: no Flask, no database; labels come in already translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_W = 250
ROW_H = 26
BAR_H = 16
PAD = 8
COLOURS = ("#1f5f8b", "#d08c00")  # first and second series; readable on white and in grey


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float | None, ...]  # one per series; None: suppressed or unknown
    texts: tuple[str, ...]  # how each value is written (e.g. "42%", "verborgen")


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    series: tuple[str, ...]  # names of the series (the legend)
    bars: tuple[Bar, ...]

    @property
    def svg(self) -> Markup:
        return render(self)


def _scale(bars: tuple[Bar, ...]) -> float:
    top = max((v for b in bars for v in b.values if v is not None and v > 0), default=0.0)
    return top or 1.0


def render(chart: Chart) -> Markup:
    """The chart as inline SVG markup."""
    series = max(len(chart.series), 1)
    row_h = ROW_H if series == 1 else ROW_H + (series - 1) * (BAR_H + 2)
    legend_h = 22 if series > 1 else 0
    height = PAD * 2 + legend_h + row_h * max(len(chart.bars), 1)
    top = _scale(chart.bars)
    plot_w = WIDTH - LABEL_W - 110
    title_id, desc_id = f"{chart.id}-titel", f"{chart.id}-uitleg"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="13">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    y = PAD
    if series > 1:
        x = LABEL_W
        for s, name in enumerate(chart.series):
            parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" '
                         f'fill="{COLOURS[s % len(COLOURS)]}"/>')
            parts.append(f'<text x="{x + 16}" y="{y + 11}" fill="#222">{escape(name)}</text>')
            x += 24 + 8 * len(name)
        y += legend_h
    for bar in chart.bars:
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + BAR_H - 3}" text-anchor="end" '
                     f'fill="#222">{escape(bar.label)}</text>')
        for s, value in enumerate(bar.values):
            by = y + s * (BAR_H + 2)
            text = bar.texts[s] if s < len(bar.texts) else ""
            width = 0.0 if value is None or value <= 0 else plot_w * value / top
            if width:
                parts.append(f'<rect x="{LABEL_W}" y="{by}" width="{width:.1f}" '
                             f'height="{BAR_H}" fill="{COLOURS[s % len(COLOURS)]}"/>')
            style = ' font-style="italic"' if value is None else ""
            parts.append(f'<text x="{LABEL_W + width + 6:.1f}" y="{by + BAR_H - 3}" '
                         f'fill="#222"{style}>{escape(text)}</text>')
        y += row_h
    parts.append("</svg>")
    return Markup("".join(parts))
