"""The pure matching modules load no web or database code (the import-linter contract says
the same statically; this checks what actually gets imported)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "marketplace.extensions")


def test_core_and_batch_import_no_flask_or_sqlalchemy() -> None:
    code = (
        "import sys\n"
        "import marketplace.matching.core, marketplace.matching.batch\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
