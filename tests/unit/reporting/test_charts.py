"""The SVG bar charts: accessible names, bars in proportion, a suppressed value draws no
bar, text is escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from marketplace.reporting.charts import Bar, Chart

SVG = "{http://www.w3.org/2000/svg}"


def chart(*bars: Bar, series=("Aantal",)) -> Chart:
    return Chart("g1", "Titel <b>", "Uitleg & meer", series, bars)


def test_accessible_name_and_description():
    root = ET.fromstring(str(chart(Bar("A", (1.0,), ("1",))).svg))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g1-titel g1-uitleg"
    assert root.find(f"{SVG}title").text == "Titel <b>"  # escaped in the markup, read back
    assert root.find(f"{SVG}desc").text == "Uitleg & meer"


def test_bars_in_proportion_and_suppressed_draws_none():
    svg = str(chart(Bar("A", (10.0,), ("10",)), Bar("B", (5.0,), ("5",)),
                    Bar("C", (None,), ("verborgen",))).svg)
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and abs(widths[0] - 2 * widths[1]) < 0.2
    assert "verborgen" in svg


def test_two_series_have_a_legend():
    svg = str(chart(Bar("Zaal", (100.0, 50.0), ("€ 100", "€ 50")),
                    series=("Begroot", "Uitgegeven")).svg)
    assert "Begroot" in svg and "Uitgegeven" in svg
    assert svg.count("<rect") == 4  # two legend keys, two bars


def test_all_zero_or_empty_does_not_divide_by_zero():
    assert "<svg" in str(chart(Bar("A", (0.0,), ("0",))).svg)
    assert "<svg" in str(chart().svg)
