"""Entry point for gunicorn and the flask CLI: the only place create_app() is called.

Under gunicorn the app only serves pages, so it leaves out the `flask db` commands
(Flask-Migrate, Alembic and Mako: ~12 MB in every web worker; docs/performance.md, memory).
The flask CLI, `make run` and the scheduler load this module without gunicorn and keep them.

Under gunicorn it also keeps `requests` out (~5 MB per worker). The app makes no HTTP calls
(offline by design), but geopy imports `requests` for its online geocoders whenever it is
installed, and the test and benchmark tools install it. Marked missing, geopy goes without.
"""

import sys

SERVING = "gunicorn" in sys.modules
if SERVING:
    sys.modules.setdefault("requests", None)  # type: ignore[assignment]

from marketplace.app import create_app  # noqa: E402

app = create_app(MIGRATIONS_CLI=not SERVING)
