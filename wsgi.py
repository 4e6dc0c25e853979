"""Entry point for gunicorn and the flask CLI: the only place create_app() is called.

Under gunicorn the app only serves pages, so it leaves out the `flask db` commands
(Flask-Migrate, Alembic and Mako: ~12 MB in every web worker; docs/performance.md, memory).
The flask CLI, `make run` and the scheduler load this module without gunicorn and keep them.
"""

import sys

from marketplace.app import create_app

app = create_app(MIGRATIONS_CLI="gunicorn" not in sys.modules)
