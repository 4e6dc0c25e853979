"""What a web worker carries: neither scipy nor the migration tooling, nor requests or
icalendar.

Every gunicorn worker holds its own copy of what the app imports. scipy (k-d tree, sparse
graphs: ~30 MB) is needed only by batch proposals and the disclosure audit, which import it
when they run; Flask-Migrate with Alembic and Mako (~12 MB) only by `flask db`, which wsgi.py
leaves out under gunicorn; requests (~5 MB), which geopy imports when it is installed, is
marked missing there; icalendar (~3 MB) is imported when a feed is built. docs/performance.md,
memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "flask_migrate", "alembic", "mako", "requests", "icalendar")


def loaded_after(code: str) -> dict:
    probe = (f"import json, sys; {code}; "
             f"print(json.dumps({{m: sys.modules.get(m) is not None for m in {HEAVY!r}}}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True,
                         env={"PATH": "", "PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite://"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_gunicorn_worker_loads_neither_scipy_nor_migrations():
    # gunicorn imports itself before it loads wsgi:app in a worker
    loaded = loaded_after("import gunicorn.app.wsgiapp; import wsgi; "
                          "import marketplace.associations.clusters, "
                          "marketplace.brokering.batch_proposals, marketplace.reporting.disclosure")
    assert loaded == dict.fromkeys(HEAVY, False), loaded


def test_the_flask_cli_keeps_flask_db():
    loaded = loaded_after("import wsgi")
    assert loaded["flask_migrate"] is True
    assert loaded["requests"] is True  # not marked missing outside gunicorn (geopy takes it)
    out = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "db",
                          "heads"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(ROOT),
                              "DATABASE_URL": "sqlite://"})
    assert out.returncode == 0, out.stderr[-800:]
    assert "(head)" in out.stdout, out.stdout  # needs Flask-Migrate bound to the app
