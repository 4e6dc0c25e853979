"""marketplace.reporting.disclosure stays pure: no web, database or translation code."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "flask_babel", "wtforms")


def test_disclosure_imports_only_stdlib_numpy_and_scipy() -> None:
    # A fresh interpreter, so modules other tests imported cannot hide a leak.
    code = (
        "import sys\n"
        "from marketplace.reporting import disclosure as d\n"
        "rel = [d.Relation('M', ('A', 'B', 'C'))]\n"
        "s = d.protect({'M': 40, 'A': 3, 'B': 12, 'C': 25}, rel, d.Rules())\n"
        "assert s == {'A', 'B'}, s\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
