"""The application factory: a table of contents of register_* calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request

from config import Config, load_config
from marketplace import __version__
from marketplace.db import configure_postgresql, configure_sqlite, render_migration_item
from marketplace.extensions import babel, csrf, db, login_manager

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    config = config or load_config()
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    app.config.update(overrides)
    app.config["APP_VERSION"] = __version__
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        # Behind N trusted proxies: the real client IP matters for the login throttle.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    register_extensions(app)
    register_page_cache(app)
    register_auth(app)
    register_i18n(app)
    register_boundary(app)
    register_blueprints(app)
    register_security_headers(app)
    register_errorhandlers(app)
    register_template_context(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    # Import every model so metadata is complete for migrations and create_all.
    # Features connect their receivers of the request lifecycle's signals on import.
    import marketplace.brokering.services  # noqa: F401
    import marketplace.followup.services  # noqa: F401
    import marketplace.models  # noqa: F401

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                             reads_first=_reading_request)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with app.app_context():
            configure_postgresql(db.engine, app.config["POSTGRESQL_SETTINGS"])
    if app.config["MIGRATIONS_CLI"]:
        # `flask db …`. Flask-Migrate brings Alembic and Mako (~12 MB); a web worker that
        # only serves pages goes without (wsgi.py under gunicorn; docs/performance.md).
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                render_item=render_migration_item, compare_type=True)
    csrf.init_app(app)


# POSTs that read, then spend long on the CPU, then write: signing in reads the throttle
# counts and the account, verifies the password (argon2id: 64 MiB, most of a second of CPU
# on a busy machine), then writes. Begun IMMEDIATE they held SQLite's one write lock through
# the hash, and a burst of sign-ins made other writers wait past busy_timeout ("database is
# locked", found by the load test). Deferred, the first write takes the lock after the hash.
READS_FIRST_ENDPOINTS = frozenset({"auth.login"})


def _reading_request() -> bool:
    """A GET or HEAD request, or a POST in READS_FIRST_ENDPOINTS: SQLite begins its
    transactions deferred (marketplace/db.py)."""
    return has_request_context() and (request.method in ("GET", "HEAD")
                                      or request.endpoint in READS_FIRST_ENDPOINTS)


def register_page_cache(app: Flask) -> None:
    # Every committed write raises the data generation; pages people reload all day are
    # drawn again only when it moved (marketplace/page_cache, docs/performance.md).
    from marketplace.page_cache import init_page_cache

    init_page_cache(app)


def register_auth(app: Flask) -> None:
    from marketplace.accounts.loading import init_login

    init_login(app, login_manager)


def register_i18n(app: Flask) -> None:
    from marketplace.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    from marketplace.rendering import init_rendering

    init_rendering(app)  # templates: the catalogue once per render, not per _()


def register_boundary(app: Flask) -> None:
    # One id converter, one text cleaner, safe form data: before any route is registered.
    from marketplace.boundary import register_boundary as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from marketplace.accounts.views import account_bp, auth_bp
    from marketplace.admin.routes import admin_bp
    from marketplace.api import api_bp
    from marketplace.brokering.worker_views import worker_bp
    from marketplace.casework.routes import casework_bp
    from marketplace.followup.views import followup_bp
    from marketplace.help_requests.routes import help_requests_bp
    from marketplace.main.views import main_bp
    from marketplace.reciprocity.views import reciprocity_bp
    from marketplace.residents.views import residents_bp
    from marketplace.signals.views import signals_bp
    from marketplace.teams.views import teams_bp
    from marketplace.volunteers.views import volunteers_bp

    for blueprint in (main_bp, auth_bp, account_bp, admin_bp, api_bp, help_requests_bp,
                      residents_bp, volunteers_bp, followup_bp, reciprocity_bp, casework_bp,
                      signals_bp, worker_bp, teams_bp):
        app.register_blueprint(blueprint)
    from marketplace.associations.vacancy_views import vacancies_bp
    from marketplace.calendar.views import calendar_bp

    app.register_blueprint(calendar_bp)
    app.register_blueprint(vacancies_bp)
    from marketplace.associations.views import associations_bp

    app.register_blueprint(associations_bp)
    from marketplace.associations.collective_views import collective_bp

    app.register_blueprint(collective_bp)
    from marketplace.residents.erasure_views import erasure_bp

    app.register_blueprint(erasure_bp)
    from marketplace.reporting.views import reporting_bp

    app.register_blueprint(reporting_bp)
    from marketplace.reporting.yearplan_views import yearplans_bp

    app.register_blueprint(yearplans_bp)
    from marketplace.partners.views import partners_bp

    app.register_blueprint(partners_bp)
    from marketplace.volunteers.care_views import care_bp

    app.register_blueprint(care_bp)
    from marketplace.reciprocity.offer_views import offers_bp

    app.register_blueprint(offers_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies


def register_security_headers(app: Flask) -> None:
    from marketplace.security import apply_security_headers

    app.after_request(apply_security_headers)


def register_errorhandlers(app: Flask) -> None:
    from marketplace.main.errors import init_errorhandlers

    init_errorhandlers(app)


def register_template_context(app: Flask) -> None:
    from marketplace.main.context import init_template_context

    init_template_context(app)


def register_commands(app: Flask) -> None:
    from marketplace.cli import init_cli

    init_cli(app)
